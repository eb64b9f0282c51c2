// ApiError: a failed call, read from the error envelope (or made up for network failures),
// so screens can show the message, the per-field errors and when to try again.

import type { ErrorEnvelope } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Seconds to wait before trying again (from Retry-After), or null. */
  readonly retryAfter: number | null;
  /** The whole `error` object, for codes that carry more (possible_duplicate's candidates). */
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    retryAfter: number | null = null,
    detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.detail = detail;
  }
}

/** Seconds from a Retry-After header: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'You are not signed in.',
  403: 'You do not have access to this.',
  404: 'Not found.',
  429: 'Too many requests. Try again later.',
  502: 'The server is not answering. Try again in a moment.',
  503: 'The service is unavailable. Try again in a moment.',
  504: 'The server took too long to answer. Try again in a moment.',
};

/** Builds an ApiError from a non-2xx response, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (e.g. an HTML page from a proxy): fall back to a message for the status.
  }
  if (isEnvelope(body)) {
    const { code, message, fields } = body.error;
    return new ApiError(res.status, code, message, fields ?? {}, retryAfter, body.error as Record<string, unknown>);
  }
  const message = FALLBACK_MESSAGES[res.status] ?? `The server answered with an error (${res.status}).`;
  return new ApiError(res.status, `http_${res.status}`, message, {}, retryAfter);
}

export function networkError(): ApiError {
  return new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
}
