// One lead on a call-log tab, compact enough for three or more on a phone screen: name (to
// the lead record) and state label on the first line, the phone and the row's action
// (Schedule, Reschedule or Claim, which opens the picker) on the second, then follow-up,
// status, last touch (and owner in the Lead Bank) in one line of small print.

import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { Link } from '../router';
import type { CallLogLead, Tab } from './api';
import { formatDayTime } from './dates';
import { SchedulePicker } from './SchedulePicker';
import { stateLabel } from './states';

export function leadName(lead: Pick<CallLogLead, 'id' | 'first_name' | 'last_name'>): string {
  return `${lead.first_name ?? ''} ${lead.last_name ?? ''}`.trim() || `Lead ${lead.id}`;
}

const ACTION: Record<Tab, { button: string; legend: (name: string) => string; submit: string }> = {
  to_be_scheduled: {
    button: 'Schedule',
    legend: (name) => `Schedule a follow-up with ${name}`,
    submit: 'Schedule',
  },
  schedule: {
    button: 'Reschedule',
    legend: (name) => `Reschedule the follow-up with ${name}`,
    submit: 'Reschedule',
  },
  lead_bank: {
    button: 'Claim',
    legend: (name) => `Claim ${name}: when will you follow up?`,
    submit: 'Claim and schedule',
  },
};

interface LeadRowProps {
  lead: CallLogLead;
  tab: Tab;
  open: boolean;
  onToggle: (open: boolean) => void;
  onSubmit: (at: Date) => Promise<void>;
}

export function LeadRow({ lead, tab, open, onToggle, onSubmit }: LeadRowProps): JSX.Element {
  const toggleRef = useRef<HTMLButtonElement>(null);
  const name = leadName(lead);
  const { call_log: cl } = lead;
  const action = ACTION[tab];
  const pickerId = `calllog-pick-${lead.id}`;
  const tone = cl.color ?? (cl.state === 'scheduled' ? 'scheduled' : 'plain');

  const close = (): void => {
    onToggle(false);
    toggleRef.current?.focus();
  };

  return (
    <li class={`calllog-row calllog-row--${tone}`} data-lead-id={lead.id}>
      <div class="calllog-row-head">
        <Link href={`/leads/${lead.id}`} class="calllog-name">
          {name}
        </Link>
        <span class={`calllog-badge calllog-badge--${cl.state}`}>{stateLabel(cl.state)}</span>
      </div>
      <div class="calllog-row-main">
        <p class="calllog-phones">
          <span class="visually-hidden">Phone: </span>
          {lead.phones.length ? (
            lead.phones.map((phone, i) => (
              <span key={phone}>
                {i > 0 && ', '}
                <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
              </span>
            ))
          ) : (
            <span class="muted">No phone</span>
          )}
        </p>
        <button
          type="button"
          ref={toggleRef}
          class={open ? 'button button--secondary button--small' : 'button button--primary button--small'}
          aria-expanded={open ? 'true' : 'false'}
          aria-controls={open ? pickerId : undefined}
          onClick={() => onToggle(!open)}
        >
          {action.button}
          <span class="visually-hidden"> {name}</span>
        </button>
      </div>
      <dl class="calllog-facts">
        {(tab !== 'lead_bank' || cl.follow_up_at) && (
          <div>
            <dt>{cl.state === 'missed' ? 'Missed follow-up' : 'Follow-up'}</dt>
            <dd>{cl.follow_up_at ? formatDayTime(cl.follow_up_at) : 'none'}</dd>
          </div>
        )}
        {lead.status && (
          <div>
            <dt>Status</dt>
            <dd>
              {lead.status_color && (
                <span class="calllog-dot" style={{ backgroundColor: lead.status_color }} aria-hidden="true" />
              )}
              {lead.status}
            </dd>
          </div>
        )}
        {cl.touched_at && (
          <div>
            <dt>Touched</dt>
            <dd>{formatDayTime(cl.touched_at)}</dd>
          </div>
        )}
        {tab === 'lead_bank' && (
          <div>
            <dt>Owner</dt>
            <dd>{lead.owner ?? 'nobody: open to everyone'}</dd>
          </div>
        )}
      </dl>
      {open && (
        <div id={pickerId} class="calllog-row-picker">
          <SchedulePicker
            id={pickerId}
            legend={action.legend(name)}
            submitLabel={action.submit}
            initial={cl.follow_up_at ? new Date(cl.follow_up_at) : null}
            onSubmit={onSubmit}
            onCancel={close}
          />
        </div>
      )}
    </li>
  );
}
