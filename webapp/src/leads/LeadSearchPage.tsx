// /leads: find leads with one box (a name from its start, a phone in any formatting, an
// e-mail or its start — the server tells which), narrow them with filters shown as chips,
// sort them, page with "Load more" (the keyset cursor), save the search under a name
// (beside the list, with those a supervisor shared), and export what it finds as CSV.
//
// The search is the query string of GET /api/v1/leads, kept in the address (/leads?…) so
// Back, reload and a saved search carry every parameter, even ones this page has no
// control for (cf.<key>, created_from …): those show as chips and can be removed.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api';
import { arrivedByHistory, currentAddress, Link, navigate, restoreScroll } from '../router';
import { recallList, rememberList } from '../ui/listMemory';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import {
  deleteSavedSearch,
  exportLeads,
  listSavedSearches,
  messageOf,
  saveSearch,
  searchLeads,
  STATES,
  type LeadSummary,
  type SavedSearch,
} from './api';
import { Field } from './Field';
import { fullName, stateLabel, summaryContact } from './format';
import { useLists, type Lists } from './lists';
import { StatusChip } from './StatusChip';

const PAGE_SIZE = 25;

const SORTS: readonly [string, string][] = [
  ['', 'Newest first (A–Z for a name)'],
  ['created', 'Newest first'],
  ['updated', 'Last changed'],
  ['name', 'Name (A–Z)'],
  ['follow_up', 'Next follow-up'],
];
const CALL_STATES: readonly [string, string][] = [
  ['not_scheduled', 'Not scheduled'],
  ['scheduled', 'Scheduled'],
  ['missed', 'Missed'],
  ['past_due', 'Past due'],
  ['abandoned', 'Abandoned'],
  ['available', 'Available'],
  ['archived', 'Archived'],
];

type Ready = { kind: 'ready'; items: LeadSummary[]; next: string | null; more: 'idle' | 'loading' | string };
type Results = { kind: 'loading' } | { kind: 'error'; message: string } | Ready;

/** The search as ordered [name, value] pairs (the address's query, without paging). */
type Query = [string, string][];

function queryFromAddress(): Query {
  return [...new URLSearchParams(location.search)].filter(([k, v]) => v !== '' && k !== 'limit' && k !== 'after');
}

const queryText = (q: Query): string => new URLSearchParams(q).toString();
const valueOf = (q: Query, key: string): string => q.find(([k]) => k === key)?.[1] ?? '';

/** q with key set to value (removed when value is ''). */
function withParam(q: Query, key: string, value: string): Query {
  const rest = q.filter(([k]) => k !== key);
  return value === '' ? rest : [...rest, [key, value]];
}

/** How a filter reads on its chip. */
function chipLabel(key: string, value: string, lists: Lists | null): string {
  const name = <T extends { id: number; name: string }>(items: T[] | undefined): string =>
    items?.find((i) => String(i.id) === value)?.name ?? `#${value}`;
  switch (key) {
    case 'state':
      return `State: ${stateLabel(value)}`;
    case 'incomplete':
      return value === 'true' || value === '1' ? 'Incomplete only' : 'Complete only';
    case 'archived':
      return value === 'true' || value === '1' ? 'Archived only' : 'Not archived';
    case 'status':
      return `Status: ${name(lists?.statuses)}`;
    case 'type':
      return `Type: ${name(lists?.types)}`;
    case 'source':
      return `Source: ${name(lists?.sources)}`;
    case 'owner':
      return `Owner: ${name(lists?.users)}`;
    case 'group':
      return `Group: ${name(lists?.groups)}`;
    case 'unit':
      return `Unit: ${name(lists?.units)}`;
    case 'call_state':
      return `Call log: ${CALL_STATES.find(([v]) => v === value)?.[1] ?? value}`;
    default: {
      const cf = /^cf\.([a-z][a-z0-9_]*?)(\.min|\.max)?$/.exec(key);
      if (cf) {
        const label = lists?.customFields.find((f) => f.key === cf[1])?.label ?? cf[1];
        return `${label}${cf[2] === '.min' ? ' from' : cf[2] === '.max' ? ' up to' : ':'} ${value}`;
      }
      return `${key.replace(/_/g, ' ')}: ${value}`;
    }
  }
}

export function LeadSearchPage({ user }: { user: User }): JSX.Element {
  const [query, setQuery] = useState<Query>(queryFromAddress);
  const [text, setText] = useState(() => valueOf(query, 'q'));
  const [listsState] = useLists();
  const lists = listsState.kind === 'ready' ? listsState.lists : null;
  // Back to the search: the results and pages the user had loaded, as they were.
  const [recalled] = useState(() => (arrivedByHistory() ? recallList<Ready>(currentAddress()) : undefined));
  const [results, setResults] = useState<Results>(recalled ?? { kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [exporting, setExporting] = useState<'idle' | 'busy' | string>('idle');
  const latest = useRef(0);
  const skipFirstSearch = useRef(recalled !== undefined);
  const scrolled = useRef(false);
  const searchText = queryText(query);

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
    searchLeads(searchText, PAGE_SIZE).then(
      (page) => ticket === latest.current && setResults({ kind: 'ready', items: page.items, next: page.next, more: 'idle' }),
      (err: unknown) => ticket === latest.current && setResults({ kind: 'error', message: messageOf(err) }),
    );
  }, [searchText, attempt]);

  const apply = (next: Query): void => {
    setQuery(next);
    setText(valueOf(next, 'q'));
    const qs = queryText(next);
    navigate(qs ? `/leads?${qs}` : '/leads', { replace: true });
  };
  // a filter changed with text in the box searches for that text too
  const set = (key: string, value: string): void => apply(withParam(withParam(query, 'q', text.trim()), key, value));

  const loadMore = (): void => {
    if (results.kind !== 'ready' || results.next === null) return;
    const ticket = latest.current;
    const shown = results;
    setResults({ ...shown, more: 'loading' });
    searchLeads(searchText, PAGE_SIZE, shown.next).then(
      (page) =>
        ticket === latest.current &&
        setResults({ kind: 'ready', items: [...shown.items, ...page.items], next: page.next, more: 'idle' }),
      (err: unknown) => ticket === latest.current && setResults({ ...shown, more: messageOf(err) }),
    );
  };

  const download = (): void => {
    setExporting('busy');
    exportLeads(searchText).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = 'leads.csv';
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setExporting('idle');
      },
      (err: unknown) => setExporting(messageOf(err)),
    );
  };

  const chips = query.filter(([k]) => k !== 'q' && k !== 'sort');
  const select = (id: string, label: string, key: string, options: readonly [string, string][], any: string): JSX.Element => (
    <Field id={id} label={label}>
      {(aria) => (
        <select id={id} value={valueOf(query, key)} {...aria} onChange={(e) => set(key, e.currentTarget.value)}>
          <option value="">{any}</option>
          {options.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const named = (items: { id: number; name: string }[] | undefined): [string, string][] =>
    (items ?? []).map((i) => [String(i.id), i.name]);

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

      <div class="lead-search-layout">
        <div class="lead-search-main">
          <form
            class="panel lead-search"
            role="search"
            aria-label="Leads"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              set('q', text.trim());
            }}
          >
            <div class="field">
              <label for="lead-search-text">Name, phone or e-mail</label>
              <div class="lead-search-box">
                <input
                  id="lead-search-text"
                  type="search"
                  value={text}
                  autoComplete="off"
                  aria-describedby="lead-search-help"
                  onInput={(e) => setText(e.currentTarget.value)}
                />
                <button type="submit" class="button button--primary">
                  Search
                </button>
              </div>
              <p class="lead-help" id="lead-search-help">
                A name from its start, a phone in any format or its last digits, or an e-mail address or its start.
              </p>
            </div>
            <div class="lead-search-filters">
              {select('lead-search-state', 'State', 'state', STATES.map((s): [string, string] => [s, stateLabel(s)]), 'Any state')}
              {select('lead-search-incomplete', 'Completeness', 'incomplete', [['true', 'Incomplete only'], ['false', 'Complete only']], 'All leads')}
              {select('lead-search-sort', 'Sort', 'sort', SORTS.slice(1), SORTS[0]![1])}
            </div>
            <details class="lead-search-more">
              <summary>More filters</summary>
              <div class="lead-search-filters">
                {select('lead-search-status', 'Status', 'status', named(lists?.statuses), 'Any status')}
                {select('lead-search-type', 'Lead type', 'type', named(lists?.types), 'Any type')}
                {select('lead-search-source', 'Source', 'source', named(lists?.sources), 'Any source')}
                {select('lead-search-call-state', 'Call log', 'call_state', CALL_STATES, 'Any')}
                {select('lead-search-archived', 'Archived', 'archived', [['false', 'Not archived'], ['true', 'Archived only']], 'Both')}
              </div>
            </details>
            {chips.length > 0 && (
              <ul class="lead-chips" aria-label="Active filters">
                {chips.map(([k, v]) => {
                  const label = chipLabel(k, v, lists);
                  return (
                    <li key={k} class="lead-chip">
                      <span>{label}</span>
                      <button type="button" class="lead-chip-remove" aria-label={`Remove filter ${label}`} onClick={() => set(k, '')}>
                        ×
                      </button>
                    </li>
                  );
                })}
                <li>
                  <button type="button" class="button button--secondary lead-chips-clear" onClick={() => apply(query.filter(([k]) => k === 'q' || k === 'sort'))}>
                    Clear filters
                  </button>
                </li>
              </ul>
            )}
          </form>

          <div class="lead-search-actions">
            <button type="button" class="button button--secondary" onClick={download} disabled={exporting === 'busy'}>
              {exporting === 'busy' ? 'Exporting…' : 'Export CSV'}
            </button>
            {exporting !== 'idle' && exporting !== 'busy' && (
              <p class="field-error" role="alert">
                {exporting}
              </p>
            )}
          </div>

          <ResultsView results={results} onRetry={() => setAttempt((n) => n + 1)} onMore={loadMore} />
        </div>

        <SavedSearches user={user} current={searchText} onOpen={(q) => apply([...new URLSearchParams(q)])} />
      </div>
    </>
  );
}

type SavedState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; items: SavedSearch[] };

/** The saved searches beside the list: open one, save the current search, delete your own. */
function SavedSearches({ user, current, onOpen }: { user: User; current: string; onOpen: (query: string) => void }): JSX.Element {
  const [state, setState] = useState<SavedState>({ kind: 'loading' });
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canShare = user.role === 'supervisor' || user.role === 'admin';

  const load = (): void => {
    listSavedSearches().then(
      (r) => setState({ kind: 'ready', items: r.items }),
      (err: unknown) => setState({ kind: 'error', message: messageOf(err) }),
    );
  };
  useEffect(load, []);

  const save = (e: Event): void => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Give the search a name.');
      return;
    }
    setBusy(true);
    setError(null);
    saveSearch({ name: name.trim(), query: current, shared }).then(
      () => {
        setBusy(false);
        setName('');
        setShared(false);
        load();
      },
      (err: unknown) => {
        setBusy(false);
        setError(messageOf(err));
      },
    );
  };

  const remove = (s: SavedSearch): void => {
    deleteSavedSearch(s.id).then(load, (err: unknown) => setError(messageOf(err)));
  };

  return (
    <aside class="panel lead-saved" aria-labelledby="lead-saved-title">
      <h2 id="lead-saved-title">Saved searches</h2>
      {state.kind === 'loading' && <Loading label="Loading saved searches…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={load} />}
      {state.kind === 'ready' && state.items.length === 0 && <p class="muted">None yet.</p>}
      {state.kind === 'ready' && state.items.length > 0 && (
        <ul class="lead-saved-list">
          {state.items.map((s) => (
            <li key={s.id} class="lead-saved-item">
              <button type="button" class="lead-saved-open" aria-current={s.query === current ? 'true' : undefined} onClick={() => onOpen(s.query)}>
                {s.name}
              </button>
              {s.shared && <span class="lead-badge">{s.mine ? 'Shared' : `Shared by ${s.owner ?? 'a supervisor'}`}</span>}
              {s.mine && (
                <button type="button" class="lead-chip-remove" aria-label={`Delete saved search ${s.name}`} onClick={() => remove(s)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="lead-saved-form" onSubmit={save} noValidate>
        <Field id="lead-saved-name" label="Save this search as" error={error ?? undefined}>
          {(aria) => <input id="lead-saved-name" type="text" maxLength={100} value={name} {...aria} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        {canShare && (
          <label class="lead-saved-share">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} /> Share with my group
          </label>
        )}
        <button type="submit" class="button button--secondary" disabled={busy}>
          {busy ? 'Saving…' : 'Save search'}
        </button>
      </form>
    </aside>
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
