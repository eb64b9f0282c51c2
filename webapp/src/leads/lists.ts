// The admin lists the lead screens choose from (types, statuses, products, custom fields,
// users …): loaded together once and kept for a minute, so moving between leads does not
// ask again, while an admin's change shows up soon.

import { useEffect, useState } from 'preact/hooks';
import {
  listSetting,
  listUsers,
  messageOf,
  type CustomField,
  type DirectoryUser,
  type LifeState,
  type Lookup,
  type NamedItem,
  type Product,
  type Status,
} from './api';

export interface Lists {
  types: Lookup[];
  categories: Lookup[];
  priorities: Lookup[];
  importance: Lookup[];
  sources: Lookup[];
  lostReasons: Lookup[];
  competitors: Lookup[];
  statuses: Status[];
  products: Product[];
  customFields: CustomField[];
  groups: NamedItem[];
  units: NamedItem[];
  users: DirectoryUser[];
}

const MAX_AGE_MS = 60_000;
let cached: { at: number; promise: Promise<Lists> } | null = null;

async function items<T>(kind: string): Promise<T[]> {
  return (await listSetting<T>(kind)).items;
}

function fetchLists(): Promise<Lists> {
  return Promise.all([
    items<Lookup>('lead-types'),
    items<Lookup>('categories'),
    items<Lookup>('priorities'),
    items<Lookup>('importance-levels'),
    items<Lookup>('sources'),
    items<Lookup>('lost-reasons'),
    items<Lookup>('competitors'),
    items<Status>('statuses'),
    items<Product>('products'),
    items<CustomField>('custom-fields'),
    items<NamedItem>('groups'),
    items<NamedItem>('units'),
    listUsers().then((page) => page.items),
  ]).then(
    ([
      types,
      categories,
      priorities,
      importance,
      sources,
      lostReasons,
      competitors,
      statuses,
      products,
      customFields,
      groups,
      units,
      users,
    ]) => ({
      types,
      categories,
      priorities,
      importance,
      sources,
      lostReasons,
      competitors,
      statuses,
      products,
      customFields,
      groups,
      units,
      users,
    }),
  );
}

export function loadLists(): Promise<Lists> {
  if (cached === null || Date.now() - cached.at > MAX_AGE_MS) {
    const promise = fetchLists();
    cached = { at: Date.now(), promise };
    promise.catch(() => {
      if (cached?.promise === promise) cached = null; // a failure is not remembered
    });
  }
  return cached.promise;
}

export type ListsState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; lists: Lists };

export function useLists(): [ListsState, () => void] {
  const [state, setState] = useState<ListsState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    loadLists().then(
      (lists) => live && setState({ kind: 'ready', lists }),
      (err: unknown) => live && setState({ kind: 'error', message: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}

/** Choices for a select: the active entries, plus the current one even when deactivated. */
export function choices<T extends { id: number; active?: boolean }>(list: readonly T[], current: number | null): T[] {
  return list.filter((item) => item.active !== false || item.id === current);
}

export function nameOf(list: readonly { id: number; name: string }[], id: number | null): string | null {
  if (id === null) return null;
  return list.find((item) => item.id === id)?.name ?? null;
}

/** The custom fields that apply to a lead type (no types listed = every type), active ones. */
export function fieldsForType(fields: readonly CustomField[], typeId: number | null): CustomField[] {
  return fields.filter(
    (f) => f.active && (f.type_ids.length === 0 || (typeId !== null && f.type_ids.includes(typeId))),
  );
}

export function statusesOf(statuses: readonly Status[], state: LifeState, current: number | null = null): Status[] {
  return statuses.filter((s) => s.state === state && (s.active || s.id === current));
}
