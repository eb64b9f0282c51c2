// The Schedule tab as a calendar: the FullCalendar widget (loaded on demand) and the
// subscription link for Google, Outlook and Apple calendars.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate } from '../router';
import { ErrorNotice, Loading } from '../ui/Status';
import { FeedPanel } from './FeedPanel';

export function ScheduleCalendar(): JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let unmount: (() => void) | null = null;
    let gone = false;
    setFailed(null);
    import('./fullcalendar').then(
      ({ mountCalendar }) => {
        if (gone || !hostRef.current) return;
        unmount = mountCalendar(hostRef.current, {
          onOpenLead: (leadId) => navigate(`/leads/${leadId}`),
          onError: setEventsError,
          onLoading: setLoading,
        });
        setMounted(true);
      },
      () => {
        if (!gone) setFailed('The calendar could not load. Check your connection and try again.');
      },
    );
    return () => {
      gone = true;
      unmount?.();
    };
  }, [attempt]);

  return (
    <div class="calllog-panel">
      <p class="muted">Your follow-ups on a calendar. Choose one to open the lead.</p>
      {failed && <ErrorNotice message={failed} onRetry={() => setAttempt((n) => n + 1)} />}
      {!mounted && !failed && <Loading label="Loading the calendar…" />}
      {eventsError && <ErrorNotice message={eventsError} />}
      <p class="visually-hidden" role="status">
        {loading ? 'Loading follow-ups…' : ''}
      </p>
      <section class="calllog-calendar" aria-label="Follow-up calendar" aria-busy={loading ? 'true' : undefined}>
        <div ref={hostRef} />
      </section>
      <FeedPanel />
    </div>
  );
}
