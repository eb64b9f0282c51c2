// One task: what its definition says for the current stage (Contact, Pending, Complete),
// the lead it is about, and the buttons that move it on: Pending needs a note saying what
// the task waits for; Completed closes it. A change someone else made first is explained.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Link } from '../router';
import { TextAreaField } from '../ui/FormControls';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { changeTask, getTask, type Stage, type Task, type TaskChange } from './api';
import { dueText, STAGE_LABEL } from './format';

const STAGE_MESSAGE_LABEL = { open: 'What to do', pending: 'While it is pending', completed: 'Done' } as const;

function messageOf(err: unknown): string {
  if (err instanceof ApiError && err.status === 412) return 'Someone changed this task since you opened it. Reload it to see the change.';
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

export function TaskPage({ id }: { id: number }): JSX.Element {
  const [task, setTask] = useState<Task | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let gone = false;
    setTask(null);
    setLoadError(null);
    getTask(id).then(
      (t) => {
        if (gone) return;
        setTask(t);
        setNote(t.note ?? '');
      },
      (err: unknown) => !gone && setLoadError(messageOf(err)),
    );
    return () => {
      gone = true;
    };
  }, [id, attempt]);

  const move = async (stage: Stage): Promise<void> => {
    if (!task) return;
    setError(null);
    setNoteError(undefined);
    if (stage === 'pending' && note.trim() === '') {
      setNoteError('Say what the task is waiting for: a pending task needs a note.');
      document.getElementById('task-note')?.focus();
      return;
    }
    setBusy(true);
    try {
      const change: TaskChange = { stage };
      if (note.trim() !== '') change.note = note.trim();
      const saved = await changeTask(task, change);
      setTask(saved);
      setStatus(`Task set to ${STAGE_LABEL[saved.stage]}.`);
    } catch (err) {
      if (err instanceof ApiError && err.fields['note']) setNoteError(err.fields['note']);
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <ErrorNotice message={loadError} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!task) return <Loading label="Loading the task…" />;
  return (
    <>
      <PageHeading>{task.definition.name}</PageHeading>
      <p class="task-meta">
        <span class="task-badge">{STAGE_LABEL[task.stage]}</span> Due <time dateTime={task.due_at}>{dueText(task.due_at)}</time>
        {task.overdue && <span class="task-badge task-badge--overdue">Overdue</span>}
      </p>
      <section class="panel" aria-labelledby="task-message">
        <h2 id="task-message">{STAGE_MESSAGE_LABEL[task.stage]}</h2>
        <p class="task-message">{task.message || 'The task definition has no message for this stage.'}</p>
      </section>
      {task.lead && (
        <p>
          Lead: <Link href={task.lead.url ?? `/leads/${task.lead.id}`}>{task.lead.name}</Link>
        </p>
      )}
      {task.stage !== 'completed' && (
        <form
          class="task-form"
          aria-label="Move the task on"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <TextAreaField id="task-note" label="Note" value={note} maxLength={2000} error={noteError} onInput={setNote} />
          {error && (
            <div class="notice notice--error" role="alert">
              <p>{error}</p>
              {error.startsWith('Someone changed') && (
                <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
                  Reload
                </button>
              )}
            </div>
          )}
          <div class="settings-buttons">
            {task.stage !== 'pending' && (
              <button type="button" class="button button--secondary" disabled={busy} onClick={() => void move('pending')}>
                Set pending
              </button>
            )}
            <button type="button" class="button button--primary" disabled={busy} onClick={() => void move('completed')}>
              Mark completed
            </button>
          </div>
        </form>
      )}
      <p role="status" class="muted">
        {status}
      </p>
      <p>
        <Link href="/">Back to My Current Tasks</Link>
      </p>
    </>
  );
}
