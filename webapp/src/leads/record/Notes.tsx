// Shared notes: anyone who sees the lead reads and adds them; the author edits their own,
// and every earlier text stays readable under "Earlier versions". A note just added takes
// focus (so it is read out and the user sees where it went); Escape cancels a note edit.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { ErrorNotice, Loading } from '../../ui/Status';
import { addNote, editNote, listNotes, messageOf, type Note } from '../api';
import { Field } from '../Field';
import { formatDateTime } from '../format';
import { nameOf } from '../lists';
import { useLead } from './context';

type NotesState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; notes: Note[]; next: string | null; more: 'idle' | 'loading' | { error: string } };

export function Notes(): JSX.Element {
  const { lead, touched, readOnly } = useLead();
  const [state, setState] = useState<NotesState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  /** The note this user just added: it takes focus once shown. */
  const [added, setAdded] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    listNotes(lead.id).then(
      (page) => live && setState({ kind: 'ready', notes: page.items, next: page.next, more: 'idle' }),
      (err: unknown) => live && setState({ kind: 'error', message: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [lead.id, attempt]);

  const more = (): void => {
    if (state.kind !== 'ready' || state.next === null) return;
    const shown = state;
    setState({ ...shown, more: 'loading' });
    listNotes(lead.id, shown.next).then(
      (page) => setState({ ...shown, notes: [...shown.notes, ...page.items], next: page.next, more: 'idle' }),
      (err: unknown) => setState({ ...shown, more: { error: messageOf(err) } }),
    );
  };

  const put = (note: Note): void => {
    setState((s) =>
      s.kind !== 'ready'
        ? s
        : {
            ...s,
            notes: s.notes.some((n) => n.id === note.id)
              ? s.notes.map((n) => (n.id === note.id ? note : n))
              : [note, ...s.notes],
          },
    );
    touched();
  };

  return (
    <section class="panel lead-section" id="lead-notes" aria-labelledby="lead-notes-title">
      <h2 id="lead-notes-title">Notes</h2>
      {!readOnly && (
        <NewNote
          leadId={lead.id}
          onAdded={(note) => {
            setAdded(note.id);
            put(note);
          }}
        />
      )}
      <p class="visually-hidden" role="status">
        {added !== null ? 'Note added.' : ''}
      </p>
      {state.kind === 'loading' && <Loading label="Loading notes…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={() => setAttempt((n) => n + 1)} />}
      {state.kind === 'ready' &&
        (state.notes.length === 0 ? (
          <p class="muted">No notes yet.</p>
        ) : (
          <>
            <ul class="lead-notes">
              {state.notes.map((note) => (
                <NoteItem key={note.id} note={note} onSaved={put} focusOnShow={note.id === added} />
              ))}
            </ul>
            {state.next !== null && (
              <div class="lead-more">
                {typeof state.more === 'object' && (
                  <p class="field-error" role="alert">
                    {state.more.error}
                  </p>
                )}
                <button type="button" class="button button--secondary" onClick={more} disabled={state.more === 'loading'}>
                  {state.more === 'loading' ? 'Loading…' : 'Load older notes'}
                </button>
              </div>
            )}
          </>
        ))}
    </section>
  );
}

function NewNote({ leadId, onAdded }: { leadId: number; onAdded: (note: Note) => void }): JSX.Element {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  const submit = async (): Promise<void> => {
    setSaving(true);
    setError(undefined);
    try {
      const note = await addNote(leadId, body);
      setBody('');
      onAdded(note);
    } catch (err) {
      setError(err instanceof ApiError && err.fields['body'] ? err.fields['body'] : messageOf(err));
      ref.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      class="lead-form lead-note-new"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!saving) void submit();
      }}
    >
      <Field id="note-new" label="New note" error={error}>
        {(aria) => (
          <textarea id="note-new" ref={ref} rows={3} maxLength={10000} value={body} {...aria} onInput={(e) => setBody(e.currentTarget.value)} />
        )}
      </Field>
      <div class="lead-form-actions">
        <button type="submit" class="button button--primary" disabled={saving} aria-busy={saving}>
          {saving ? 'Adding…' : 'Add note'}
        </button>
      </div>
    </form>
  );
}

interface NoteItemProps {
  note: Note;
  onSaved: (note: Note) => void;
  /** Just added: take focus when first shown. */
  focusOnShow: boolean;
}

function NoteItem({ note, onSaved, focusOnShow }: NoteItemProps): JSX.Element {
  const { lead, user, lists, readOnly } = useLead();
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const editRef = useRef<HTMLButtonElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const itemRef = useRef<HTMLLIElement>(null);
  const mine = !readOnly && (note.author_id === user.id || user.role === 'admin');
  const fieldId = `note-${note.id}-edit`;

  useEffect(() => {
    if (editing) areaRef.current?.focus();
  }, [editing]);

  useEffect(() => {
    if (focusOnShow) itemRef.current?.focus();
  }, [focusOnShow]);

  const close = (): void => {
    setEditing(false);
    setTimeout(() => editRef.current?.focus());
  };

  const submit = async (): Promise<void> => {
    if (body === note.body) {
      close();
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const saved = await editNote(lead.id, note.id, body);
      onSaved(saved);
      close();
    } catch (err) {
      setError(err instanceof ApiError && err.fields['body'] ? err.fields['body'] : messageOf(err));
      areaRef.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <li class="lead-note" ref={itemRef} tabIndex={focusOnShow ? -1 : undefined}>
      <p class="lead-note-meta">
        <strong>{note.author ?? 'Someone'}</strong> · <time dateTime={note.created_at}>{formatDateTime(note.created_at)}</time>
        {note.edited_at && <span>{` · edited ${formatDateTime(note.edited_at)}`}</span>}
      </p>
      {editing ? (
        <form
          class="lead-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!saving) void submit();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !e.defaultPrevented && !saving) {
              e.preventDefault();
              close();
            }
          }}
        >
          <Field id={fieldId} label="Edit note" error={error}>
            {(aria) => (
              <textarea
                id={fieldId}
                ref={areaRef}
                rows={4}
                maxLength={10000}
                value={body}
                {...aria}
                onInput={(e) => setBody(e.currentTarget.value)}
              />
            )}
          </Field>
          <div class="lead-form-actions">
            <button type="submit" class="button button--primary" disabled={saving} aria-busy={saving}>
              {saving ? 'Saving…' : 'Save note'}
            </button>
            <button type="button" class="button button--secondary" disabled={saving} onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p class="lead-note-body">{note.body}</p>
          {mine && (
            <button
              type="button"
              ref={editRef}
              class="button button--secondary button--small"
              aria-label={`Edit note from ${formatDateTime(note.created_at)}`}
              onClick={() => {
                setBody(note.body);
                setError(undefined);
                setEditing(true);
              }}
            >
              Edit
            </button>
          )}
        </>
      )}
      {note.revisions.length > 0 && (
        <details class="lead-revisions">
          <summary>{`Earlier versions (${note.revisions.length})`}</summary>
          <ol>
            {[...note.revisions].reverse().map((r, i) => (
              <li key={i}>
                <p class="lead-note-meta">
                  {`Replaced ${formatDateTime(r.edited_at)}`}
                  {r.edited_by !== null && ` by ${nameOf(lists.users, r.edited_by) ?? 'someone'}`}
                </p>
                <p class="lead-note-body">{r.body}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
