// How lead values read on screen: names, states, dates, amounts and spans of time in words.

import type { DurationUnit, Lead, LeadSummary, LifeState } from './api';

export const STATE_LABELS: Record<LifeState, string> = {
  new: 'New',
  in_progress: 'In progress',
  won: 'Won',
  lost: 'Lost',
  completed: 'Completed',
};

export const DURATION_UNITS: readonly DurationUnit[] = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'];

export function stateLabel(state: string): string {
  return STATE_LABELS[state as LifeState] ?? state;
}

export function fullName(lead: { first_name: string | null; last_name: string | null }): string {
  const name = `${lead.first_name ?? ''} ${lead.last_name ?? ''}`.trim();
  return name || 'Unnamed lead';
}

/**
 * What an incomplete lead lacks, in words: the same parts the server checks
 * (fcgi/src/domain/lead_validate.c lm_lead_incomplete): a name, a street, a city, a postal
 * code and a phone.
 */
export function missingParts(lead: Pick<Lead, 'first_name' | 'last_name' | 'address' | 'phones'>): string[] {
  const blank = (v: string | null): boolean => !v || v.trim() === '';
  const parts: [boolean, string][] = [
    [blank(lead.first_name) && blank(lead.last_name), 'name'],
    [blank(lead.address.street), 'street'],
    [blank(lead.address.city), 'city'],
    [blank(lead.address.postal_code), 'postal code'],
    [lead.phones.length === 0, 'phone'],
  ];
  return parts.filter(([missing]) => missing).map(([, part]) => part);
}

/** ["street", "city", "postal code"] → "street, city and postal code". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function summaryContact(lead: LeadSummary): string {
  return [lead.phones[0], lead.emails[0], lead.city].filter(Boolean).join(' · ');
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** An ISO instant from the API ("2026-11-07T18:33:04Z") in the user's time zone. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** A calendar date ("1980-07-13"), shown without shifting it into another day. */
export function formatDate(ymd: string | null): string {
  if (!ymd) return '';
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return ymd;
  return dateOnly.format(new Date(y, m - 1, d));
}

const SPANS: readonly [number, string][] = [
  [365 * 86400, 'year'],
  [30 * 86400, 'month'],
  [7 * 86400, 'week'],
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

/** 1555202 → "2 weeks"; rounds down to the largest unit that fits; under a minute → "less than a minute". */
export function spanInWords(seconds: number): string {
  for (const [size, unit] of SPANS) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

export function durationInWords(value: number, unit: DurationUnit): string {
  return `${value} ${value === 1 ? unit.replace(/s$/, '') : unit}`;
}

/** "1200.5" → "1,200.50" (the amount stays exact: no floating point). */
export function formatMoney(amount: string | null): string {
  if (amount === null || amount === '') return '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return amount;
  const whole = (m[2] ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = ((m[3] ?? '') + '00').slice(0, 2);
  return `${m[1]}${whole}.${cents}`;
}

/* ---------- date inputs ---------- */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO instant → the value of <input type="datetime-local"> in local time. */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** <input type="datetime-local"> value → ISO instant (UTC), or null when empty or unreadable. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
