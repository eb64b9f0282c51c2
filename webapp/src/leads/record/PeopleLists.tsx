// The lead team (users) and the competitors (an admin list): each a set of names to tick.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { LeadInput } from '../api';
import { CheckList } from '../inputs';
import { nameOf } from '../lists';
import { useLead } from './context';
import { EditableSection } from './Section';

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

interface ChosenListProps {
  id: string;
  title: string;
  field: 'team' | 'competitors';
  items: readonly { id: number; name: string; active?: boolean }[];
  empty: string;
  canEdit?: boolean;
}

function ChosenList({ id, title, field, items, empty, canEdit = true }: ChosenListProps): JSX.Element {
  const { lead } = useLead();
  const [draft, setDraft] = useState<number[]>([]);
  const current = lead[field];
  const available = items.filter((item) => item.active !== false || current.includes(item.id));

  return (
    <EditableSection
      id={id}
      title={title}
      canEdit={canEdit}
      handles={(key) => key === field}
      onOpen={() => setDraft([...current])}
      patch={() => (sameSet(draft, current) ? null : ({ [field]: draft } as LeadInput))}
      view={
        current.length === 0 ? (
          <p class="muted">{empty}</p>
        ) : (
          <ul class="lead-plain-list">
            {current.map((itemId) => (
              <li key={itemId}>{nameOf(items, itemId) ?? `#${itemId}`}</li>
            ))}
          </ul>
        )
      }
      form={(errors) => (
        <CheckList id={`${id}-edit`} legend={title} items={available} chosen={draft} error={errors[field]} onChange={setDraft} />
      )}
    />
  );
}

/** The team decides who else sees the lead: its owner, supervisors and admins change it. */
export function Team(): JSX.Element {
  const { lists, lead, user } = useLead();
  const canEdit = user.role !== 'agent' || lead.owner_id === user.id;
  return (
    <ChosenList id="lead-team" title="Team" field="team" items={lists.users} empty="Nobody else works on this lead." canEdit={canEdit} />
  );
}

export function Competitors(): JSX.Element {
  const { lists } = useLead();
  return <ChosenList id="lead-competitors" title="Competitors" field="competitors" items={lists.competitors} empty="No competitors noted." />;
}
