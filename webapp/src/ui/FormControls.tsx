// Labelled native form controls (input, select, textarea, checkbox, a group of checkboxes).
// Each ties its label, an optional hint and its error message to the control with
// for/id, aria-describedby and aria-invalid, so the error is announced with the field and
// shows right beside it. (TextField stays the small one the sign-in form uses.)

import type { ComponentChildren, JSX, Ref } from 'preact';

interface Common {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
}

function describedBy(id: string, error: string | undefined, hint: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((s) => s !== '');
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Hint({ id, hint }: { id: string; hint: string | undefined }): JSX.Element | null {
  return hint ? (
    <p class="field-hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

function FieldError({ id, error }: { id: string; error: string | undefined }): JSX.Element | null {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

function Frame({ id, label, error, hint, children }: Common & { children: ComponentChildren }): JSX.Element {
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      <Hint id={id} hint={hint} />
      {children}
      <FieldError id={id} error={error} />
    </div>
  );
}

export type InputType = 'text' | 'email' | 'password' | 'number' | 'color' | 'date' | 'datetime-local';

interface InputFieldProps extends Common {
  type?: InputType;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email';
  min?: number;
  max?: number;
  step?: number | 'any';
  maxLength?: number;
  list?: string;
  spellcheck?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function InputField(props: InputFieldProps): JSX.Element {
  const { id, label, error, hint, type = 'text', value, onInput, inputRef, ...rest } = props;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={id}
        // Preact types each input type on its own; the union is fine for the DOM.
        type={type as 'text'}
        value={value}
        ref={inputRef}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(e) => onInput(e.currentTarget.value)}
        {...rest}
      />
    </Frame>
  );
}

export interface Choice {
  value: string;
  label: string;
}

interface SelectFieldProps extends Common {
  value: string;
  options: readonly Choice[];
  onChange: (value: string) => void;
  disabled?: boolean;
  required?: boolean;
}

export function SelectField(props: SelectFieldProps): JSX.Element {
  const { id, label, error, hint, value, options, onChange, ...rest } = props;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        name={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(e) => onChange(e.currentTarget.value)}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

interface TextAreaFieldProps extends Common {
  value: string;
  onInput: (value: string) => void;
  rows?: number;
  maxLength?: number;
}

export function TextAreaField(props: TextAreaFieldProps): JSX.Element {
  const { id, label, error, hint, value, onInput, rows = 3, maxLength } = props;
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        name={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </Frame>
  );
}

interface CheckboxFieldProps extends Common {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** One checkbox with its label beside it (the whole label is the click target). */
export function CheckboxField(props: CheckboxFieldProps): JSX.Element {
  const { id, label, error, hint, checked, onChange, disabled } = props;
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <div class="field-check">
        <input
          id={id}
          name={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(id, error, hint)}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
      </div>
      <Hint id={id} hint={hint} />
      <FieldError id={id} error={error} />
    </div>
  );
}

interface CheckboxGroupProps<V extends string | number> {
  id: string;
  legend: string;
  options: readonly { value: V; label: string }[];
  selected: readonly V[];
  onChange: (selected: V[]) => void;
  error?: string | undefined;
  hint?: string | undefined;
  /** Shown instead of the boxes when there is nothing to choose from. */
  empty?: string;
}

/**
 * A fieldset of checkboxes picking any number of values, in the options' order. The
 * fieldset carries data-invalid (aria-invalid does not belong on a group) so a form can
 * find and focus the first box of a group in error.
 */
export function CheckboxGroup<V extends string | number>(props: CheckboxGroupProps<V>): JSX.Element {
  const { id, legend, options, selected, onChange, error, hint, empty } = props;
  const toggle = (value: V, on: boolean): void => {
    const next = new Set(selected);
    if (on) next.add(value);
    else next.delete(value);
    onChange(options.map((o) => o.value).filter((v) => next.has(v)));
  };
  return (
    <fieldset
      class={error ? 'field field-group field--invalid' : 'field field-group'}
      id={id}
      aria-describedby={describedBy(id, error, hint)}
      data-invalid={error ? 'true' : undefined}
    >
      <legend>{legend}</legend>
      <Hint id={id} hint={hint} />
      {options.length === 0 && empty ? <p class="muted">{empty}</p> : null}
      {options.map((o, i) => (
        <div class="field-check" key={String(o.value)}>
          <input
            id={`${id}-${i}`}
            type="checkbox"
            checked={selected.includes(o.value)}
            onChange={(e) => toggle(o.value, e.currentTarget.checked)}
          />
          <label for={`${id}-${i}`}>{o.label}</label>
        </div>
      ))}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}
