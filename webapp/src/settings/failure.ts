// Turning a failed call into what a form shows: a message above the buttons and the
// server's per-field errors (error.fields) beside the fields they name.

import { ApiError } from '../api';

export type FieldErrors = Readonly<Record<string, string>>;

export interface Failure {
  /** For the whole form (role=alert); null when there is nothing to say beyond the fields. */
  message: string | null;
  fields: FieldErrors;
}

export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

/**
 * `shown`: the field names the form displays. Field errors for names the form does not
 * show (a server rule the form cannot express) are added to the form message instead,
 * so no error is ever swallowed.
 */
export function failureOf(err: unknown, shown: readonly string[]): Failure {
  if (!(err instanceof ApiError)) return { message: messageOf(err), fields: {} };
  const fields: Record<string, string> = {};
  const others: string[] = [];
  for (const [name, text] of Object.entries(err.fields)) {
    if (shown.includes(name)) fields[name] = text;
    else others.push(`${name.replace(/_/g, ' ')}: ${text}`);
  }
  const message = [err.message, ...others].join(' ');
  return { message, fields };
}

/** A failure found before asking the server (e.g. "Enter a name."). */
export function localFailure(fields: Record<string, string>): Failure | null {
  return Object.keys(fields).length > 0 ? { message: 'Check the highlighted fields.', fields } : null;
}
