// Dates for the call log, all in the user's local time: the quick-schedule shortcuts,
// the native datetime-local input's value format, and how times read on screen.

export interface Shortcut {
  label: string;
  at: Date;
}

/** 9:00 local time, `days` days after `now`'s date. */
function nineAm(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0, 0, 0);
}

/** "Tomorrow 9:00", "In 2 days 9:00", "Next Monday 9:00" (Monday after today, 7 days on a Monday). */
export function shortcuts(now = new Date()): Shortcut[] {
  const toMonday = ((8 - now.getDay()) % 7) || 7;
  return [
    { label: 'Tomorrow 9:00', at: nineAm(now, 1) },
    { label: 'In 2 days 9:00', at: nineAm(now, 2) },
    { label: 'Next Monday 9:00', at: nineAm(now, toMonday) },
  ];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The value an <input type="datetime-local"> takes for `at`: 2026-12-01T09:00, local time. */
export function toLocalInput(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Reads a datetime-local value as local time; null when it is empty or not a date. */
export function fromLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const at = new Date(y, mo - 1, d, h, mi, 0, 0);
  return Number.isNaN(at.getTime()) ? null : at;
}

const dayTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "Thu 26 Nov, 09:00" in the user's locale and time zone. */
export function formatDayTime(at: Date | string): string {
  return dayTime.format(typeof at === 'string' ? new Date(at) : at);
}

/** "09:00" in the user's locale and time zone. */
export function formatTime(at: Date | string): string {
  return timeOnly.format(typeof at === 'string' ? new Date(at) : at);
}

/** Local midnight at the start of `at`'s day. */
export function startOfDay(at: Date): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate());
}

/** `days` days after `at`, by the calendar (safe across daylight-saving changes). */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate() + days, at.getHours(), at.getMinutes());
}
