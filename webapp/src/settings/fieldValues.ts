// Custom-field values in forms: every type is edited with a native control holding text
// (or a list of ticked options for multi-select); these turn that draft into the value the
// API takes and back. Dates are "YYYY-MM-DD"; date-times travel as UTC ISO 8601 and are
// edited in the browser's local time (datetime-local).

import { hasOptions, type FieldType, type FieldValue } from './api';

export interface ValueDraft {
  text: string;
  choices: string[];
}

const MONEY = /^-?\d{1,12}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-12-01T09:00:00Z" → "2026-12-01T10:00" in the browser's time zone. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-12-01T10:00" (local) → "2026-12-01T09:00:00Z", or null when not a date-time. */
export function localToIso(local: string): string | null {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function draftOf(type: FieldType, value: FieldValue): ValueDraft {
  if (value === null) return { text: '', choices: [] };
  if (Array.isArray(value)) return { text: '', choices: value };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false', choices: [] };
  if (type === 'datetime' && typeof value === 'string') return { text: isoToLocal(value), choices: [] };
  return { text: String(value), choices: [] };
}

/** The value for the API (null: none), or a message for the field. */
export function valueOf(type: FieldType, draft: ValueDraft, options: readonly string[]): { value: FieldValue } | { error: string } {
  const text = draft.text.trim();
  if (type === 'multi_select') {
    const picked = draft.choices.filter((c) => options.includes(c));
    return { value: picked.length === 0 ? null : picked };
  }
  if (text === '') return { value: null };
  switch (type) {
    case 'text':
      return text.length > 255 ? { error: 'At most 255 characters.' } : { value: text };
    case 'long_text':
      return text.length > 4000 ? { error: 'At most 4000 characters.' } : { value: draft.text };
    case 'number': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: 'Enter a number.' };
    }
    case 'money': {
      const amount = text.replace(/,/g, '');
      return MONEY.test(amount) ? { value: amount } : { error: 'Enter an amount like 1200.00.' };
    }
    case 'date':
      return DATE.test(text) ? { value: text } : { error: 'Enter a date.' };
    case 'datetime': {
      const iso = localToIso(text);
      return iso === null ? { error: 'Enter a date and time.' } : { value: iso };
    }
    case 'checkbox':
      return { value: text === 'true' };
    case 'dropdown':
    case 'radio':
      return options.includes(text) ? { value: text } : { value: null };
  }
}

/** How a value reads in a list ("Ticked", "Phone, E-mail", a local date-time …). */
export function describeValue(type: FieldType, value: FieldValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Ticked' : 'Not ticked';
  if (type === 'datetime' && typeof value === 'string') return isoToLocal(value).replace('T', ' ');
  return String(value);
}

/** The options textarea (one per line) → the list, trimmed, without blank lines. */
export function parseOptions(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function checkOptions(type: FieldType, options: readonly string[]): string | null {
  if (!hasOptions(type)) return null;
  if (options.length === 0) return 'List at least one option, one per line.';
  if (options.length > 50) return 'At most 50 options.';
  if (options.some((o) => o.length > 200)) return 'Each option has at most 200 characters.';
  if (new Set(options).size !== options.length) return 'Options must be different.';
  return null;
}

/** A key from a label: "Service requested" → "service_requested". */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
  return key.slice(0, 64);
}
