// Home's "Calls due" panel: the signed-in user's call steps whose next attempt is due (GET
// /api/v1/call-attempts/due, oldest first), each with the lead, its phone as a tel: link, the
// map and step, and the attempts made of those needed. A lead's name opens its page, where
// the attempt is logged on the map's call step.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fullName, formatDateTime } from '../leads/format';
import { listCallsDue, type CallDue } from '../leads/map-api';
import { Link } from '../router';
import { ErrorNotice, Loading } from '../ui/Status';

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; items: CallDue[] };

export function CallsDue(): JSX.Element {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let gone = false;
    setState({ kind: 'loading' });
    listCallsDue().then(
      (page) => !gone && setState({ kind: 'ready', items: page.items }),
      (err: unknown) => !gone && setState({ kind: 'error', message: err instanceof ApiError ? err.message : 'Something went wrong. Try again.' }),
    );
    return () => {
      gone = true;
    };
  }, [tick]);
  return (
    <section class="panel calls-due" aria-labelledby="home-calls-due">
      <h2 id="home-calls-due">Calls due</h2>
      {state.kind === 'loading' && <Loading label="Loading the calls due…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={() => setTick((n) => n + 1)} />}
      {state.kind === 'ready' &&
        (state.items.length === 0 ? (
          <p class="muted">No calls are due.</p>
        ) : (
          <ul class="calls-due-list">
            {state.items.map((c) => (
              <li key={`${c.lead_id}-${c.step_id}`}>
                <Link href={`/leads/${c.lead_id}`}>{fullName(c)}</Link>
                {c.phone && (
                  <>
                    {' · '}
                    <a href={`tel:${c.phone.replace(/[^+\d]/g, '')}`}>{c.phone}</a>
                  </>
                )}
                <span class="calls-due-detail">
                  {`${c.map_name}: ${c.step_name} · attempt ${c.attempts + 1} of ${c.attempts_required} · due `}
                  <time dateTime={c.due_at}>{formatDateTime(c.due_at)}</time>
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
