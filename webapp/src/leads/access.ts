// Who may change a lead, worked out in the app so the page can show a Lead Bank lead
// read-only instead of letting the user type and then refusing (403 claim_first).
// It mirrors the server's rule (docs/architecture.md, "Access is one SQL predicate";
// ACCESS_OWN in fcgi/src/store/leads.c): admins every lead; a supervisor the leads of
// their group; anyone the leads they own, are on the team of, or that are assigned to one
// of their units. Everyone else sees a lead only while it sits in the Lead Bank.

import type { User } from '../api';
import type { Lead } from './api';

/** The server's ACCESS_OWN: the user may edit the lead. */
export function mayEdit(lead: Lead, user: User): boolean {
  return (
    user.role === 'admin' ||
    (user.role === 'supervisor' && lead.group_id !== null && lead.group_id === user.group_id) ||
    lead.owner_id === user.id ||
    lead.team.includes(user.id) ||
    (lead.unit_id !== null && user.unit_ids.includes(lead.unit_id))
  );
}

/** Abandoned or available: anyone may claim it. */
export function inLeadBank(lead: Lead): boolean {
  return lead.call_log.state === 'abandoned' || lead.call_log.state === 'available';
}

/** The user sees the lead only through the Lead Bank: every change waits for a claim. */
export function mustClaimFirst(lead: Lead, user: User): boolean {
  return inLeadBank(lead) && !mayEdit(lead, user);
}
