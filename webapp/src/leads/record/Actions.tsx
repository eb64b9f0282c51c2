// Life-cycle actions: only those that make sense for the lead's state are offered, each
// through a dialog that asks for what it needs (a lost reason, an archive reason, and the
// status to land in when the target state has several).

import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../../api';
import { messageOf, runAction, type ActionBody, type Lead, type LeadAction, type LifeState } from '../api';
import { Dialog } from '../Dialog';
import { Field } from '../Field';
import { SelectInput } from '../inputs';
import { choices, statusesOf } from '../lists';
import { useLead } from './context';

interface ActionSpec {
  label: string;
  title: string;
  text: string;
  done: string;
}

const SPECS: Record<LeadAction, ActionSpec> = {
  accept: {
    label: 'Accept',
    title: 'Accept this lead',
    text: 'You become the owner and the lead moves to in progress.',
    done: 'You accepted the lead.',
  },
  win: { label: 'Win', title: 'Mark the lead as won', text: 'The lead moves to won.', done: 'The lead is won.' },
  lose: { label: 'Lose', title: 'Mark the lead as lost', text: 'Say why the lead was lost.', done: 'The lead is lost.' },
  complete: {
    label: 'Complete',
    title: 'Complete the lead',
    text: 'The lead moves to completed and today becomes its actual completion date.',
    done: 'The lead is completed.',
  },
  archive: {
    label: 'Archive',
    title: 'Archive the lead',
    text: 'An archived lead leaves the working lists until it is reactivated. Say why.',
    done: 'The lead is archived.',
  },
  reactivate: { label: 'Reactivate', title: 'Reactivate the lead', text: 'The lead becomes workable again.', done: 'The lead is active again.' },
  convert: {
    label: 'Convert to account',
    title: 'Convert into an account',
    text: 'A customer account is created from this lead and keeps the link to it.',
    done: 'The lead was converted into an account.',
  },
};

const REACTIVATE_PERMISSION = 'archive.reactivate';

/** The actions the lead's state allows, in the order they are offered. */
export function availableActions(lead: Lead, user: User): LeadAction[] {
  if (lead.archived) return ['reactivate'];
  const open = lead.state === 'new' || lead.state === 'in_progress';
  const out: LeadAction[] = [];
  if (open && (lead.owner_id === null || (lead.owner_id === user.id && lead.state === 'new'))) out.push('accept');
  if (open) out.push('win', 'lose');
  if (lead.state === 'won') out.push('complete');
  if ((lead.state === 'won' || lead.state === 'completed') && lead.account_id === null) out.push('convert');
  if (lead.state === 'lost') out.push('reactivate');
  out.push('archive');
  return out;
}

function targetState(action: LeadAction, lead: Lead): LifeState | null {
  switch (action) {
    case 'accept':
      return lead.state === 'new' ? 'in_progress' : null;
    case 'win':
      return 'won';
    case 'lose':
      return 'lost';
    case 'complete':
      return 'completed';
    case 'reactivate':
      return lead.archived ? null : 'in_progress';
    default:
      return null;
  }
}

interface Draft {
  status_id: number | null;
  lost_reason_id: number | null;
  reason: string;
}

export function Actions(): JSX.Element {
  const { lead, user, lists, replace } = useLead();
  const [action, setAction] = useState<LeadAction | null>(null);
  const [draft, setDraft] = useState<Draft>({ status_id: null, lost_reason_id: null, reason: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const canReactivate = user.permissions.includes(REACTIVATE_PERMISSION);
  const actions = availableActions(lead, user).filter((a) => a !== 'reactivate' || canReactivate);
  const reactivateBlocked = availableActions(lead, user).includes('reactivate') && !canReactivate;

  const target = action ? targetState(action, lead) : null;
  const targetStatuses = target ? statusesOf(lists.statuses, target) : [];

  const start = (a: LeadAction): void => {
    const t = targetState(a, lead);
    setDraft({ status_id: t ? (statusesOf(lists.statuses, t)[0]?.id ?? null) : null, lost_reason_id: null, reason: '' });
    setErrors({});
    setMessage(null);
    setDone(null);
    setAction(a);
  };

  const confirm = async (): Promise<void> => {
    if (!action) return;
    const body: ActionBody = {};
    if (target && draft.status_id !== null) body.status_id = draft.status_id;
    if (action === 'lose' && draft.lost_reason_id !== null) body.lost_reason_id = draft.lost_reason_id;
    if (action === 'archive') body.reason = draft.reason.trim();
    setBusy(true);
    setMessage(null);
    try {
      const next = await runAction(lead.id, action, body);
      const spec = SPECS[action];
      setAction(null);
      setDone(spec.done);
      replace(next);
      setTimeout(() => statusRef.current?.focus());
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) {
        setErrors(err.fields);
        setMessage(err.message);
      } else {
        setErrors({});
        setMessage(messageOf(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const spec = action ? SPECS[action] : null;

  return (
    <section class="lead-actions" aria-labelledby="lead-actions-title">
      <h2 id="lead-actions-title" class="visually-hidden">
        Actions
      </h2>
      <div class="lead-action-buttons">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            class={`button ${a === 'win' || a === 'accept' ? 'button--primary' : 'button--secondary'}`}
            onClick={() => start(a)}
          >
            {SPECS[a].label}
          </button>
        ))}
      </div>
      {reactivateBlocked && <p class="lead-help">Reactivating this lead needs the archive.reactivate permission.</p>}
      <p class="lead-action-done" role="status" tabIndex={-1} ref={statusRef}>
        {done}
      </p>

      <Dialog id="lead-action" title={spec?.title ?? ''} open={action !== null} canClose={!busy} onClose={() => setAction(null)}>
        {action && spec && (
          <form
            class="lead-form"
            method="dialog"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) void confirm();
            }}
          >
            <p>{spec.text}</p>
            {targetStatuses.length > 1 && (
              <SelectInput
                id="action-status"
                label="Status"
                value={draft.status_id}
                items={targetStatuses}
                error={errors['status_id']}
                onChange={(v) => setDraft({ ...draft, status_id: v })}
              />
            )}
            {targetStatuses.length <= 1 && errors['status_id'] && <p class="field-error">{errors['status_id']}</p>}
            {action === 'lose' && (
              <SelectInput
                id="action-lost-reason"
                label="Lost reason"
                value={draft.lost_reason_id}
                items={choices(lists.lostReasons, null)}
                empty="Choose a reason"
                error={errors['lost_reason_id']}
                onChange={(v) => setDraft({ ...draft, lost_reason_id: v })}
              />
            )}
            {action === 'archive' && (
              <Field id="action-reason" label="Why is the lead archived?" error={errors['reason']}>
                {(aria) => (
                  <textarea
                    id="action-reason"
                    rows={3}
                    maxLength={500}
                    value={draft.reason}
                    {...aria}
                    onInput={(e) => setDraft({ ...draft, reason: e.currentTarget.value })}
                  />
                )}
              </Field>
            )}
            {message && (
              <div class="notice notice--error" role="alert">
                <p>{message}</p>
              </div>
            )}
            <div class="lead-form-actions">
              <button type="submit" class="button button--primary" disabled={busy} aria-busy={busy}>
                {busy ? 'Working…' : spec.label}
              </button>
              <button type="button" class="button button--secondary" disabled={busy} onClick={() => setAction(null)}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </Dialog>
    </section>
  );
}
