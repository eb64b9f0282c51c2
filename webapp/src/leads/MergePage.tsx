// /leads/{id}/merge?with={other}: merge another lead into this one. Without `with`, the
// agent first finds the other lead (name, phone or e-mail). Then two columns, this lead
// (which stays) and the other: for every field whose values differ the agent picks the
// value to keep (lists can keep both); equal fields are shown once. Confirming merges in
// one request with both versions as loaded: if either lead changed meanwhile the server
// answers 412 and the screen offers to reload. Everything else of the other lead (notes,
// history, calls, map steps) moves over on the server.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Link, navigate } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { getLead, mergeLeads, messageOf, searchLeads, type Lead, type LeadSummary, type MergeChoice } from './api';
import { fullName, summaryContact } from './format';
import { nameOf, useLists, type Lists } from './lists';

interface Row {
  key: string;
  label: string;
  survivor: string;
  other: string;
  list: boolean;
}

function address(l: Lead): string {
  const a = l.address;
  return [a.street, a.city, a.region, a.postal_code, a.country].filter((p) => p).join(', ');
}

function customText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

/** The rows the screen compares, in the lead page's order. */
function rowsOf(s: Lead, o: Lead, lists: Lists): Row[] {
  const rows: Row[] = [
    { key: 'first_name', label: 'First name', survivor: s.first_name, other: o.first_name, list: false },
    { key: 'last_name', label: 'Last name', survivor: s.last_name, other: o.last_name, list: false },
    { key: 'phones', label: 'Phones', survivor: s.phones.join(', '), other: o.phones.join(', '), list: true },
    { key: 'emails', label: 'E-mails', survivor: s.emails.join(', '), other: o.emails.join(', '), list: true },
    { key: 'address', label: 'Address', survivor: address(s), other: address(o), list: false },
    { key: 'type_id', label: 'Lead type', survivor: nameOf(lists.types, s.type_id) ?? '', other: nameOf(lists.types, o.type_id) ?? '', list: false },
    { key: 'source_id', label: 'Source', survivor: nameOf(lists.sources, s.source_id) ?? '', other: nameOf(lists.sources, o.source_id) ?? '', list: false },
    { key: 'probability', label: 'Probability', survivor: s.probability === null ? '' : `${s.probability} %`, other: o.probability === null ? '' : `${o.probability} %`, list: false },
    { key: 'target_amount', label: 'Target amount', survivor: s.target_amount ?? '', other: o.target_amount ?? '', list: false },
  ];
  for (const f of lists.customFields) {
    const a = customText(s.custom[f.key]);
    const b = customText(o.custom[f.key]);
    if (a || b) rows.push({ key: `custom.${f.key}`, label: f.label, survivor: a, other: b, list: false });
  }
  return rows;
}

/** What the server does when a field is not named: the survivor's value, else the other's. */
function defaultChoice(row: Row): MergeChoice {
  if (row.list) return 'both';
  return row.survivor === '' ? 'other' : 'survivor';
}

export function MergePage({ id }: { id: number }): JSX.Element {
  const [withId, setWithId] = useState(() => Number(new URLSearchParams(location.search).get('with') ?? '0'));
  const [lists, retryLists] = useLists();
  const [pair, setPair] = useState<{ kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; s: Lead; o: Lead | null }>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    setPair({ kind: 'loading' });
    Promise.all([getLead(id), withId > 0 ? getLead(withId) : Promise.resolve(null)]).then(
      ([s, o]) => live && setPair({ kind: 'ready', s, o }),
      (err: unknown) => live && setPair({ kind: 'error', message: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [id, withId, generation]);

  return (
    <div class="lead-merge">
      <p class="lead-back">
        <Link href={`/leads/${id}`}>
          <span class="visually-hidden">Back to </span>the lead
        </Link>
      </p>
      <PageHeading>Merge leads</PageHeading>
      {(pair.kind === 'loading' || lists.kind === 'loading') && <Loading />}
      {pair.kind === 'error' && <ErrorNotice message={pair.message} onRetry={() => setGeneration((g) => g + 1)} />}
      {lists.kind === 'error' && <ErrorNotice message={lists.message} onRetry={retryLists} />}
      {pair.kind === 'ready' && lists.kind === 'ready' && pair.o === null && (
        <PickOther
          survivor={pair.s}
          onPick={(otherId) => {
            navigate(`/leads/${id}/merge?with=${otherId}`, { replace: true });
            setWithId(otherId);
          }}
        />
      )}
      {pair.kind === 'ready' && lists.kind === 'ready' && pair.o !== null && (
        <MergeForm key={generation} survivor={pair.s} other={pair.o} lists={lists.lists} onReload={() => setGeneration((g) => g + 1)} />
      )}
    </div>
  );
}

/** Finds the lead to merge in: by name, phone or e-mail. */
function PickOther({ survivor, onPick }: { survivor: Lead; onPick: (id: number) => void }): JSX.Element {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<LeadSummary[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const search = async (): Promise<void> => {
    const text = q.trim();
    if (!text) return;
    try {
      // the one box finds a name, a phone in any formatting or an e-mail
      const page = await searchLeads(new URLSearchParams({ q: text }).toString(), 20);
      setFound(page.items.filter((l) => l.id !== survivor.id));
      setMessage(null);
    } catch (err) {
      setMessage(messageOf(err));
    }
  };

  return (
    <section class="panel" aria-labelledby="merge-find">
      <h2 id="merge-find">Which lead goes into {fullName(survivor)}?</h2>
      <form
        class="merge-find"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label for="merge-q">Name, phone or e-mail</label>
        <input id="merge-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit" class="button button--secondary">
          Find
        </button>
      </form>
      {message && <p role="alert" class="notice notice--error">{message}</p>}
      {found && found.length === 0 && <p role="status">No other lead found.</p>}
      {found && found.length > 0 && (
        <ul class="merge-found">
          {found.map((l) => (
            <li key={l.id}>
              <button type="button" class="button button--secondary" onClick={() => onPick(l.id)}>
                Merge {fullName(l) || `lead ${l.id}`} into this lead
              </button>{' '}
              {summaryContact(l)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MergeForm({ survivor, other, lists, onReload }: { survivor: Lead; other: Lead; lists: Lists; onReload: () => void }): JSX.Element {
  const rows = rowsOf(survivor, other, lists);
  const differing = rows.filter((r) => r.survivor !== r.other);
  const same = rows.filter((r) => r.survivor === r.other && r.survivor !== '');
  const [choice, setChoice] = useState<Record<string, MergeChoice>>(() => Object.fromEntries(differing.map((r) => [r.key, defaultChoice(r)])));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; stale: boolean } | null>(null);

  const confirm = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      const merged = await mergeLeads(survivor, other, choice);
      navigate(`/leads/${merged.id}`, { replace: true });
    } catch (err) {
      setSaving(false);
      setError({ message: messageOf(err), stale: err instanceof ApiError && (err.status === 412 || err.status === 409) });
    }
  };

  return (
    <form
      class="merge-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!saving) void confirm();
      }}
    >
      <p>
        <strong>{fullName(other) || `Lead ${other.id}`}</strong> (lead {other.id}) goes into <strong>{fullName(survivor) || `Lead ${survivor.id}`}</strong> (lead{' '}
        {survivor.id}), which stays. Its notes, history, calls and map steps move over; the other lead is then gone from lists and search.
      </p>
      {error && (
        <div role="alert" class="notice notice--error">
          <p>{error.message}</p>
          {error.stale && (
            <button type="button" class="button button--secondary" onClick={onReload}>
              Reload both leads
            </button>
          )}
        </div>
      )}
      <table class="merge-table">
        <caption class="visually-hidden">Values of both leads; pick the one to keep where they differ</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">This lead (stays)</th>
            <th scope="col">Lead {other.id}</th>
          </tr>
        </thead>
        <tbody>
          {differing.map((r) => (
            <tr key={r.key} class="merge-row merge-row--differs">
              <th scope="row" id={`merge-${r.key}`}>
                {r.label}
              </th>
              {(['survivor', 'other'] as const).map((side) => (
                <td key={side}>
                  <label class="merge-pick">
                    <input
                      type="radio"
                      name={`merge-${r.key}`}
                      checked={choice[r.key] === side}
                      onChange={() => setChoice((c) => ({ ...c, [r.key]: side }))}
                    />
                    <span>{(side === 'survivor' ? r.survivor : r.other) || '(empty)'}</span>
                    <span class="visually-hidden">{` for ${r.label}`}</span>
                  </label>
                  {r.list && side === 'other' && (
                    <label class="merge-pick">
                      <input type="radio" name={`merge-${r.key}`} checked={choice[r.key] === 'both'} onChange={() => setChoice((c) => ({ ...c, [r.key]: 'both' }))} />
                      <span>Keep both</span>
                      <span class="visually-hidden">{` for ${r.label}`}</span>
                    </label>
                  )}
                </td>
              ))}
            </tr>
          ))}
          {same.map((r) => (
            <tr key={r.key} class="merge-row">
              <th scope="row">{r.label}</th>
              <td colSpan={2}>{r.survivor}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="lead-form-actions">
        <button type="submit" class="button button--primary" disabled={saving} aria-busy={saving}>
          {saving ? 'Merging…' : 'Merge leads'}
        </button>
        <Link class="button button--secondary" href={`/leads/${survivor.id}`}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
