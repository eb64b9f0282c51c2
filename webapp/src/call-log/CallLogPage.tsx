// Call log: the To Be Scheduled, Schedule and Lead Bank tabs (each its own address, with
// counts), and the Schedule as a calendar.
//
//   /call-log             To Be Scheduled
//   /call-log/schedule    Schedule, as a list
//   /call-log/calendar    Schedule, as a calendar (+ the iCalendar subscription link)
//   /call-log/lead-bank   Lead Bank

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api';
import { NotFoundPage } from '../NotFoundPage';
import { Link } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { listCallLog, type Tab, type TabCounts } from './api';
import { ScheduleCalendar } from './ScheduleCalendar';
import { countText, TABS } from './states';
import { TabPanel } from './TabPanel';

type View = Tab | 'calendar';

const VIEWS: Record<string, View> = {
  '/call-log': 'to_be_scheduled',
  '/call-log/schedule': 'schedule',
  '/call-log/calendar': 'calendar',
  '/call-log/lead-bank': 'lead_bank',
};

function Tabs({ current, counts }: { current: Tab; counts: TabCounts | null }): JSX.Element {
  return (
    <nav class="calllog-tabs" aria-label="Call log tabs">
      <ul>
        {TABS.map((t) => (
          <li key={t.tab}>
            <Link href={t.path} aria-current={t.tab === current ? 'page' : undefined}>
              <span class="calllog-tab-label">{t.label}</span>{' '}
              <span class="calllog-tab-count">
                {counts ? countText(counts[t.tab]) : '…'}
                <span class="visually-hidden">{counts?.[t.tab] === 1 ? ' lead' : ' leads'}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ScheduleViews({ calendar }: { calendar: boolean }): JSX.Element {
  return (
    <nav class="calllog-views" aria-label="Show the schedule as">
      <Link href="/call-log/schedule" aria-current={calendar ? undefined : 'page'}>
        List
      </Link>
      <Link href="/call-log/calendar" aria-current={calendar ? 'page' : undefined}>
        Calendar
      </Link>
    </nav>
  );
}

/** path: the full address path under this section; user: who is signed in. */
export function CallLogPage({ path }: { path: string; user: User }): JSX.Element {
  const view = VIEWS[path.length > 1 ? path.replace(/\/+$/, '') : path];
  const [counts, setCounts] = useState<TabCounts | null>(null);

  // The calendar does not list leads, so it asks for the counts alone.
  useEffect(() => {
    if (view !== 'calendar') return;
    listCallLog('schedule', { limit: 1 }).then(
      (page) => setCounts(page.counts),
      () => {},
    );
  }, [view]);

  if (view === undefined) return <NotFoundPage />;
  const tab: Tab = view === 'calendar' ? 'schedule' : view;
  const title = TABS.find((t) => t.tab === tab)?.label ?? '';
  // Each tab has its own document title, so history and tabs tell them apart.
  const documentTitle = `${view === 'calendar' ? 'Calendar' : title} · Call log`;

  return (
    <>
      <PageHeading title={documentTitle}>Call log</PageHeading>
      <Tabs current={tab} counts={counts} />
      <section class="calllog-section" aria-labelledby="calllog-tab-title">
        <div class="calllog-section-head">
          <h2 id="calllog-tab-title">{view === 'calendar' ? 'Schedule: calendar' : title}</h2>
          {tab === 'schedule' && <ScheduleViews calendar={view === 'calendar'} />}
        </div>
        {view === 'calendar' ? <ScheduleCalendar /> : <TabPanel key={tab} tab={tab} onCounts={setCounts} />}
      </section>
    </>
  );
}
