// Home: the signed-in user's day at a glance: today's follow-ups and the call-log counts,
// each linking into the call log, and My Current Tasks (tasks/MyTasksPanel.tsx).

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { listCallLog, listEvents, type CalendarEvent, type TabCounts } from '../call-log/api';
import { addDays, formatTime, startOfDay } from '../call-log/dates';
import { countText } from '../call-log/states';
import { Link } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { MyTasksPanel } from '../tasks/MyTasksPanel';
import { ErrorNotice, Loading } from '../ui/Status';
import { CallsDue } from './CallsDue';

type Loaded<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: T };

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

/** Loads once on mount; `retry` loads again. */
function useLoad<T>(fn: () => Promise<T>): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let gone = false;
    setState({ kind: 'loading' });
    fn().then(
      (value) => !gone && setState({ kind: 'ready', value }),
      (err: unknown) => !gone && setState({ kind: 'error', message: errorText(err) }),
    );
    return () => {
      gone = true;
    };
  }, [attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}

/** The counts come with any page of a tab: ask for the smallest one. */
async function loadCounts(): Promise<TabCounts> {
  const page = await listCallLog('to_be_scheduled', { limit: 1 });
  return page.counts;
}

function loadToday(): Promise<CalendarEvent[]> {
  const start = startOfDay(new Date());
  return listEvents(start, addDays(start, 1));
}

function TodaySchedule(): JSX.Element {
  const [today, retry] = useLoad(loadToday);
  return (
    <section class="panel calllog-home" aria-labelledby="home-today">
      <h2 id="home-today">Today's schedule</h2>
      {today.kind === 'loading' && <Loading label="Loading today's follow-ups…" />}
      {today.kind === 'error' && <ErrorNotice message={today.message} onRetry={retry} />}
      {today.kind === 'ready' &&
        (today.value.length === 0 ? (
          <p class="muted">No follow-ups scheduled for today.</p>
        ) : (
          <ul class="calllog-home-list">
            {today.value.map((e) => (
              <li key={e.id}>
                <time dateTime={e.start} class="calllog-home-time">
                  {formatTime(e.start)}
                </time>
                <Link href={`/leads/${e.lead_id}`}>{e.title}</Link>
                {e.call_state === 'missed' && <span class="calllog-badge calllog-badge--missed">Missed</span>}
              </li>
            ))}
          </ul>
        ))}
      <p>
        <Link href="/call-log/calendar">Open your calendar</Link>
      </p>
    </section>
  );
}

function CallLogCounts(): JSX.Element {
  const [counts, retry] = useLoad(loadCounts);
  return (
    <section class="panel calllog-home" aria-labelledby="home-counts">
      <h2 id="home-counts">Call-log counts</h2>
      {counts.kind === 'loading' && <Loading label="Loading counts…" />}
      {counts.kind === 'error' && <ErrorNotice message={counts.message} onRetry={retry} />}
      {counts.kind === 'ready' && (
        <ul class="calllog-home-counts">
          <li>
            <Link href="/call-log">
              <span class="calllog-home-count">{countText(counts.value.to_be_scheduled)}</span>{' '}
              <span>To Be Scheduled</span>
            </Link>
            <span class="calllog-home-detail">
              {countText(counts.value.missed)} missed, {countText(counts.value.past_due)} past due
            </span>
          </li>
          <li>
            <Link href="/call-log/schedule">
              <span class="calllog-home-count">{countText(counts.value.schedule)}</span>{' '}
              <span>Scheduled</span>
            </Link>
          </li>
          <li>
            <Link href="/call-log/lead-bank">
              <span class="calllog-home-count">{countText(counts.value.lead_bank)}</span>{' '}
              <span>in the Lead Bank</span>
            </Link>
          </li>
        </ul>
      )}
    </section>
  );
}

export function HomePage({ user }: { user: User }): JSX.Element {
  return (
    <>
      <PageHeading>Home</PageHeading>
      <p class="lead-text">Welcome, {user.name}.</p>
      <div class="grid">
        <MyTasksPanel linkAll />
        <TodaySchedule />
        <CallsDue />
        <CallLogCounts />
        {user.role !== 'agent' && (
          <section class="panel" aria-labelledby="home-maps">
            <h2 id="home-maps">Lead maps</h2>
            <p>
              <Link href="/maps">Funnels: how many leads are in each track of each map</Link>
            </p>
          </section>
        )}
      </div>
    </>
  );
}
