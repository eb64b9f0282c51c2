// A section of the lead page with inline editing: it shows the facts, Edit turns it into a
// form, Save sends only what changed (PATCH with If-Match), Cancel or Escape goes back.
// Field errors show beside their fields; a refused save puts an error summary at the top of
// the form (with errors for fields this form does not show) and focuses it, so it is read
// out and Tab continues into the fields; a 412 explains that the lead changed and offers a
// reload.

import type { ComponentChildren, JSX, Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeadInput } from '../api';
import { focusFirstControl } from '../focus';
import type { Errors } from '../inputs';
import { useLead } from './context';

interface EditableSectionProps {
  id: string;
  title: string;
  /** The facts, read-only. */
  view: ComponentChildren;
  /** The form's fields (rendered only while editing). */
  form: (errors: Errors) => ComponentChildren;
  /** Called when Edit is pressed: fill the draft from the lead. */
  onOpen: () => void;
  /** The changes to send; null when nothing changed. */
  patch: () => LeadInput | null;
  /** Which error keys the form shows beside a field ("address.city" → Demographics). */
  handles: (key: string) => boolean;
  canEdit?: boolean;
}

export function EditableSection(props: EditableSectionProps): JSX.Element {
  const { id, title, view, form, onOpen, patch, handles, canEdit = true } = props;
  const { save, reload, readOnly } = useLead();
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusEdit = useRef(false);
  /** Bumped by each refused save: the summary takes focus again even if its text is the same. */
  const [refusals, setRefusals] = useState(0);

  useEffect(() => {
    if (editing) focusFirstControl(formRef.current);
    else if (focusEdit.current) {
      focusEdit.current = false;
      editRef.current?.focus();
    }
  }, [editing]);

  useEffect(() => {
    if (refusals) summaryRef.current?.focus();
  }, [refusals]);

  const open = (): void => {
    onOpen();
    setErrors({});
    setMessage(null);
    setConflict(false);
    setEditing(true);
  };

  const close = (): void => {
    focusEdit.current = true;
    setEditing(false);
  };

  const submit = async (): Promise<void> => {
    const changes = patch();
    if (changes === null) {
      close();
      return;
    }
    setSaving(true);
    setMessage(null);
    const outcome = await save(changes);
    setSaving(false);
    if (outcome.kind === 'saved') {
      setErrors({});
      close();
    } else if (outcome.kind === 'conflict') {
      setConflict(true);
      setRefusals((n) => n + 1);
    } else {
      setErrors(outcome.fields);
      setMessage(outcome.message);
      setRefusals((n) => n + 1);
    }
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    // Escape cancels the edit, unless a control inside already used the key.
    if (e.key === 'Escape' && !e.defaultPrevented && !saving) {
      e.preventDefault();
      close();
    }
  };

  const others = Object.entries(errors).filter(([key]) => !handles(key));

  return (
    <section class="panel lead-section" id={id} aria-labelledby={`${id}-title`}>
      <div class="lead-section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {canEdit && !readOnly && !editing && (
          <button type="button" ref={editRef} class="button button--secondary button--small" aria-label={`Edit ${title}`} onClick={open}>
            Edit
          </button>
        )}
      </div>
      {!editing ? (
        view
      ) : (
        <form
          ref={formRef}
          class="lead-form"
          noValidate
          aria-label={`Edit ${title}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!saving && !conflict) void submit();
          }}
          onKeyDown={onKeyDown}
        >
          {message && !conflict && (
            <div ref={summaryRef} class="notice notice--error" role="alert" tabIndex={-1}>
              <p>{message}</p>
              {others.length > 0 && (
                <ul>
                  {others.map(([key, text]) => (
                    <li key={key}>{`${key}: ${text}`}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {conflict && <ConflictNotice boxRef={summaryRef} onReload={reload} />}
          {form(errors)}
          <div class="lead-form-actions">
            <button type="submit" class="button button--primary" disabled={saving || conflict} aria-busy={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button type="button" class="button button--secondary" disabled={saving} onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ConflictNotice({ onReload, boxRef }: { onReload: () => void; boxRef: Ref<HTMLDivElement> }): JSX.Element {
  return (
    <div ref={boxRef} class="notice notice--error lead-conflict" role="alert" tabIndex={-1}>
      <p>
        <strong>This lead changed since you opened it.</strong> Someone else saved it in the meantime, so your
        changes were not saved. Reload to see the latest version, then make your change again.
      </p>
      <button type="button" class="button button--primary" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}

/** Label/value pairs, stacked on phones, side by side on wider screens. */
export function Facts({ items }: { items: readonly [string, ComponentChildren][] }): JSX.Element {
  return (
    <dl class="lead-facts">
      {items.map(([label, value]) => (
        <div key={label} class="lead-fact">
          <dt>{label}</dt>
          <dd>{isEmpty(value) ? <span class="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

function isEmpty(value: ComponentChildren): boolean {
  return value === null || value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0);
}
