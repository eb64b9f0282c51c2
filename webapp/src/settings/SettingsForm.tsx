// The frame of every settings form: a labelled <form>, the fields, the form-level error
// and the Save / Cancel buttons. It focuses the first field when it opens (an edit form
// replaces the row that was clicked) and the first invalid field after a failed save.
// Escape cancels.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Failure } from './failure';

interface SettingsFormProps {
  /** The form's accessible name, e.g. "Add status" or "Edit status New". */
  label: string;
  submitLabel: string;
  busy: boolean;
  failure: Failure | null;
  onSubmit: () => void;
  onCancel?: (() => void) | undefined;
  /** Focus the first field on open (forms the user just asked for). */
  autoFocus?: boolean;
  children: ComponentChildren;
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled])';

export function SettingsForm(props: SettingsFormProps): JSX.Element {
  const { label, submitLabel, busy, failure, onSubmit, onCancel, autoFocus = true, children } = props;
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (autoFocus) ref.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  }, []);

  useEffect(() => {
    if (failure === null) return;
    const invalid = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]');
    // A fieldset carries the error of a checkbox group: focus its first box.
    const target = invalid?.matches('fieldset') ? invalid.querySelector<HTMLElement>(FOCUSABLE) : invalid;
    target?.focus();
  }, [failure]);

  return (
    <form
      ref={ref}
      class="settings-form"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel && !busy) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      {children}
      {failure?.message && (
        <div class="notice notice--error" role="alert">
          <p>{failure.message}</p>
        </div>
      )}
      <div class="settings-buttons">
        <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button button--secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
