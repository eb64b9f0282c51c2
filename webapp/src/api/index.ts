// The app's entry to the API: the shared client, its error type and the shapes.

export { api, type Conditional, type RequestOptions } from './client';
export { ApiError } from './error';
export type { AuthResponse, Page, Role, User } from './types';
