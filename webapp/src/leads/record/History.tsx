// The history timeline: every change with who made it (an agent, the lead through a web
// form, or the system), when, and each field's value before and after. Entries written by
// one save are shown together. Newest first, a page at a time. It loads when the user opens
// it, so opening a lead costs no history request (the page opens with at most three calls:
// the lists, the lead and its notes).

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Loading } from '../../ui/Status';
import { listHistory, messageOf, type HistoryEntry } from '../api';
import { durationInWords, formatDateTime, stateLabel } from '../format';
import { nameOf, type Lists } from '../lists';
import { useLead } from './context';

const PAGE = 50;

type HistoryState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; entries: HistoryEntry[]; next: string | null; more: 'idle' | 'loading' | { error: string } };

const ACTIONS: Record<string, string> = {
  created: 'Created the lead',
  edited: 'Edited the lead',
  note_added: 'Added a note',
  note_edited: 'Edited a note',
  accept: 'Accepted the lead',
  win: 'Won the lead',
  lose: 'Lost the lead',
  complete: 'Completed the lead',
  archive: 'Archived the lead',
  reactivate: 'Reactivated the lead',
  convert: 'Converted the lead into an account',
};

const FIELDS: Record<string, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  address: 'Address',
  phones: 'Phones',
  emails: 'E-mails',
  type: 'Lead type',
  category: 'Category',
  priority: 'Priority',
  importance: 'Importance',
  source: 'Source',
  lost_reason: 'Lost reason',
  probability: 'Probability to win',
  target_amount: 'Target amount',
  status: 'Status',
  state: 'State',
  archived: 'Archived',
  archived_at: 'Archived at',
  archive_reason: 'Archive reason',
  start_date: 'Start',
  expected_completion: 'Expected completion',
  estimated_duration: 'Estimated duration',
  actual_completion: 'Actual completion',
  products: 'Products',
  team: 'Team',
  competitors: 'Competitors',
  owner_id: 'Owner',
  group_id: 'Group',
  unit_id: 'Unit',
  account_id: 'Account',
  created_by: 'Created by',
  follow_up_at: 'Follow-up',
  call_state: 'Call-log state',
  note: 'Note',
};

function fieldLabel(field: string, lists: Lists): string {
  if (field.startsWith('custom.')) {
    const key = field.slice(7);
    return lists.customFields.find((f) => f.key === key)?.label ?? key;
  }
  return FIELDS[field] ?? field.replace(/_/g, ' ');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function names(value: unknown, list: readonly { id: number; name: string }[]): string {
  return Array.isArray(value) ? value.map((id) => nameOf(list, Number(id)) ?? `#${String(id)}`).join(', ') : String(value);
}

/** A before/after value as words: names for ids, dates in the user's zone, lists joined. */
function valueText(field: string, text: string | null, lists: Lists): string {
  if (text === null || text === '') return '—';
  if (field === 'state') return stateLabel(text);
  if (text === 'true' || text === 'false') return text === 'true' ? 'Yes' : 'No';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(text)) return formatDateTime(text);
  if (field === 'owner_id' || field === 'created_by') return nameOf(lists.users, Number(text)) ?? text;
  if (field === 'group_id') return nameOf(lists.groups, Number(text)) ?? text;
  if (field === 'unit_id') return nameOf(lists.units, Number(text)) ?? text;
  if (!/^[[{]/.test(text)) return text;
  const v = parse(text);
  if (field === 'team') return names(v, lists.users);
  if (field === 'competitors') return names(v, lists.competitors);
  if (field === 'estimated_duration' && v && typeof v === 'object' && 'value' in v && 'unit' in v) {
    const d = v as { value: number; unit: 'days' };
    return durationInWords(d.value, d.unit);
  }
  if (Array.isArray(v)) {
    const named = (x: unknown): string =>
      x && typeof x === 'object' && 'name' in x ? String((x as { name: unknown }).name) : String(x);
    return v.map(named).join(', ') || '—';
  }
  if (v && typeof v === 'object') {
    return Object.values(v as Record<string, unknown>).filter((x) => x !== null && x !== '').map(String).join(', ') || '—';
  }
  return text;
}

function actorText(e: HistoryEntry): string {
  if (e.actor_kind === 'system') return e.rule ? `System (${e.rule})` : 'System';
  if (e.actor_kind === 'lead') return 'The lead (web form)';
  return e.actor ?? 'An agent';
}

/** Entries written by one change (same time, actor and action) as one group. */
function groups(entries: HistoryEntry[]): HistoryEntry[][] {
  const out: HistoryEntry[][] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    const head = last?.[0];
    const same =
      head && head.at === e.at && head.actor_id === e.actor_id && head.actor_kind === e.actor_kind && head.action === e.action;
    if (last && same) last.push(e);
    else out.push([e]);
  }
  return out;
}

export function History(): JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <section class="panel lead-section" id="lead-history" aria-labelledby="lead-history-title">
      <div class="lead-section-head">
        <h2 id="lead-history-title">History</h2>
        <button
          type="button"
          class="button button--secondary button--small"
          aria-expanded={open}
          aria-controls="lead-history-body"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide history' : 'Show history'}
        </button>
      </div>
      <div id="lead-history-body">{open && <Timeline />}</div>
    </section>
  );
}

function Timeline(): JSX.Element {
  const { lead, lists, historyTick } = useLead();
  const [state, setState] = useState<HistoryState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    listHistory(lead.id, null, PAGE).then(
      (page) => live && setState({ kind: 'ready', entries: page.items, next: page.next, more: 'idle' }),
      (err: unknown) => live && setState({ kind: 'error', message: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [lead.id, historyTick, attempt]);

  const more = (): void => {
    if (state.kind !== 'ready' || state.next === null) return;
    const shown = state;
    setState({ ...shown, more: 'loading' });
    listHistory(lead.id, shown.next, PAGE).then(
      (page) => setState({ kind: 'ready', entries: [...shown.entries, ...page.items], next: page.next, more: 'idle' }),
      (err: unknown) => setState({ ...shown, more: { error: messageOf(err) } }),
    );
  };

  return (
    <>
      {state.kind === 'loading' && <Loading label="Loading history…" />}
      {state.kind === 'error' && <ErrorNotice message={state.message} onRetry={() => setAttempt((n) => n + 1)} />}
      {state.kind === 'ready' && (
        <>
          <ol class="lead-history">
            {groups(state.entries).map((group) => {
              const head = group[0] as HistoryEntry;
              const changes = group.filter((e) => e.field !== null);
              return (
                <li key={head.id} class="lead-history-item">
                  <p class="lead-note-meta">
                    <time dateTime={head.at}>{formatDateTime(head.at)}</time> · {actorText(head)}
                  </p>
                  <p class="lead-history-action">{ACTIONS[head.action] ?? head.action.replace(/_/g, ' ')}</p>
                  {changes.length > 0 && (
                    <ul class="lead-history-changes">
                      {changes.map((e) =>
                        e.field === 'note' ? (
                          <li key={e.id}>
                            <q>{e.after ?? e.before ?? ''}</q>
                          </li>
                        ) : (
                          <li key={e.id}>
                            <span class="lead-history-field">{fieldLabel(e.field ?? '', lists)}</span>
                            {': '}
                            <span class="lead-history-before">{valueText(e.field ?? '', e.before, lists)}</span>
                            <span aria-hidden="true"> → </span>
                            <span class="visually-hidden"> changed to </span>
                            <span class="lead-history-after">{valueText(e.field ?? '', e.after, lists)}</span>
                          </li>
                        ),
                      )}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
          {state.next !== null && (
            <div class="lead-more">
              {typeof state.more === 'object' && (
                <p class="field-error" role="alert">
                  {state.more.error}
                </p>
              )}
              <button type="button" class="button button--secondary" onClick={more} disabled={state.more === 'loading'}>
                {state.more === 'loading' ? 'Loading…' : 'Load more history'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
