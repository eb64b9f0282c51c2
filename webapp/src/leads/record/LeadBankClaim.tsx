// A lead the user sees only because it sits in the Lead Bank: says so (abandoned or
// available, and since when), and offers Claim with the call log's quick-schedule
// choices. Until the claim the rest of the page is read-only (context.readOnly).

import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { claimLead, isLostClaim } from '../../call-log/api';
import { SchedulePicker } from '../../call-log/SchedulePicker';
import type { Lead } from '../api';
import { formatDateTime, fullName } from '../format';

interface LeadBankClaimProps {
  lead: Lead;
  /** The claim went through (`at`: the follow-up), or someone else was first (`lost`). */
  onDone: (outcome: { kind: 'claimed'; at: Date } | { kind: 'lost'; message: string }) => void;
}

function whereText(lead: Lead): string {
  const since = lead.call_log.since ? ` since ${formatDateTime(lead.call_log.since)}` : '';
  return lead.call_log.state === 'available'
    ? `Available in the Lead Bank${since}: nobody owns it and anyone may claim it.`
    : `Abandoned in the Lead Bank${since}${lead.owner ? ` by ${lead.owner}` : ''}: anyone may claim it.`;
}

export function LeadBankClaim({ lead, onDone }: LeadBankClaimProps): JSX.Element {
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const name = fullName(lead);
  const pickerId = 'lead-claim-pick';

  const submit = async (at: Date): Promise<void> => {
    try {
      await claimLead(lead.id, at);
    } catch (err) {
      // 409 not_in_lead_bank, or 404 once the winner's lead is out of sight.
      if (err instanceof ApiError && (isLostClaim(err) || err.status === 404)) {
        onDone({ kind: 'lost', message: 'This lead is no longer in the Lead Bank; someone claimed it first.' });
        return;
      }
      throw err;
    }
    onDone({ kind: 'claimed', at });
  };

  return (
    <section class="notice notice--info lead-bank" aria-labelledby="lead-bank-title">
      <h2 id="lead-bank-title">In the Lead Bank</h2>
      <p>{whereText(lead)}</p>
      <p>Claim it to work on it: until then you can read it but not change it.</p>
      <button
        type="button"
        ref={toggleRef}
        class={open ? 'button button--secondary' : 'button button--primary'}
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? pickerId : undefined}
        onClick={() => setOpen(!open)}
      >
        Claim
        <span class="visually-hidden"> {name}</span>
      </button>
      {open && (
        <div id={pickerId}>
          <SchedulePicker
            id={pickerId}
            legend={`Claim ${name}: when will you follow up?`}
            submitLabel="Claim and schedule"
            initial={null}
            onSubmit={submit}
            onCancel={() => {
              setOpen(false);
              toggleRef.current?.focus();
            }}
          />
        </div>
      )}
    </section>
  );
}
