// The shapes the Leadmap API sends and accepts (docs/openapi.yaml is the reference).

export type Role = 'agent' | 'supervisor' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  group_id: number | null;
  unit_ids: number[];
  permissions: string[];
  active: boolean;
}

/** Body of a successful POST /auth/login or /auth/refresh. */
export interface AuthResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

/** Every keyset-paginated list: `next` is the cursor for `?after=`, null on the last page. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** The one error envelope every 4xx/5xx carries. */
export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
  };
}
