// How roles read in the interface.

import type { Role } from '../api';

const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Admin',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role] ?? role;
}
