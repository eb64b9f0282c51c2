// Leads: the section's router. /leads is the search, /leads/new the new-lead form,
// /leads/import the CSV import, /leads/{id} the lead record and /leads/{id}/merge the
// merge screen (?with={other id}).

import type { JSX } from 'preact';
import type { User } from '../api';
import { NotFoundPage } from '../NotFoundPage';
import { LeadRecordPage } from './LeadRecordPage';
import { ImportPage } from './ImportPage';
import { LeadSearchPage } from './LeadSearchPage';
import { MergePage } from './MergePage';
import { NewLeadPage } from './NewLeadPage';

/** path: the full address path under this section; user: who is signed in. */
export function LeadsPage({ path, user }: { path: string; user: User }): JSX.Element {
  const rest = path.replace(/^\/leads\/?/, '').replace(/\/$/, '');
  if (rest === '') return <LeadSearchPage user={user} />;
  if (rest === 'new') return <NewLeadPage />;
  if (rest === 'import') return <ImportPage />;
  const merge = /^([1-9]\d{0,17})\/merge$/.exec(rest);
  if (merge) return <MergePage key={rest} id={Number(merge[1])} />;
  if (/^[1-9]\d{0,17}$/.test(rest)) return <LeadRecordPage key={rest} id={Number(rest)} user={user} />;
  return <NotFoundPage />;
}
