// Leads: search and the lead record — not built yet.

import type { JSX } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';

export function LeadsPage(): JSX.Element {
  return (
    <>
      <PageHeading>Leads</PageHeading>
      <Placeholder title="Coming next">
        Search leads by name, phone, e-mail, status and more, open a lead record, and add a new lead. Not available yet.
      </Placeholder>
    </>
  );
}
