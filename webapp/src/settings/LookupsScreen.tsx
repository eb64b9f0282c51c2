// The simple lists: lead types, categories, priority and importance levels, sources, lost
// reasons and competitors. Each item is a name and a position; removing deactivates it
// (leads that use it keep it, new choices no longer offer it).

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputField } from '../ui/FormControls';
import type { LookupItem } from './api';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps } from './ListScreen';
import { nextPosition, parsePosition } from './positions';
import { SettingsForm } from './SettingsForm';

export type LookupKind = 'lead-types' | 'categories' | 'priorities' | 'importance-levels' | 'sources' | 'lost-reasons' | 'competitors';

const LOOKUPS: Record<LookupKind, { title: string; noun: string; intro: string }> = {
  'lead-types': {
    title: 'Lead types',
    noun: 'lead type',
    intro: 'A lead type decides which custom fields apply to a lead and their defaults.',
  },
  categories: { title: 'Categories', noun: 'category', intro: 'Categories sort leads into broad kinds of business.' },
  priorities: { title: 'Priority levels', noun: 'priority level', intro: 'How urgently a lead needs work.' },
  'importance-levels': { title: 'Importance levels', noun: 'importance level', intro: 'How much a lead matters to the practice.' },
  sources: { title: 'Lead sources', noun: 'lead source', intro: 'Where leads come from.' },
  'lost-reasons': { title: 'Lost reasons', noun: 'lost reason', intro: 'Why a lead was lost; required when a lead is lost.' },
  competitors: { title: 'Competitors', noun: 'competitor', intro: 'Who else a lead is talking to.' },
};

function LookupSummary({ item }: { item: LookupItem }): JSX.Element {
  return (
    <p>
      <span class="settings-item-name">{item.name}</span> <span class="muted settings-meta">Position {item.position}</span>
    </p>
  );
}

/** The form's `extra` is the list's noun ("lead type"), for its name and button. */
function LookupForm(props: ItemFormProps<LookupItem, string>): JSX.Element {
  const { item, idPrefix, busy, failure, extra: noun, items, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [position, setPosition] = useState(String(item ? item.position : nextPosition(items)));
  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    const pos = parsePosition(position);
    if ('error' in pos) errors['position'] = pos.error;
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    if ('value' in pos) onSubmit({ name: name.trim(), position: pos.value });
  };
  return (
    <SettingsForm
      label={item ? `Edit ${noun} ${item.name}` : `Add ${noun}`}
      submitLabel={item ? 'Save' : `Add ${noun}`}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
        <InputField
          id={`${idPrefix}-position`}
          label="Position"
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          hint="Lower numbers come first."
          value={position}
          error={failure?.fields['position']}
          onInput={setPosition}
        />
      </div>
    </SettingsForm>
  );
}

export function LookupsScreen({ kind }: { kind: LookupKind }): JSX.Element {
  const { title, noun, intro } = LOOKUPS[kind];
  return (
    <ListScreen<LookupItem, string>
      idBase={kind}
      title={title}
      noun={noun}
      intro={intro}
      ops={settingOps(kind)}
      extra={noun}
      removal="deactivate"
      removeNote={() => `Leads that use it keep it, but it is no longer offered for new choices. You can reactivate it later.`}
      nameOf={(item) => item.name}
      fields={['name', 'position']}
      Summary={LookupSummary}
      Form={LookupForm}
    />
  );
}
