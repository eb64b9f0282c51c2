// Leads: search and the lead record — not built yet.

import type { JSX } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';
import type { User } from '../api';

/** path: the full address path under this section; user: who is signed in. */
export function LeadsPage(_props: { path: string; user: User }): JSX.Element {
  return (
    <>
      <PageHeading>Leads</PageHeading>
      <Placeholder title="Coming next">
        Search leads by name, phone, e-mail, status and more, open a lead record, and add a new lead. Not available yet.
      </Placeholder>
    </>
  );
}
