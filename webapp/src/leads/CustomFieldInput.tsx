// One admin-defined custom field as the native control for its type, and the conversions
// between the API's values and the form's.

import type { JSX } from 'preact';
import type { CustomField, CustomValue } from './api';
import { Field, FieldGroup } from './Field';
import { formatDate, formatDateTime, formatMoney, isoToLocalInput, localInputToIso } from './format';

/** A value as the form holds it: text for inputs, true/false for a checkbox, a list for multi-select. */
export type FormValue = string | boolean | string[];

export function toFormValue(field: CustomField, value: CustomValue | undefined): FormValue {
  const v = value ?? null;
  switch (field.type) {
    case 'checkbox':
      return v === true;
    case 'multi_select':
      return Array.isArray(v) ? v : [];
    case 'datetime':
      return typeof v === 'string' ? isoToLocalInput(v) : '';
    default:
      return v === null || Array.isArray(v) || typeof v === 'boolean' ? '' : String(v);
  }
}

/** The value to send; empty text becomes null (which clears the field). */
export function toApiValue(field: CustomField, value: FormValue): CustomValue {
  if (typeof value === 'boolean' || Array.isArray(value)) return value;
  const text = value.trim();
  if (text === '') return null;
  switch (field.type) {
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text; // the server explains what is wrong with the text
    }
    case 'datetime':
      return localInputToIso(text) ?? text;
    case 'text':
    case 'long_text':
      return value;
    default:
      return text;
  }
}

export function sameValue(a: FormValue, b: FormValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** A custom value as text for reading. */
export function customValueText(field: CustomField, value: CustomValue | undefined): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'checkbox':
      return value === true ? 'Yes' : 'No';
    case 'multi_select':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'money':
      return formatMoney(String(value));
    case 'date':
      return formatDate(String(value));
    case 'datetime':
      return formatDateTime(String(value));
    default:
      return String(value);
  }
}

interface CustomFieldInputProps {
  field: CustomField;
  /** Prefix for element ids, so two forms on a page never share one. */
  idPrefix: string;
  value: FormValue;
  error?: string | undefined;
  onChange: (value: FormValue) => void;
}

export function CustomFieldInput({ field, idPrefix, value, error, onChange }: CustomFieldInputProps): JSX.Element {
  const id = `${idPrefix}-cf-${field.key}`;
  const label = (
    <>
      {field.label}
      {field.required && <span class="lead-required"> (required)</span>}
    </>
  );
  const text = typeof value === 'string' ? value : '';
  const options = field.options ?? [];

  switch (field.type) {
    case 'long_text':
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <textarea id={id} rows={3} value={text} {...aria} onInput={(e) => onChange(e.currentTarget.value)} />
          )}
        </Field>
      );
    case 'number':
    case 'money':
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <input
              id={id}
              type="text"
              inputMode="decimal"
              value={text}
              {...aria}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          )}
        </Field>
      );
    case 'date':
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => <input id={id} type="date" value={text} {...aria} onInput={(e) => onChange(e.currentTarget.value)} />}
        </Field>
      );
    case 'datetime':
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <input id={id} type="datetime-local" value={text} {...aria} onInput={(e) => onChange(e.currentTarget.value)} />
          )}
        </Field>
      );
    case 'dropdown':
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <select id={id} value={text} {...aria} onChange={(e) => onChange(e.currentTarget.value)}>
              <option value="">—</option>
              {options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
              {text && !options.includes(text) && <option value={text}>{text}</option>}
            </select>
          )}
        </Field>
      );
    case 'radio':
      return (
        <FieldGroup id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <div class="lead-choices">
              {options.map((o, i) => (
                <label key={o} class="lead-choice">
                  <input
                    type="radio"
                    name={id}
                    id={`${id}-${i}`}
                    value={o}
                    checked={text === o}
                    aria-invalid={aria['aria-invalid']}
                    onChange={() => onChange(o)}
                  />
                  {o}
                </label>
              ))}
              {!field.required && (
                <label class="lead-choice">
                  <input type="radio" name={id} value="" checked={text === ''} onChange={() => onChange('')} />
                  None
                </label>
              )}
            </div>
          )}
        </FieldGroup>
      );
    case 'checkbox':
      return (
        <div class={`field lead-field lead-check${error ? ' field--invalid' : ''}`}>
          <label class="lead-choice" for={id}>
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={[field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
              onChange={(e) => onChange(e.currentTarget.checked)}
            />
            {label}
          </label>
          {field.help && (
            <p class="lead-help" id={`${id}-help`}>
              {field.help}
            </p>
          )}
          {error && (
            <p class="field-error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
      );
    case 'multi_select': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <FieldGroup id={id} label={label} error={error} help={field.help}>
          {(aria) => (
            <div class="lead-choices">
              {options.map((o, i) => (
                <label key={o} class="lead-choice">
                  <input
                    type="checkbox"
                    id={`${id}-${i}`}
                    checked={chosen.includes(o)}
                    aria-invalid={aria['aria-invalid']}
                    onChange={(e) =>
                      onChange(e.currentTarget.checked ? options.filter((x) => x === o || chosen.includes(x)) : chosen.filter((x) => x !== o))
                    }
                  />
                  {o}
                </label>
              ))}
            </div>
          )}
        </FieldGroup>
      );
    }
    default:
      return (
        <Field id={id} label={label} error={error} help={field.help}>
          {(aria) => <input id={id} type="text" value={text} {...aria} onInput={(e) => onChange(e.currentTarget.value)} />}
        </Field>
      );
  }
}
