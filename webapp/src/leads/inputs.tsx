// Labelled native inputs the lead forms share: text, select (from an admin list), a list of
// phones or e-mails, and checkbox lists.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Field, FieldGroup } from './Field';

export type Errors = Readonly<Record<string, string>>;

interface TextInputProps {
  id: string;
  label: ComponentChildren;
  value: string;
  error?: string | undefined;
  help?: string | null;
  type?: 'text' | 'email' | 'tel' | 'number' | 'date' | 'datetime-local';
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email' | 'tel';
  autoComplete?: string;
  maxLength?: number;
  multiline?: boolean;
  onInput: (value: string) => void;
}

export function TextInput(props: TextInputProps): JSX.Element {
  const { id, label, value, error, help, type = 'text', inputMode, autoComplete, maxLength, multiline, onInput } = props;
  return (
    <Field id={id} label={label} error={error} help={help}>
      {(aria) =>
        multiline ? (
          <textarea id={id} rows={4} value={value} maxLength={maxLength} {...aria} onInput={(e) => onInput(e.currentTarget.value)} />
        ) : (
          <input
            id={id}
            // Preact types each input type separately; they all take a string value here.
            type={type as 'text'}
            value={value}
            inputMode={inputMode}
            autoComplete={autoComplete}
            maxLength={maxLength}
            {...aria}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
        )
      }
    </Field>
  );
}

interface SelectInputProps {
  id: string;
  label: string;
  value: number | null;
  items: readonly { id: number; name: string }[];
  error?: string | undefined;
  /** The first option, meaning "none"; leave out to require a choice. */
  empty?: string;
  onChange: (value: number | null) => void;
}

export function SelectInput({ id, label, value, items, error, empty, onChange }: SelectInputProps): JSX.Element {
  return (
    <Field id={id} label={label} error={error}>
      {(aria) => (
        <select
          id={id}
          value={value === null ? '' : String(value)}
          {...aria}
          onChange={(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {items.map((item) => (
            <option key={item.id} value={String(item.id)}>
              {item.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface ListInputProps {
  id: string;
  /** "Phone", "E-mail": each input is labelled "<label> 1", "<label> 2" … */
  label: string;
  legend: string;
  values: string[];
  type: 'tel' | 'email';
  error?: string | undefined;
  max?: number;
  onChange: (values: string[]) => void;
  /** Shown below the inputs (the duplicate hints of the new-lead form). */
  after?: ComponentChildren;
}

/**
 * A list of phones or e-mails: one input each, Add and Remove buttons; always one input.
 * The API reports errors for the list as a whole ("emails"), shown right below the inputs.
 */
export function ListInput({ id, label, legend, values, type, error, max = 10, onChange, after }: ListInputProps): JSX.Element {
  const rows = values.length ? values : [''];
  const set = (i: number, v: string): void => onChange(rows.map((x, k) => (k === i ? v : x)));
  const errorId = `${id}-error`;
  const added = useRef(false);
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    document.getElementById(`${id}-${rows.length - 1}`)?.focus();
  }, [rows.length, id]);
  return (
    <fieldset class={`field lead-field lead-group${error ? ' field--invalid' : ''}`} id={id} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div>
        {rows.map((v, i) => (
          <div class="lead-list-row" key={i}>
            <label class="visually-hidden" for={`${id}-${i}`}>
              {`${label} ${i + 1}`}
            </label>
            <input
              id={`${id}-${i}`}
              type={type as 'text'}
              inputMode={type}
              autoComplete={type === 'email' ? 'email' : 'tel'}
              value={v}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? errorId : undefined}
              onInput={(e) => set(i, e.currentTarget.value)}
            />
            {rows.length > 1 && (
              <button
                type="button"
                class="button button--secondary button--small"
                aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
                onClick={() => onChange(rows.filter((_, k) => k !== i))}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        {error && (
          <p class="field-error" id={errorId}>
            {error}
          </p>
        )}
        {after}
      </div>
      {rows.length < max && (
        <button type="button" class="button button--secondary button--small" onClick={() => {
            added.current = true;
            onChange([...rows, '']);
          }}
        >
          {`Add ${label.toLowerCase()}`}
        </button>
      )}
    </fieldset>
  );
}

interface CheckListProps {
  id: string;
  legend: string;
  items: readonly { id: number; name: string }[];
  chosen: readonly number[];
  error?: string | undefined;
  onChange: (chosen: number[]) => void;
}

export function CheckList({ id, legend, items, chosen, error, onChange }: CheckListProps): JSX.Element {
  return (
    <FieldGroup id={id} label={legend} error={error}>
      {(aria) => (
        <div class="lead-choices">
          {items.map((item) => (
            <label class="lead-choice" key={item.id}>
              <input
                type="checkbox"
                checked={chosen.includes(item.id)}
                aria-invalid={aria['aria-invalid']}
                onChange={(e) =>
                  onChange(
                    e.currentTarget.checked
                      ? items.filter((x) => x.id === item.id || chosen.includes(x.id)).map((x) => x.id)
                      : chosen.filter((x) => x !== item.id),
                  )
                }
              />
              {item.name}
            </label>
          ))}
        </div>
      )}
    </FieldGroup>
  );
}

/** Trimmed non-empty entries of a phone or e-mail list. */
export function cleanList(values: readonly string[]): string[] {
  return values.map((v) => v.trim()).filter((v) => v !== '');
}

export interface AddressDraft {
  street: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
}

export function addressDraft(a: { [K in keyof AddressDraft]: string | null } | null): AddressDraft {
  return {
    street: a?.street ?? '',
    city: a?.city ?? '',
    region: a?.region ?? '',
    postal_code: a?.postal_code ?? '',
    country: a?.country ?? '',
  };
}

/** Street, city, region, postal code, country; errors come as "address.city" … */
export function AddressInput({
  idPrefix,
  value,
  errors,
  onChange,
}: {
  idPrefix: string;
  value: AddressDraft;
  errors: Errors;
  onChange: (value: AddressDraft) => void;
}): JSX.Element {
  const part = (key: keyof AddressDraft, label: string, autoComplete: string, maxLength: number): JSX.Element => (
    <TextInput
      id={`${idPrefix}-${key.replace('_', '-')}`}
      label={label}
      value={value[key]}
      error={errors[`address.${key}`]}
      autoComplete={autoComplete}
      maxLength={maxLength}
      onInput={(v) => onChange({ ...value, [key]: v })}
    />
  );
  return (
    <fieldset class="lead-fieldset">
      <legend>Address</legend>
      {errors['address'] && <p class="field-error">{errors['address']}</p>}
      {part('street', 'Street', 'street-address', 200)}
      <div class="lead-row">
        {part('city', 'City', 'address-level2', 100)}
        {part('region', 'Region', 'address-level1', 100)}
      </div>
      <div class="lead-row">
        {part('postal_code', 'Postal code', 'postal-code', 20)}
        {part('country', 'Country (two letters)', 'country', 2)}
      </div>
    </fieldset>
  );
}
