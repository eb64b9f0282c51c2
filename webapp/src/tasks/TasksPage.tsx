// Tasks: My Current Tasks with their Contact / Pending / Complete stages — not built yet.

import type { JSX } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';

export function TasksPage(): JSX.Element {
  return (
    <>
      <PageHeading>Tasks</PageHeading>
      <Placeholder title="Coming next">
        Your open and pending tasks and call-attempt reminders; open one to see its instructions and set it Pending or
        Completed. Not available yet.
      </Placeholder>
    </>
  );
}
