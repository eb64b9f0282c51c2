// Units: teams that leads are assigned to. Members of a unit can accept the leads assigned
// to it. Membership is edited here or on the user; a unit can be deleted only while no
// lead is assigned to it.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { User } from '../api';
import { CheckboxGroup, InputField } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { listAllUsers, type Unit } from './api';
import { localFailure } from './failure';
import { ListScreen, settingOps, type ItemFormProps } from './ListScreen';
import { SettingsForm } from './SettingsForm';
import { useLoad } from './useLoad';

function memberNames(ids: readonly number[], users: readonly User[]): string {
  if (ids.length === 0) return 'No members';
  return ids.map((id) => users.find((u) => u.id === id)?.name ?? `#${id}`).join(', ');
}

function UnitSummary({ item, extra: users }: { item: Unit; extra: User[] }): JSX.Element {
  return (
    <div>
      <p class="settings-item-name">{item.name}</p>
      <p class="settings-meta muted">
        <span class="visually-hidden">Members: </span>
        {memberNames(item.member_ids, users)}
      </p>
    </div>
  );
}

function UnitForm(props: ItemFormProps<Unit, User[]>): JSX.Element {
  const { item, idPrefix, busy, failure, extra: users, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [members, setMembers] = useState<number[]>(item?.member_ids ?? []);
  const choices = users
    .filter((u) => u.active || members.includes(u.id))
    .map((u) => ({ value: u.id, label: u.active ? u.name : `${u.name} (deactivated)` }));

  const submit = (): void => {
    const local = localFailure(name.trim() === '' ? { name: 'Enter a name.' } : {});
    if (local) return onInvalid(local);
    onSubmit({ name: name.trim(), member_ids: members });
  };

  return (
    <SettingsForm
      label={item ? `Edit unit ${item.name}` : 'Add unit'}
      submitLabel={item ? 'Save' : 'Add unit'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
      <CheckboxGroup
        id={`${idPrefix}-members`}
        legend="Members"
        options={choices}
        selected={members}
        empty="There are no users yet."
        error={failure?.fields['member_ids']}
        onChange={setMembers}
      />
    </SettingsForm>
  );
}

export function UnitsScreen(): JSX.Element {
  const users = useLoad(listAllUsers);
  if (users.state.kind === 'loading') return <Loading label="Loading units…" />;
  if (users.state.kind === 'error') return <ErrorNotice message={users.state.message} onRetry={users.reload} />;
  return (
    <ListScreen<Unit, User[]>
      idBase="units"
      title="Units"
      noun="unit"
      intro="Leads are assigned to units; with no user assigned, any member can accept the lead."
      ops={settingOps('units')}
      extra={users.state.data}
      removal="delete"
      removeNote={() => 'The unit is deleted and its members leave it. This is refused while leads are assigned to it.'}
      nameOf={(item) => item.name}
      fields={['name', 'member_ids']}
      Summary={UnitSummary}
      Form={UnitForm}
    />
  );
}
