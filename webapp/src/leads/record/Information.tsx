// Lead information: type, category, priority, importance, probability, target amount,
// source, lost reason and status (only statuses of the lead's life-cycle state: moving to
// another state is an action). Owner, group, unit and account are shown, not edited here.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { LeadInput } from '../api';
import { formatMoney } from '../format';
import { SelectInput, TextInput } from '../inputs';
import { choices, nameOf, statusesOf } from '../lists';
import { StatusChip } from '../StatusChip';
import { useLead } from './context';
import { EditableSection, Facts } from './Section';

type RefKey = 'type_id' | 'category_id' | 'priority_id' | 'importance_id' | 'source_id' | 'lost_reason_id' | 'status_id';

interface Draft {
  refs: Record<RefKey, number | null>;
  probability: string;
  target_amount: string;
}

const REF_KEYS: readonly RefKey[] = ['type_id', 'category_id', 'priority_id', 'importance_id', 'source_id', 'lost_reason_id', 'status_id'];
const KEYS = new Set<string>([...REF_KEYS, 'probability', 'target_amount']);

/** "751" and "751.00" are the same amount; anything unusual is compared as typed. */
function normalAmount(text: string): string {
  const m = /^0*(\d+?)(?:\.(\d{0,2}))?$/.exec(text);
  return m ? `${m[1]}.${((m[2] ?? '') + '00').slice(0, 2)}` : text;
}

export function Information(): JSX.Element {
  const { lead, lists } = useLead();
  const [draft, setDraft] = useState<Draft | null>(null);

  const patch = (): LeadInput | null => {
    if (!draft) return null;
    const p: Record<string, unknown> = {};
    for (const key of REF_KEYS) if (draft.refs[key] !== lead[key]) p[key] = draft.refs[key];
    const prob = draft.probability.trim();
    const probValue = prob === '' ? null : /^\d+$/.test(prob) ? Number(prob) : prob; // the API explains bad text
    if (probValue !== lead.probability) p['probability'] = probValue;
    const amount = draft.target_amount.trim().replace(/,/g, '');
    if (normalAmount(amount) !== normalAmount(lead.target_amount ?? '')) p['target_amount'] = amount || null;
    return Object.keys(p).length ? (p as LeadInput) : null;
  };

  type Items = readonly { id: number; name: string; active?: boolean }[];
  const ref = (key: RefKey, label: string, items: Items, empty: string, errors: Record<string, string>): JSX.Element =>
    draft ? (
      <SelectInput
        id={`info-${key.replace('_id', '').replace('_', '-')}`}
        label={label}
        value={draft.refs[key]}
        items={choices(items, draft.refs[key])}
        empty={empty}
        error={errors[key]}
        onChange={(v) => setDraft({ ...draft, refs: { ...draft.refs, [key]: v } })}
      />
    ) : (
      <></>
    );

  const showLostReason = lead.state === 'lost' || lead.lost_reason_id !== null;

  return (
    <EditableSection
      id="lead-information"
      title="Lead information"
      handles={(key) => KEYS.has(key)}
      onOpen={() =>
        setDraft({
          refs: {
            type_id: lead.type_id,
            category_id: lead.category_id,
            priority_id: lead.priority_id,
            importance_id: lead.importance_id,
            source_id: lead.source_id,
            lost_reason_id: lead.lost_reason_id,
            status_id: lead.status_id,
          },
          probability: lead.probability === null ? '' : String(lead.probability),
          target_amount: lead.target_amount ?? '',
        })
      }
      patch={patch}
      view={
        <Facts
          items={[
            ['Status', <StatusChip name={lead.status} color={lead.status_color} state={lead.state} />],
            ['Lead type', lead.type],
            ['Category', lead.category],
            ['Priority', lead.priority],
            ['Importance', lead.importance],
            ['Probability to win', lead.probability !== null && `${lead.probability} %`],
            ['Target amount', formatMoney(lead.target_amount)],
            ['Source', lead.source],
            ...(showLostReason ? ([['Lost reason', lead.lost_reason]] as [string, string | null][]) : []),
            ['Owner', lead.owner ?? 'Unassigned'],
            ['Group', nameOf(lists.groups, lead.group_id)],
            ['Unit', nameOf(lists.units, lead.unit_id)],
            ...(lead.account_id !== null ? ([['Account', `Account ${lead.account_id}`]] as [string, string][]) : []),
            ...(lead.archived ? ([['Archived', lead.archive_reason ?? 'Yes']] as [string, string][]) : []),
          ]}
        />
      }
      form={(errors) =>
        draft && (
          <>
            <SelectInput
              id="info-status"
              label="Status"
              value={draft.refs.status_id}
              items={statusesOf(lists.statuses, lead.state, lead.status_id)}
              error={errors['status_id']}
              onChange={(v) => setDraft({ ...draft, refs: { ...draft.refs, status_id: v } })}
            />
            {ref('type_id', 'Lead type', lists.types, 'No type', errors)}
            <div class="lead-row">
              {ref('category_id', 'Category', lists.categories, 'None', errors)}
              {ref('priority_id', 'Priority', lists.priorities, 'None', errors)}
            </div>
            <div class="lead-row">
              {ref('importance_id', 'Importance', lists.importance, 'None', errors)}
              {ref('source_id', 'Source', lists.sources, 'Not known', errors)}
            </div>
            <div class="lead-row">
              <TextInput
                id="info-probability"
                label="Probability to win (0–100 %)"
                value={draft.probability}
                inputMode="numeric"
                error={errors['probability']}
                onInput={(v) => setDraft({ ...draft, probability: v })}
              />
              <TextInput
                id="info-target-amount"
                label="Target amount"
                value={draft.target_amount}
                inputMode="decimal"
                error={errors['target_amount']}
                onInput={(v) => setDraft({ ...draft, target_amount: v })}
              />
            </div>
            {(showLostReason || draft.refs.lost_reason_id !== null) &&
              ref('lost_reason_id', 'Lost reason', lists.lostReasons, 'None', errors)}
          </>
        )
      }
    />
  );
}
