// /leads/{id}: the lead record on one page. The lead map comes first, each step saved on its
// own (record/LeadMap.tsx). Demographics, lead information, key dates, products, team,
// competitors and custom fields edit inline (PATCH with If-Match: the
// version on screen, so two people never silently overwrite each other); notes, history
// and the life-cycle actions below. Sections stack on phones. A lead seen only through
// the Lead Bank shows read-only, with Claim at the top (record/LeadBankClaim.tsx).

import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { formatDayTime } from '../call-log/dates';
import { Link, navigate } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { mustClaimFirst } from './access';
import { getLead, messageOf, patchLead, type Lead, type LeadInput } from './api';
import { BackLink } from './BackLink';
import { fullName, listInWords, missingParts } from './format';
import { useLists } from './lists';
import { Actions } from './record/Actions';
import { LeadContext, type LeadPageContext, type SaveOutcome } from './record/context';
import { CustomFields } from './record/CustomFields';
import { Demographics } from './record/Demographics';
import { History } from './record/History';
import { Information } from './record/Information';
import { KeyDates } from './record/KeyDates';
import { LeadBankClaim } from './record/LeadBankClaim';
import { LeadMapSection } from './record/LeadMap';
import { Notes } from './record/Notes';
import { Competitors, Team } from './record/PeopleLists';
import { Products } from './record/Products';
import { StatusChip } from './StatusChip';

type LeadState = { kind: 'loading' } | { kind: 'error'; message: string; notFound: boolean } | { kind: 'ready'; lead: Lead };

/** What a claim from this page came to, announced at the top. */
type ClaimNotice = { kind: 'done' | 'lost'; text: string } | null;

export function LeadRecordPage({ id, user }: { id: number; user: User }): JSX.Element {
  const [lists, retryLists] = useLists();
  const [state, setState] = useState<LeadState>({ kind: 'loading' });
  const [historyTick, setHistoryTick] = useState(0);
  /** Bumped by a reload: remounts the sections, closing every open form. */
  const [generation, setGeneration] = useState(0);
  const [claimNotice, setClaimNotice] = useState<ClaimNotice>(null);
  const claimNoticeRef = useRef<HTMLParagraphElement>(null);

  const load = useCallback(() => {
    getLead(id).then(
      (lead) => {
        // A lead merged into another answers with a redirect to the survivor, which
        // fetch follows: the address then names the lead shown.
        if (lead.id !== id) navigate(`/leads/${lead.id}`, { replace: true });
        else setState({ kind: 'ready', lead });
      },
      (err: unknown) =>
        setState({ kind: 'error', message: messageOf(err), notFound: err instanceof ApiError && err.status === 404 }),
    );
  }, [id]);

  useEffect(load, [load]);

  const lead = state.kind === 'ready' ? state.lead : null;
  const shown = lead !== null && lists.kind === 'ready';
  const readOnly = lead !== null && mustClaimFirst(lead, user);

  // The loading heading made way for the lead's: if focus was on it, it is now lost; give it
  // to the new heading so screen readers announce the lead.
  useEffect(() => {
    if (!shown) return;
    const active = document.activeElement;
    if (active === null || active === document.body) document.querySelector<HTMLElement>('main h1')?.focus();
  }, [shown]);

  const save = useCallback(
    async (patch: LeadInput): Promise<SaveOutcome> => {
      if (!lead) return { kind: 'failed', message: 'The lead is not loaded.', fields: {} };
      try {
        const next = await patchLead(lead.id, lead.version, patch);
        setState({ kind: 'ready', lead: next });
        setHistoryTick((n) => n + 1);
        return { kind: 'saved' };
      } catch (err) {
        if (err instanceof ApiError && err.status === 412) return { kind: 'conflict' };
        if (err instanceof ApiError) return { kind: 'failed', message: err.message, fields: err.fields };
        return { kind: 'failed', message: messageOf(err), fields: {} };
      }
    },
    [lead],
  );

  const ctx = useMemo<LeadPageContext | null>(
    () =>
      lead && lists.kind === 'ready'
        ? {
            lead,
            lists: lists.lists,
            user,
            readOnly,
            save,
            reload: () => {
              setGeneration((n) => n + 1);
              setHistoryTick((n) => n + 1);
              load();
            },
            replace: (next: Lead) => {
              setState({ kind: 'ready', lead: next });
              setHistoryTick((n) => n + 1);
            },
            touched: () => setHistoryTick((n) => n + 1),
            historyTick,
          }
        : null,
    [lead, lists, user, readOnly, save, load, historyTick],
  );

  // The claim's outcome is read out once the page shows the lead as it is now.
  useEffect(() => {
    if (claimNotice && shown) claimNoticeRef.current?.focus();
  }, [claimNotice, shown, generation]);

  const claimed = (outcome: { kind: 'claimed'; at: Date } | { kind: 'lost'; message: string }): void => {
    setClaimNotice(
      outcome.kind === 'claimed'
        ? { kind: 'done', text: `You claimed this lead. Follow-up: ${formatDayTime(outcome.at)}.` }
        : { kind: 'lost', text: outcome.message },
    );
    ctx?.reload();
  };

  if (state.kind === 'error') {
    return (
      <>
        <PageHeading>{state.notFound ? 'Lead not found' : 'Lead'}</PageHeading>
        {state.notFound ? (
          <p>There is no such lead, or it is not yours to see.</p>
        ) : (
          <ErrorNotice message={state.message} onRetry={load} />
        )}
        <p>
          <Link href="/leads">Back to the lead search</Link>
        </p>
      </>
    );
  }
  if (lists.kind === 'error') {
    return (
      <>
        <PageHeading>Lead</PageHeading>
        <ErrorNotice message={lists.message} onRetry={retryLists} />
      </>
    );
  }
  if (!lead || !ctx) {
    return (
      <>
        <PageHeading>Lead</PageHeading>
        <Loading />
      </>
    );
  }

  return (
    <LeadContext.Provider value={ctx}>
      <div class="lead-record">
        <BackLink />
        <PageHeading>{fullName(lead)}</PageHeading>
        {claimNotice && (
          <p
            ref={claimNoticeRef}
            tabIndex={-1}
            role="status"
            class={`notice ${claimNotice.kind === 'lost' ? 'notice--error' : 'notice--info'}`}
          >
            {claimNotice.text}
          </p>
        )}
        {readOnly && <LeadBankClaim lead={lead} onDone={claimed} />}
        <div class="lead-badges">
          <StatusChip name={lead.status} color={lead.status_color} state={lead.state} />
          {lead.incomplete && <IncompleteBadge lead={lead} />}
          {lead.archived && <span class="lead-badge">Archived</span>}
          <span class="lead-badge">{lead.owner ? `Owner: ${lead.owner}` : 'Unassigned'}</span>
        </div>
        {!readOnly && <Actions />}
        {!readOnly && (
          <p class="lead-merge-link">
            <Link href={`/leads/${lead.id}/merge`}>Merge another lead into this one</Link>
          </p>
        )}
        <div class="lead-sections" key={generation}>
          <LeadMapSection />
          <Demographics />
          <Information />
          <KeyDates />
          <CustomFields />
          <Products />
          <Team />
          <Competitors />
          <Notes />
          <History />
        </div>
      </div>
    </LeadContext.Provider>
  );
}

/** Names what the lead actually lacks ("needs street and postal code"). */
function IncompleteBadge({ lead }: { lead: Lead }): JSX.Element {
  const missing = missingParts(lead);
  return (
    <span class="lead-badge lead-badge--warn">
      {missing.length ? `Incomplete: needs ${listInWords(missing)}` : 'Incomplete'}
    </span>
  );
}
