// Choosing a follow-up time: one-tap shortcuts (Tomorrow 9:00, In 2 days 9:00, Next Monday
// 9:00, local time) or any time in the native date-and-time input. Used to schedule a lead
// and to claim one from the Lead Bank. The server's field error shows under the input;
// onSubmit resolves when the row is done (it then closes the picker) and throws ApiError
// for anything to show here.

import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { reveal } from '../ui/reveal';
import { formatDayTime, fromLocalInput, shortcuts, toLocalInput } from './dates';

interface SchedulePickerProps {
  /** Unique per row: ids of the input and its error derive from it. */
  id: string;
  /** The group's visible title, e.g. "Schedule a follow-up for Ada Bar". */
  legend: string;
  /** Text of the button that saves the typed time. */
  submitLabel: string;
  initial: Date | null;
  onSubmit: (at: Date) => Promise<void>;
  onCancel: () => void;
}

export function SchedulePicker({ id, legend, submitLabel, initial, onSubmit, onCancel }: SchedulePickerProps): JSX.Element {
  const options = useMemo(() => shortcuts(), []);
  const [value, setValue] = useState(initial && initial.getTime() > Date.now() ? toLocalInput(initial) : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // Focus the first choice and bring the whole picker into view, clear of the bars.
  useEffect(() => {
    firstRef.current?.focus({ preventScroll: true });
    if (formRef.current) reveal(formRef.current);
  }, []);

  const save = async (at: Date): Promise<void> => {
    if (at.getTime() <= Date.now()) {
      setError('Choose a time in the future.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(at);
    } catch (err) {
      const message =
        err instanceof ApiError ? (err.fields['follow_up_at'] ?? err.message) : 'Something went wrong. Try again.';
      setError(message);
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  const submitTyped = (event: Event): void => {
    event.preventDefault();
    const at = fromLocalInput(value);
    if (at === null) {
      setError('Choose a date and time.');
      inputRef.current?.focus();
      return;
    }
    void save(at);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !busy) {
      event.stopPropagation();
      onCancel();
    }
  };

  const inputId = `${id}-at`;
  const errorId = `${id}-error`;
  return (
    <form ref={formRef} class="calllog-picker" noValidate onSubmit={submitTyped} onKeyDown={onKeyDown} aria-busy={busy ? 'true' : undefined}>
      <fieldset disabled={busy}>
        <legend>{legend}</legend>
        <div class="calllog-picker-shortcuts">
          {options.map((option, i) => (
            <button
              key={option.label}
              type="button"
              class="button button--secondary calllog-shortcut"
              ref={i === 0 ? firstRef : undefined}
              onClick={() => void save(option.at)}
            >
              <span>{option.label}</span>
              <span class="calllog-shortcut-date">{formatDayTime(option.at)}</span>
            </button>
          ))}
        </div>
        <div class={error ? 'field field--invalid' : 'field'}>
          <label for={inputId}>Or pick a date and time</label>
          <input
            id={inputId}
            ref={inputRef}
            type="datetime-local"
            value={value}
            min={toLocalInput(new Date())}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? errorId : undefined}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          {error && (
            <p class="field-error" id={errorId} role="alert">
              {error}
            </p>
          )}
        </div>
        <div class="calllog-picker-actions">
          <button type="submit" class="button button--primary">
            {busy ? 'Saving…' : submitLabel}
          </button>
          <button type="button" class="button button--secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  );
}
