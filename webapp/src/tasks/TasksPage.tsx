// Tasks: /tasks lists My Current Tasks (open and pending, overdue first) and the calls
// due from call steps; /tasks/<id> opens
// one with its instructions and its lead.

import type { JSX } from 'preact';
import { NotFoundPage } from '../NotFoundPage';
import { PageHeading } from '../ui/PageHeading';
import { CallsDue } from '../home/CallsDue';
import { MyTasksPanel } from './MyTasksPanel';
import { TaskPage } from './TaskPage';

export function TasksPage({ path }: { path: string }): JSX.Element {
  const rest = path.replace(/^\/tasks\/?/, '');
  if (rest === '')
    return (
      <>
        <PageHeading>Tasks</PageHeading>
        <div class="grid">
          <MyTasksPanel />
          {/* call steps' next attempts are work for today too */}
          <CallsDue />
        </div>
      </>
    );
  if (/^[1-9][0-9]{0,15}$/.test(rest)) return <TaskPage id={Number(rest)} />;
  return <NotFoundPage />;
}
