// The app's entry to the API: the shared client, its error type and one function per call.

import { api } from './client';
import type { Page, User } from './types';

export { api } from './client';
export { ApiError } from './error';
export type { AuthResponse, Page, Role, User } from './types';

/** GET /api/v1/settings/users (admin only), one page at a time. */
export function listSettingsUsers(after: string | null = null): Promise<Page<User>> {
  const query = after === null ? '' : `?after=${encodeURIComponent(after)}`;
  return api.get<Page<User>>(`/api/v1/settings/users${query}`);
}
