// Home: the signed-in user's day at a glance. The sections are placeholders until the
// tasks, schedule and call-log APIs exist.

import type { JSX } from 'preact';
import type { User } from '../api';
import { PageHeading } from '../ui/PageHeading';
import { Placeholder } from '../ui/Placeholder';

export function HomePage({ user }: { user: User }): JSX.Element {
  return (
    <>
      <PageHeading>Home</PageHeading>
      <p class="lead-text">Welcome, {user.name}.</p>
      <div class="grid">
        <Placeholder title="My Current Tasks">Your open and pending tasks will be listed here. Not available yet.</Placeholder>
        <Placeholder title="Today's schedule">Today's calls, meetings and events will appear here. Not available yet.</Placeholder>
        <Placeholder title="Call-log counts">
          How many leads are to be scheduled, scheduled, missed and past due. Not available yet.
        </Placeholder>
      </div>
    </>
  );
}
