// The lead screens' labelled form control of any kind (input, select, textarea) with its help text and its
// error right below it, tied to the control with aria-describedby / aria-invalid. The
// control comes from a render function that receives those attributes:
//
//   <Field id="lead-type" label="Type" error={errors['type_id']}>
//     {(aria) => <select id="lead-type" {...aria}>…</select>}
//   </Field>
//
// FieldGroup does the same for a group of checkboxes or radios (<fieldset> + <legend>).

import type { ComponentChildren, JSX } from 'preact';

export interface FieldAria {
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  id: string;
  label: ComponentChildren;
  error?: string | undefined;
  help?: string | null | undefined;
  class?: string;
  children: (aria: FieldAria) => ComponentChildren;
}

function aria(id: string, error: string | undefined, help: string | null | undefined): FieldAria {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': ids || undefined };
}

function Notes({ id, error, help }: { id: string; error?: string | undefined; help?: string | null | undefined }): JSX.Element {
  return (
    <>
      {help && (
        <p class="lead-help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

export function Field({ id, label, error, help, class: cls, children }: FieldProps): JSX.Element {
  return (
    <div class={`field lead-field${error ? ' field--invalid' : ''}${cls ? ` ${cls}` : ''}`}>
      <label for={id}>{label}</label>
      {children(aria(id, error, help))}
      <Notes id={id} error={error} help={help} />
    </div>
  );
}

export function FieldGroup({ id, label, error, help, class: cls, children }: FieldProps): JSX.Element {
  return (
    <fieldset
      class={`field lead-field lead-group${error ? ' field--invalid' : ''}${cls ? ` ${cls}` : ''}`}
      id={id}
      aria-describedby={aria(id, error, help)['aria-describedby']}
    >
      <legend>{label}</legend>
      {children(aria(id, error, help))}
      <Notes id={id} error={error} help={help} />
    </fieldset>
  );
}
