// Leads: the section's router. /leads is the search, /leads/new the new-lead form and
// /leads/{id} the lead record.

import type { JSX } from 'preact';
import type { User } from '../api';
import { NotFoundPage } from '../NotFoundPage';
import { LeadRecordPage } from './LeadRecordPage';
import { LeadSearchPage } from './LeadSearchPage';
import { NewLeadPage } from './NewLeadPage';

/** path: the full address path under this section; user: who is signed in. */
export function LeadsPage({ path, user }: { path: string; user: User }): JSX.Element {
  const rest = path.replace(/^\/leads\/?/, '').replace(/\/$/, '');
  if (rest === '') return <LeadSearchPage user={user} />;
  if (rest === 'new') return <NewLeadPage />;
  if (/^[1-9]\d{0,17}$/.test(rest)) return <LeadRecordPage key={rest} id={Number(rest)} user={user} />;
  return <NotFoundPage />;
}
