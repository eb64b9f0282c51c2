// The settings screens by section slug. Loaded on demand by SettingsPage (its own chunk):
// only admins ever open settings, so nobody else downloads this code.

import type { JSX } from 'preact';
import type { User } from '../api';
import { CallLogScreen } from './CallLogScreen';
import { CustomFieldsScreen } from './CustomFieldsScreen';
import { GroupsScreen } from './GroupsScreen';
import { LookupsScreen, type LookupKind } from './LookupsScreen';
import { ProductsScreen } from './ProductsScreen';
import { StatusesScreen } from './StatusesScreen';
import { UnitsScreen } from './UnitsScreen';
import { UsersScreen } from './UsersScreen';
import { MapsScreen } from '../map-editor/MapsScreen';
import { VideosScreen } from '../map-editor/VideosScreen';
import { TaskDefinitionsScreen } from './TaskDefinitionsScreen';
import { TaskRecurrencesScreen } from './TaskRecurrencesScreen';
import { TaskRulesScreen } from './TaskRulesScreen';

/** path: the whole address path (a nested section such as maps reads its page from it). */
export function Screen({ slug, path, user }: { slug: string; path: string; user: User }): JSX.Element {
  switch (slug) {
    case 'users':
      return <UsersScreen me={user} />;
    case 'groups':
      return <GroupsScreen />;
    case 'units':
      return <UnitsScreen />;
    case 'custom-fields':
      return <CustomFieldsScreen />;
    case 'statuses':
      return <StatusesScreen />;
    case 'products':
      return <ProductsScreen />;
    case 'call-log':
      return <CallLogScreen />;
    case 'maps':
      return <MapsScreen path={path} />;
    case 'map-videos':
      return <VideosScreen />;
    case 'task-definitions':
      return <TaskDefinitionsScreen />;
    case 'task-rules':
      return <TaskRulesScreen />;
    case 'task-recurrences':
      return <TaskRecurrencesScreen />;
    default:
      return <LookupsScreen kind={slug as LookupKind} />;
  }
}
