// Call log: To Be Scheduled, Schedule (calendar) and Lead Bank tabs — not built yet.

import type { JSX } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';

export function CallLogPage(): JSX.Element {
  return (
    <>
      <PageHeading>Call log</PageHeading>
      <Placeholder title="Coming next">
        The leads you work, in three tabs: To Be Scheduled, Schedule with a calendar, and the Lead Bank. Not available yet.
      </Placeholder>
    </>
  );
}
