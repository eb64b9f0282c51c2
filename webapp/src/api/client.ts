// The one typed client for the Leadmap API.
//
// DESIGN: the access token lives only in this module's memory (never in storage, so a
// script injected into the page has nothing to steal across reloads). The refresh token is
// an HttpOnly cookie scoped to /api/v1/auth that this code never sees: POST
// /api/v1/auth/refresh turns it into a new access token (and rotates the cookie). So:
//   - on app start, restore() calls refresh to pick the session up again after a reload;
//   - a timer refreshes shortly before expires_in runs out;
//   - a 401 on any other call triggers one refresh and one retry of that call;
//   - when refresh answers 401 the session is over and listeners hear `null`.
// Refreshes are de-duplicated inside a tab (one promise) and serialised across tabs with
// the Web Locks API where available: the server revokes the whole token family when an
// already-rotated refresh token comes back, so two tabs must never refresh at once.
//
// The server also names the current settings version (X-Settings-Version: N) on every
// authenticated answer. The client notes it and tells onSettingsVersion listeners, so the
// cached settings bundle (../leads/lists.ts) is dropped as soon as an admin changes a list.

import { ApiError, errorFromResponse, networkError } from './error';
import type { AuthResponse, User } from './types';

type SessionListener = (user: User | null) => void;
/** Hears the settings version a response named, or null: "changed, version not known yet". */
type SettingsVersionListener = (version: number | null) => void;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Extra request headers (If-Match, If-None-Match …); the client sets the rest. A
 * Content-Type here with a string body sends the string as it is (a CSV upload).
 */
export interface RequestOptions {
  headers?: Record<string, string>;
}

/** A conditional GET: the body and its ETag, or `null` for 304 Not Modified. */
export type Conditional<T> = { body: T; etag: string | null } | null;

const SETTINGS_VERSION_HEADER = 'X-Settings-Version';

const REFRESH_LOCK = 'leadmap-auth-refresh';
/** Refresh this long before the access token expires (capped at 20% of its lifetime). */
const REFRESH_LEAD_SECONDS = 60;
/** After a failed scheduled refresh (network, 5xx), try again after this long. */
const REFRESH_RETRY_SECONDS = 30;

function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  if ('locks' in navigator && navigator.locks) {
    return navigator.locks.request(REFRESH_LOCK, fn);
  }
  return fn();
}

export class ApiClient {
  private token: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<User | null> | null = null;
  private readonly listeners = new Set<SessionListener>();
  private readonly settingsListeners = new Set<SettingsVersionListener>();
  private settingsVersion: number | null = null;

  /** Hears the user after a background refresh, and `null` when the session ends. */
  onSessionChange(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Hears each new settings version a response names (X-Settings-Version), and null when
   * settingsChanged() says a write changed them.
   */
  onSettingsVersion(listener: SettingsVersionListener): () => void {
    this.settingsListeners.add(listener);
    return () => {
      this.settingsListeners.delete(listener);
    };
  }

  /** The settings version the latest response named, or null before any did. */
  lastSettingsVersion(): number | null {
    return this.settingsVersion;
  }

  /**
   * A settings write succeeded: its own response may still name the version read before the
   * write, so tell the listeners now rather than wait for the next response.
   */
  settingsChanged(): void {
    for (const listener of this.settingsListeners) listener(null);
  }

  /** Signs in; throws ApiError (validation_failed, invalid_credentials, too_many_attempts …). */
  async login(email: string, password: string): Promise<User> {
    const res = await this.send('POST', '/api/v1/auth/login', { email, password }, false);
    if (!res.ok) throw await errorFromResponse(res);
    const auth = (await res.json()) as AuthResponse;
    this.accept(auth);
    return auth.user;
  }

  /** Picks up the session from the refresh cookie: the user, or null when there is none. */
  restore(): Promise<User | null> {
    return this.refresh();
  }

  /** Revokes the refresh token family on the server and forgets the access token. */
  async logout(): Promise<void> {
    try {
      const res = await this.send('POST', '/api/v1/auth/logout', undefined, true);
      if (!res.ok && res.status !== 401) throw await errorFromResponse(res);
    } finally {
      this.forget();
    }
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET with If-None-Match: `etag` when given; null back when the server answers 304. */
  async getConditional<T>(path: string, etag: string | null): Promise<Conditional<T>> {
    const headers: Record<string, string> = etag === null ? {} : { 'If-None-Match': etag };
    const res = await this.authed('GET', path, undefined, { headers });
    if (res.status === 304) return null;
    if (!res.ok) throw await errorFromResponse(res);
    return { body: (await res.json()) as T, etag: res.headers.get('ETag') };
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** An authenticated GET of a file (an export): its bytes, or an ApiError. */
  async blob(path: string): Promise<Blob> {
    const res = await this.authed('GET', path, undefined, { headers: { Accept: '*/*' } });
    if (!res.ok) throw await errorFromResponse(res);
    return res.blob();
  }

  /** An authenticated call: one refresh-and-retry on 401, JSON in and out. */
  async request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const res = await this.authed(method, path, body, options);
    if (!res.ok) throw await errorFromResponse(res);
    if (res.status === 204 || res.headers.get('Content-Length') === '0') return undefined as T;
    return (await res.json()) as T;
  }

  /** Sends with the access token; on 401 refreshes once and retries, or ends the session. */
  private async authed(method: Method, path: string, body: unknown, options: RequestOptions): Promise<Response> {
    const usedToken = this.token;
    let res = await this.send(method, path, body, true, options.headers);
    if (res.status === 401) {
      // Another call may have refreshed while this one was in flight: then just retry.
      const user = this.token !== null && this.token !== usedToken ? true : await this.refresh();
      if (user === null) {
        this.end();
        throw await errorFromResponse(res);
      }
      res = await this.send(method, path, body, true, options.headers);
    }
    return res;
  }

  private async send(
    method: Method,
    path: string,
    body: unknown,
    auth: boolean,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    // X-Requested-With: the refresh and logout routes, authenticated by a cookie, take only
    // requests that a page on another site could not send without a CORS preflight (CSRF).
    const headers: Record<string, string> = { ...extra, Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    const raw = extra['Content-Type'] !== undefined && typeof body === 'string';
    if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
    if (auth && this.token !== null) headers['Authorization'] = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) init.body = raw ? (body as string) : JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(path, init);
    } catch {
      throw networkError();
    }
    this.noteSettingsVersion(res);
    return res;
  }

  private noteSettingsVersion(res: Response): void {
    const text = res.headers.get(SETTINGS_VERSION_HEADER);
    if (text === null || !/^\d{1,15}$/.test(text.trim())) return;
    const version = Number(text.trim());
    if (version === this.settingsVersion) return;
    this.settingsVersion = version;
    for (const listener of this.settingsListeners) listener(version);
  }

  /** One refresh at a time: the user, null on 401; throws ApiError on network/server errors. */
  private refresh(): Promise<User | null> {
    if (this.refreshing === null) {
      this.refreshing = withRefreshLock(() => this.refreshNow()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async refreshNow(): Promise<User | null> {
    const res = await this.send('POST', '/api/v1/auth/refresh', undefined, false);
    if (res.status === 401) {
      this.forget();
      return null;
    }
    if (!res.ok) throw await errorFromResponse(res);
    const auth = (await res.json()) as AuthResponse;
    this.accept(auth);
    return auth.user;
  }

  private accept(auth: AuthResponse): void {
    this.token = auth.access_token;
    const lead = Math.min(REFRESH_LEAD_SECONDS, auth.expires_in * 0.2);
    this.schedule(Math.max(5, auth.expires_in - lead));
  }

  private schedule(seconds: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().then(
        (user) => (user === null ? this.end() : this.notify(user)),
        (err: unknown) => {
          if (err instanceof ApiError) this.schedule(REFRESH_RETRY_SECONDS);
        },
      );
    }, seconds * 1000);
  }

  private forget(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.token = null;
  }

  private end(): void {
    this.forget();
    this.notify(null);
  }

  private notify(user: User | null): void {
    for (const listener of this.listeners) listener(user);
  }
}

export const api = new ApiClient();
