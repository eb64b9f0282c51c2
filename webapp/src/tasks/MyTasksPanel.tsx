// My Current Tasks on the home screen: the signed-in user's open and pending tasks, overdue
// ones first and marked, each opening its task page.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Link } from '../router';
import { ErrorNotice, Loading } from '../ui/Status';
import { listMyTasks, type Task } from './api';
import { dueText, STAGE_LABEL } from './format';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; tasks: Task[]; more: boolean };

export function TaskList({ tasks }: { tasks: Task[] }): JSX.Element {
  return (
    <ul class="task-list">
      {tasks.map((t) => (
        <li key={t.id} class={t.overdue ? 'task-row task-row--overdue' : 'task-row'}>
          <Link href={`/tasks/${t.id}`}>{t.definition.name}</Link>
          {t.lead && <span class="task-lead">{t.lead.name}</span>}
          <span class="task-meta">
            <time dateTime={t.due_at}>{dueText(t.due_at)}</time>
            {t.overdue && <span class="task-badge task-badge--overdue">Overdue</span>}
            {t.stage === 'pending' && <span class="task-badge">{STAGE_LABEL.pending}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** `linkAll`: always offer the tasks page (home), not only when the list is cut short. */
export function MyTasksPanel({ linkAll = false }: { linkAll?: boolean }): JSX.Element {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let gone = false;
    setState({ kind: 'loading' });
    listMyTasks(20).then(
      (page) => !gone && setState({ kind: 'ready', tasks: page.items, more: page.next !== null }),
      (err: unknown) =>
        !gone && setState({ kind: 'error', message: err instanceof ApiError ? err.message : 'Something went wrong. Try again.' }),
    );
    return () => {
      gone = true;
    };
  }, [attempt]);
  return (
    <section class="panel" aria-labelledby="home-tasks">
      <h2 id="home-tasks">My Current Tasks</h2>
      {state.kind === 'loading' && <Loading label="Loading your tasks…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={() => setAttempt((n) => n + 1)} />}
      {state.kind === 'ready' &&
        (state.tasks.length === 0 ? <p class="muted">Nothing to do: no open or pending tasks.</p> : <TaskList tasks={state.tasks} />)}
      {state.kind === 'ready' && (state.more || linkAll) && (
        <p>
          <Link href="/tasks">All your tasks</Link>
        </p>
      )}
    </section>
  );
}
