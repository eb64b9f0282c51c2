// /leads: find leads by name, phone or e-mail, narrowed by life-cycle state and
// incompleteness; newest first, a page at a time ("Load more" follows the keyset cursor).
// The search is kept in the address (?q=&state=&incomplete=) so Back and reload keep it.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { arrivedByHistory, currentAddress, Link, navigate, restoreScroll } from '../router';
import { recallList, rememberList } from '../ui/listMemory';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { messageOf, searchLeads, STATES, type LeadFilter, type LeadSummary, type LifeState } from './api';
import { Field } from './Field';
import { fullName, stateLabel, summaryContact } from './format';
import { StatusChip } from './StatusChip';

const PAGE_SIZE = 25;

interface Criteria {
  text: string;
  state: LifeState | '';
  incomplete: 'true' | 'false' | '';
}

type Ready = { kind: 'ready'; items: LeadSummary[]; next: string | null; more: 'idle' | 'loading' | string };

type Results = { kind: 'loading' } | { kind: 'error'; message: string } | Ready;

function criteriaFromAddress(): Criteria {
  const p = new URLSearchParams(location.search);
  const state = p.get('state') ?? '';
  const incomplete = p.get('incomplete') ?? '';
  return {
    text: p.get('q') ?? '',
    state: (STATES as readonly string[]).includes(state) ? (state as LifeState) : '',
    incomplete: incomplete === 'true' || incomplete === 'false' ? incomplete : '',
  };
}

/** One box for name, phone and e-mail: an @ means e-mail, only digits and punctuation a phone. */
function filterOf(c: Criteria): LeadFilter {
  const text = c.text.trim();
  const filter: LeadFilter = { state: c.state, incomplete: c.incomplete, limit: PAGE_SIZE };
  if (text.includes('@')) filter.email = text.toLowerCase();
  else if (/^[\d\s()+.\-/]+$/.test(text) && text.replace(/\D/g, '').length >= 3) filter.phone = text;
  else if (text) filter.q = text;
  return filter;
}

function addressOf(c: Criteria): string {
  const p = new URLSearchParams();
  if (c.text.trim()) p.set('q', c.text.trim());
  if (c.state) p.set('state', c.state);
  if (c.incomplete) p.set('incomplete', c.incomplete);
  const query = p.toString();
  return query ? `/leads?${query}` : '/leads';
}

export function LeadSearchPage(): JSX.Element {
  const [draft, setDraft] = useState<Criteria>(criteriaFromAddress);
  const [criteria, setCriteria] = useState<Criteria>(draft);
  // Back to the search: the results and pages the user had loaded, as they were.
  const [recalled] = useState(() => (arrivedByHistory() ? recallList<Ready>(currentAddress()) : undefined));
  const [results, setResults] = useState<Results>(recalled ?? { kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  const skipFirstSearch = useRef(recalled !== undefined);
  const scrolled = useRef(false);

  useEffect(() => {
    if (results.kind !== 'ready') return;
    rememberList<Ready>(currentAddress(), { ...results, more: 'idle' });
    if (!scrolled.current) {
      scrolled.current = true;
      restoreScroll();
    }
  }, [results]);

  useEffect(() => {
    if (skipFirstSearch.current) {
      skipFirstSearch.current = false;
      return;
    }
    const ticket = ++latest.current;
    setResults({ kind: 'loading' });
    searchLeads(filterOf(criteria)).then(
      (page) => ticket === latest.current && setResults({ kind: 'ready', items: page.items, next: page.next, more: 'idle' }),
      (err: unknown) => ticket === latest.current && setResults({ kind: 'error', message: messageOf(err) }),
    );
  }, [criteria, attempt]);

  const apply = (next: Criteria): void => {
    setDraft(next);
    setCriteria(next);
    navigate(addressOf(next), { replace: true });
  };

  const loadMore = (): void => {
    if (results.kind !== 'ready' || results.next === null) return;
    const ticket = latest.current;
    const shown = results;
    setResults({ ...shown, more: 'loading' });
    searchLeads({ ...filterOf(criteria), after: shown.next }).then(
      (page) =>
        ticket === latest.current &&
        setResults({ kind: 'ready', items: [...shown.items, ...page.items], next: page.next, more: 'idle' }),
      (err: unknown) => ticket === latest.current && setResults({ ...shown, more: messageOf(err) }),
    );
  };

  return (
    <>
      <div class="lead-page-head">
        <PageHeading>Leads</PageHeading>
        <Link href="/leads/new" class="button button--primary">
          New lead
        </Link>
        <Link href="/leads/import" class="button button--secondary">
          Import CSV
        </Link>
      </div>

      <form
        class="panel lead-search"
        role="search"
        aria-label="Leads"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <div class="field">
          <label for="lead-search-text">Name, phone or e-mail</label>
          <div class="lead-search-box">
            <input
              id="lead-search-text"
              type="search"
              value={draft.text}
              autoComplete="off"
              aria-describedby="lead-search-help"
              onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            />
            <button type="submit" class="button button--primary">
              Search
            </button>
          </div>
          <p class="lead-help" id="lead-search-help">
            A name from its start, a phone in any format, or a whole e-mail address.
          </p>
        </div>
        <div class="lead-search-filters">
          <Field id="lead-search-state" label="State">
            {(aria) => (
              <select
                id="lead-search-state"
                value={draft.state}
                {...aria}
                onChange={(e) => apply({ ...draft, state: e.currentTarget.value as LifeState | '' })}
              >
                <option value="">Any state</option>
                {STATES.map((s) => (
                  <option key={s} value={s}>
                    {stateLabel(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="lead-search-incomplete" label="Completeness">
            {(aria) => (
              <select
                id="lead-search-incomplete"
                value={draft.incomplete}
                {...aria}
                onChange={(e) => apply({ ...draft, incomplete: e.currentTarget.value as Criteria['incomplete'] })}
              >
                <option value="">All leads</option>
                <option value="true">Incomplete only</option>
                <option value="false">Complete only</option>
              </select>
            )}
          </Field>
        </div>
      </form>

      <ResultsView results={results} onRetry={() => setAttempt((n) => n + 1)} onMore={loadMore} />
    </>
  );
}

function ResultsView({ results, onRetry, onMore }: { results: Results; onRetry: () => void; onMore: () => void }): JSX.Element {
  if (results.kind === 'loading') return <Loading label="Searching…" />;
  if (results.kind === 'error') return <ErrorNotice message={results.message} onRetry={onRetry} />;
  if (results.items.length === 0) return <p class="muted">No leads match.</p>;
  return (
    <section aria-labelledby="lead-results-title">
      <h2 id="lead-results-title" class="visually-hidden">
        Results
      </h2>
      <ul class="lead-results">
        {results.items.map((lead) => (
          <li key={lead.id} class="lead-result">
            <div class="lead-result-main">
              <Link href={`/leads/${lead.id}`} class="lead-result-name">
                {fullName(lead)}
              </Link>
              <span class="lead-result-contact">{summaryContact(lead)}</span>
            </div>
            <div class="lead-badges">
              <StatusChip name={lead.status} color={lead.status_color} state={lead.state} />
              {lead.incomplete && <span class="lead-badge lead-badge--warn">Incomplete</span>}
              {lead.archived && <span class="lead-badge">Archived</span>}
              {lead.owner ? <span class="lead-result-owner">{lead.owner}</span> : <span class="lead-result-owner">Unassigned</span>}
            </div>
          </li>
        ))}
      </ul>
      {results.next !== null && (
        <div class="lead-more">
          {typeof results.more === 'string' && results.more !== 'idle' && results.more !== 'loading' && (
            <p class="field-error" role="alert">
              {results.more}
            </p>
          )}
          <button type="button" class="button button--secondary" onClick={onMore} disabled={results.more === 'loading'}>
            {results.more === 'loading' ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
