// The user's secret iCalendar feed: the full address to paste into Google, Outlook or
// Apple Calendar, a Copy button, and a Reset that makes a new address (the old one stops).

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNotice, Loading } from '../ui/Status';
import { getFeed, resetFeed } from './api';

type Feed = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; url: string };

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
      ({ path }) => setFeed({ kind: 'ready', url: location.origin + path }),
      (err: unknown) => setFeed({ kind: 'error', message: errorText(err) }),
    );
  };
  useEffect(load, []);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const copy = async (): Promise<void> => {
    if (feed.kind !== 'ready') return;
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

  const reset = async (): Promise<void> => {
    setBusy(true);
    try {
      const { path } = await resetFeed();
      setFeed({ kind: 'ready', url: location.origin + path });
      setMessage('New link made. The old link no longer works: subscribe again with this one.');
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
      setConfirming(false);
      requestAnimationFrame(() => resetRef.current?.focus());
    }
  };

  return (
    <section class="panel calllog-feed" aria-labelledby="calllog-feed-title">
      <h2 id="calllog-feed-title">Subscribe in your calendar app</h2>
      <p class="muted">
        Add this link to Google Calendar (Other calendars › From URL), Outlook (Add calendar › Subscribe from web) or
        Apple Calendar (File › New Calendar Subscription) to see your follow-ups there. Keep it private: anyone with the
        link can see your schedule.
      </p>
      {feed.kind === 'loading' && <Loading label="Loading your link…" />}
      {feed.kind === 'error' && <ErrorNotice message={feed.message} onRetry={load} />}
      {feed.kind === 'ready' && (
        <>
          <div class="field">
            <label for="calllog-feed-url">Calendar link</label>
            <input
              id="calllog-feed-url"
              ref={inputRef}
              type="text"
              readOnly
              value={feed.url}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <div class="calllog-feed-actions">
            <button type="button" class="button button--primary" onClick={() => void copy()}>
              Copy link
            </button>
            {!confirming && (
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
                <button type="button" ref={confirmRef} class="button button--primary" disabled={busy} onClick={() => void reset()}>
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
