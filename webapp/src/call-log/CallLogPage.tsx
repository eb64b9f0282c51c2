// Call log: To Be Scheduled, Schedule (calendar) and Lead Bank tabs — not built yet.

import type { JSX } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';
import type { User } from '../api';

/** path: the full address path under this section; user: who is signed in. */
export function CallLogPage(_props: { path: string; user: User }): JSX.Element {
  return (
    <>
      <PageHeading>Call log</PageHeading>
      <Placeholder title="Coming next">
        The leads you work, in three tabs: To Be Scheduled, Schedule with a calendar, and the Lead Bank. Not available yet.
      </Placeholder>
    </>
  );
}
