// A labelled text input with its error message right below it, tied together with
// aria-describedby / aria-invalid so the error is announced with the field.

import type { InputHTMLAttributes, JSX, Ref } from 'preact';

interface TextFieldProps {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value: string;
  error?: string | undefined;
  autoComplete?: string;
  inputRef?: Ref<HTMLInputElement>;
  onInput: (value: string) => void;
}

export function TextField(props: TextFieldProps): JSX.Element {
  const { id, label, type = 'text', value, error, autoComplete, inputRef, onInput } = props;
  const errorId = `${id}-error`;
  // Preact types each input type separately; narrow ours to one of them.
  const typeAttr: InputHTMLAttributes<HTMLInputElement> =
    type === 'password' ? { type } : type === 'email' ? { type } : { type };
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        {...typeAttr}
        value={value}
        ref={inputRef}
        autoComplete={autoComplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
