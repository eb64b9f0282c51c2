// Statuses, grouped by the life-cycle state each belongs to (new, in progress, won, lost,
// completed), each with its colour. The state is chosen once, when the status is added:
// leads move between states only through actions, so a status never changes state.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputField, SelectField } from '../ui/FormControls';
import { LIFE_CYCLE_STATES, type LifeCycleState, type Status } from './api';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps, type ItemGroup } from './ListScreen';
import { nextPosition, parsePosition } from './positions';
import { SettingsForm } from './SettingsForm';

const COLOR = /^#[0-9a-fA-F]{6}$/;
const DEFAULT_COLOR = '#607d8b';

function stateLabel(state: LifeCycleState): string {
  return LIFE_CYCLE_STATES.find((s) => s.value === state)?.label ?? state;
}

function byState(items: Status[]): ItemGroup<Status>[] {
  return LIFE_CYCLE_STATES.map((s) => ({
    key: s.value,
    label: s.label,
    items: items.filter((item) => item.state === s.value),
  }));
}

function StatusSummary({ item }: { item: Status }): JSX.Element {
  return (
    <p class="settings-status">
      <span class="settings-swatch" style={{ backgroundColor: item.color }} aria-hidden="true" />
      <span class="settings-item-name">{item.name}</span>{' '}
      <span class="muted settings-meta">
        <span class="visually-hidden">Colour </span>
        {item.color}, position {item.position}
      </span>
    </p>
  );
}

function StatusForm(props: ItemFormProps<Status, null>): JSX.Element {
  const { item, idPrefix, busy, failure, items, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [state, setState] = useState<LifeCycleState>(item?.state ?? 'in_progress');
  const [color, setColor] = useState(item?.color ?? DEFAULT_COLOR);
  const inState = (s: LifeCycleState): Status[] => items.filter((x) => x.state === s);
  const [position, setPosition] = useState(String(item ? item.position : nextPosition(inState(state))));
  const [positionTouched, setPositionTouched] = useState(item !== null);

  const chooseState = (value: string): void => {
    const next = value as LifeCycleState;
    setState(next);
    // A new status goes after the others of its state unless a position was typed.
    if (!positionTouched) setPosition(String(nextPosition(inState(next))));
  };

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (!COLOR.test(color)) errors['color'] = 'Use a colour like #1e88e5.';
    const pos = parsePosition(position);
    if ('error' in pos) errors['position'] = pos.error;
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    if (!('value' in pos)) return;
    const body: Record<string, unknown> = { name: name.trim(), color: color.toLowerCase(), position: pos.value };
    if (item === null) body['state'] = state;
    onSubmit(body);
  };

  return (
    <SettingsForm
      label={item ? `Edit status ${item.name}` : 'Add status'}
      submitLabel={item ? 'Save' : 'Add status'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
        {item === null ? (
          <SelectField
            id={`${idPrefix}-state`}
            label="Life-cycle state"
            hint="Fixed once the status exists."
            value={state}
            options={LIFE_CYCLE_STATES}
            error={failure?.fields['state']}
            onChange={chooseState}
          />
        ) : (
          <div class="field">
            <p class="settings-label">Life-cycle state</p>
            <p>{stateLabel(item.state)}</p>
            {failure?.fields['state'] && <p class="field-error">{failure.fields['state']}</p>}
          </div>
        )}
        <InputField
          id={`${idPrefix}-color`}
          label="Colour"
          type="color"
          value={color}
          error={failure?.fields['color']}
          onInput={setColor}
        />
        <InputField
          id={`${idPrefix}-position`}
          label="Position"
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          hint="Order within its state; lower comes first."
          value={position}
          error={failure?.fields['position']}
          onInput={(value) => {
            setPositionTouched(true);
            setPosition(value);
          }}
        />
      </div>
    </SettingsForm>
  );
}

export function StatusesScreen(): JSX.Element {
  return (
    <ListScreen<Status, null>
      idBase="statuses"
      title="Statuses"
      noun="status"
      intro="Every status belongs to one life-cycle state. Editing a lead moves it between statuses of the same state; actions (Accept, Win, Lose, Complete) move it to another state."
      ops={settingOps('statuses')}
      extra={null}
      removal="deactivate"
      removeNote={() => 'Leads in this status keep it, but it can no longer be chosen. You can reactivate it later.'}
      nameOf={(item) => item.name}
      fields={['name', 'state', 'color', 'position']}
      Summary={StatusSummary}
      Form={StatusForm}
      groups={byState}
    />
  );
}
