// The user's secret iCalendar feed. The server keeps only a hash of its address, so
// the address is shown once, right after it is made: "Make a link" (no feed yet) or
// "Reset link" (a new address; the old one stops), each followed by the full address
// to paste into Google, Outlook or Apple Calendar, with a Copy button. Later visits
// say that a link exists and that a reset shows a new one.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNotice, Loading } from '../ui/Status';
import { getFeed, resetFeed } from './api';

type Feed =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; active: boolean; url: string | null };

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}

export function FeedPanel(): JSX.Element {
  const [feed, setFeed] = useState<Feed>({ kind: 'loading' });
  const [message, setMessage] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const resetRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const load = (): void => {
    setFeed({ kind: 'loading' });
    getFeed().then(
      ({ active }) => setFeed({ kind: 'ready', active, url: null }),
      (err: unknown) => setFeed({ kind: 'error', message: errorText(err) }),
    );
  };
  useEffect(load, []);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const copy = async (): Promise<void> => {
    if (feed.kind !== 'ready' || !feed.url) return;
    try {
      await navigator.clipboard.writeText(feed.url);
      setMessage('Link copied.');
    } catch {
      // No clipboard access (insecure context, permission): select it for Ctrl+C instead.
      inputRef.current?.focus();
      inputRef.current?.select();
      setMessage('Press Ctrl+C (or ⌘C) to copy the selected link.');
    }
  };

  const make = async (replacing: boolean): Promise<void> => {
    setBusy(true);
    try {
      const { path } = await resetFeed();
      setFeed({ kind: 'ready', active: true, url: location.origin + path });
      setMessage(
        replacing
          ? 'New link made. The old link no longer works: subscribe again with this one.'
          : 'Link made. Copy it now: it is shown only this once.',
      );
      requestAnimationFrame(() => inputRef.current?.focus());
    } catch (err) {
      setMessage(errorText(err));
      requestAnimationFrame(() => resetRef.current?.focus());
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section class="panel calllog-feed" aria-labelledby="calllog-feed-title">
      <h2 id="calllog-feed-title">Subscribe in your calendar app</h2>
      <p class="muted">
        Add your link to Google Calendar (Other calendars › From URL), Outlook (Add calendar › Subscribe from web) or
        Apple Calendar (File › New Calendar Subscription) to see your follow-ups there. Keep it private: anyone with the
        link can see your schedule.
      </p>
      {feed.kind === 'loading' && <Loading label="Loading your link…" />}
      {feed.kind === 'error' && <ErrorNotice message={feed.message} onRetry={load} />}
      {feed.kind === 'ready' && (
        <>
          {feed.url ? (
            <div class="field">
              <label for="calllog-feed-url">Calendar link</label>
              <input
                id="calllog-feed-url"
                ref={inputRef}
                type="text"
                readOnly
                value={feed.url}
                aria-describedby="calllog-feed-once"
                onFocus={(e) => e.currentTarget.select()}
              />
              <p id="calllog-feed-once" class="muted">
                For your privacy this link is shown only once. Reset to see a new address.
              </p>
            </div>
          ) : (
            <p class="calllog-feed-state">
              {feed.active
                ? 'You have a calendar link. It was shown once, when it was made: reset to see a new address (calendars subscribed with the current one stop updating).'
                : 'You have no calendar link yet.'}
            </p>
          )}
          <div class="calllog-feed-actions">
            {feed.url && (
              <button type="button" class="button button--primary" onClick={() => void copy()}>
                Copy link
              </button>
            )}
            {!feed.active && (
              <button
                type="button"
                ref={resetRef}
                class="button button--primary"
                disabled={busy}
                onClick={() => void make(false)}
              >
                {busy ? 'Making…' : 'Make a link'}
              </button>
            )}
            {feed.active && !confirming && (
              <button type="button" ref={resetRef} class="button button--secondary" onClick={() => setConfirming(true)}>
                Reset link
              </button>
            )}
          </div>
          {confirming && (
            <div class="notice notice--error calllog-feed-confirm" role="group" aria-labelledby="calllog-feed-confirm-text">
              <p id="calllog-feed-confirm-text">
                Make a new link? Calendars subscribed with the current link stop updating.
              </p>
              <div class="calllog-feed-actions">
                <button type="button" ref={confirmRef} class="button button--primary" disabled={busy} onClick={() => void make(true)}>
                  {busy ? 'Resetting…' : 'Yes, make a new link'}
                </button>
                <button
                  type="button"
                  class="button button--secondary"
                  disabled={busy}
                  onClick={() => {
                    setConfirming(false);
                    requestAnimationFrame(() => resetRef.current?.focus());
                  }}
                >
                  Keep the current link
                </button>
              </div>
            </div>
          )}
        </>
      )}
      <p class="calllog-feed-message" role="status">
        {message}
      </p>
    </section>
  );
}
