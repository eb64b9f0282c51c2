// One call-log tab's list: loads a page at a time, schedules or claims a lead from its row,
// announces what happened, and reloads (the lead may leave the tab, the counts change).

import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { arrivedByHistory, currentAddress, Link, restoreScroll } from '../router';
import { recallList, rememberList } from '../ui/listMemory';
import { ErrorNotice, Loading } from '../ui/Status';
import { claimLead, isLostClaim, listCallLog, setFollowUp, type CallLogLead, type Tab, type TabCounts } from './api';
import { formatDayTime } from './dates';
import { LeadRow, leadName } from './LeadRow';

const INTRO: Record<Tab, string> = {
  to_be_scheduled:
    'Leads on your call log without a follow-up. Missed follow-ups are marked yellow and past-due leads red: schedule each one.',
  schedule: 'Your scheduled follow-ups, soonest first.',
  lead_bank:
    'Abandoned and available leads from the whole company. Claim one to make it yours and schedule a follow-up: first come, first served.',
};

const EMPTY: Record<Tab, string> = {
  to_be_scheduled: 'Nothing to schedule: every lead on your call log has a follow-up.',
  schedule: 'No follow-ups scheduled.',
  lead_bank: 'The Lead Bank is empty.',
};

type Notice = { kind: 'done' | 'lost'; text: string; link?: { href: string; label: string } } | null;

type Ready = { kind: 'ready'; items: CallLogLead[]; next: string | null; more: 'idle' | 'loading' | string };

type Load = { kind: 'loading' } | { kind: 'error'; message: string } | Ready;

/** A page's size, and the most one request may ask for (the API's cap). */
const PAGE = 50;
const MAX_LIMIT = 200;

/** How many rows a reload asks for: as many as are shown, so loaded pages stay loaded. */
function reloadLimit(load: Load): number {
  return load.kind === 'ready' ? Math.min(Math.max(load.items.length, PAGE), MAX_LIMIT) : PAGE;
}

function bySchedule(a: CallLogLead, b: CallLogLead): number {
  return (a.call_log.follow_up_at ?? '').localeCompare(b.call_log.follow_up_at ?? '') || a.id - b.id;
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

export function TabPanel({ tab, onCounts }: { tab: Tab; onCounts: (counts: TabCounts) => void }): JSX.Element {
  // Back to this tab: the rows the user had loaded, at once; a quiet reload follows.
  const address = useRef(currentAddress()).current;
  const [load, setLoad] = useState<Load>(() => (arrivedByHistory() && recallList<Ready>(address)) || { kind: 'loading' });
  const [openId, setOpenId] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const scrolled = useRef(false);

  const sort = (items: CallLogLead[]): CallLogLead[] => (tab === 'schedule' ? [...items].sort(bySchedule) : items);

  const reload = useCallback(async (): Promise<void> => {
    try {
      const page = await listCallLog(tab, { limit: reloadLimit(loadRef.current) });
      onCounts(page.counts);
      setLoad({ kind: 'ready', items: sort(page.items), next: page.next, more: 'idle' });
    } catch (err) {
      setLoad({ kind: 'error', message: errorText(err) });
    }
  }, [tab, onCounts]);

  useEffect(() => {
    if (loadRef.current.kind !== 'ready') setLoad({ kind: 'loading' });
    void reload();
  }, [reload]);

  useEffect(() => {
    if (load.kind !== 'ready') return;
    rememberList<Ready>(address, { ...load, more: 'idle' });
    if (!scrolled.current) {
      scrolled.current = true;
      restoreScroll();
    }
  }, [load, address]);

  const loadMore = async (): Promise<void> => {
    if (load.kind !== 'ready' || load.next === null) return;
    setLoad({ ...load, more: 'loading' });
    try {
      const page = await listCallLog(tab, { after: load.next, limit: PAGE });
      onCounts(page.counts);
      setLoad({ kind: 'ready', items: sort([...load.items, ...page.items]), next: page.next, more: 'idle' });
    } catch (err) {
      setLoad({ ...load, more: errorText(err) });
    }
  };

  const announce = (next: Notice): void => {
    setNotice(next);
    // After the row closes (it may leave the list), focus goes to the message.
    requestAnimationFrame(() => noticeRef.current?.focus());
  };

  const submit = (lead: CallLogLead) => async (at: Date): Promise<void> => {
    const name = leadName(lead);
    if (tab === 'lead_bank') {
      try {
        await claimLead(lead.id, at);
      } catch (err) {
        if (!(err instanceof ApiError) || !isLostClaim(err)) throw err;
        setOpenId(null);
        announce({
          kind: 'lost',
          text:
            err.code === 'not_in_lead_bank'
              ? err.message
              : 'This lead is no longer in the Lead Bank; someone claimed it first.',
        });
        await reload();
        return;
      }
      setOpenId(null);
      announce({
        kind: 'done',
        text: `You claimed ${name}. Follow-up: ${formatDayTime(at)}.`,
        link: { href: '/call-log/schedule', label: 'See your Schedule' },
      });
    } else {
      await setFollowUp(lead.id, at);
      setOpenId(null);
      announce({
        kind: 'done',
        text: `${name} is scheduled for ${formatDayTime(at)}.`,
        link: tab === 'to_be_scheduled' ? { href: '/call-log/schedule', label: 'See your Schedule' } : undefined,
      });
    }
    await reload();
  };

  return (
    <div class="calllog-panel">
      <p class="muted">{INTRO[tab]}</p>
      <div
        ref={noticeRef}
        tabIndex={-1}
        role="status"
        class={notice ? `notice ${notice.kind === 'lost' ? 'notice--error' : 'notice--info'} calllog-notice` : 'calllog-notice'}
      >
        {notice && (
          <p>
            {notice.text}
            {notice.link && (
              <>
                {' '}
                <Link href={notice.link.href}>{notice.link.label}</Link>
              </>
            )}
          </p>
        )}
      </div>
      {load.kind === 'loading' && <Loading label="Loading leads…" />}
      {load.kind === 'error' && <ErrorNotice message={load.message} onRetry={() => void reload()} />}
      {load.kind === 'ready' &&
        (load.items.length === 0 ? (
          <p class="calllog-empty">{EMPTY[tab]}</p>
        ) : (
          <>
            <ul class="calllog-list" aria-label="Leads">
              {load.items.map((lead) => (
                <LeadRow
                  key={lead.id}
                  lead={lead}
                  tab={tab}
                  open={openId === lead.id}
                  onToggle={(open) => setOpenId(open ? lead.id : null)}
                  onSubmit={submit(lead)}
                />
              ))}
            </ul>
            {load.next !== null && (
              <div class="calllog-more">
                {load.more !== 'idle' && load.more !== 'loading' && <ErrorNotice message={load.more} />}
                <button
                  type="button"
                  class="button button--secondary"
                  disabled={load.more === 'loading'}
                  onClick={() => void loadMore()}
                >
                  {load.more === 'loading' ? 'Loading…' : 'Show more'}
                </button>
              </div>
            )}
          </>
        ))}
    </div>
  );
}
