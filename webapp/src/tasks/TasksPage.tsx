// Tasks: /tasks lists My Current Tasks (open and pending, overdue first); /tasks/<id> opens
// one with its instructions and its lead.

import type { JSX } from 'preact';
import { NotFoundPage } from '../NotFoundPage';
import { PageHeading } from '../ui/PageHeading';
import { MyTasksPanel } from './MyTasksPanel';
import { TaskPage } from './TaskPage';

export function TasksPage({ path }: { path: string }): JSX.Element {
  const rest = path.replace(/^\/tasks\/?/, '');
  if (rest === '')
    return (
      <>
        <PageHeading>Tasks</PageHeading>
        <MyTasksPanel />
      </>
    );
  if (/^[1-9][0-9]{0,15}$/.test(rest)) return <TaskPage id={Number(rest)} />;
  return <NotFoundPage />;
}
