// Users: who can sign in, their role, the group that owns their leads, the units they are
// assigned work through, and the archive.reactivate permission ("security-approved
// staff"). Deactivating signs a user out at once; Reset password sets a new one (and
// revokes their refresh tokens, so their sessions are not renewed). Admins cannot
// deactivate or demote themselves.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Role, User } from '../api';
import { CheckboxField, CheckboxGroup, InputField, SelectField } from '../ui/FormControls';
import { roleLabel } from '../ui/roles';
import { ErrorNotice, Loading } from '../ui/Status';
import {
  createUser,
  listAllUsers,
  listSettings,
  PERMISSION_REACTIVATE,
  resetPassword,
  updateUser,
  type Group,
  type Unit,
  type UserCreate,
  type UserUpdate,
} from './api';
import { failureOf, localFailure, type Failure } from './failure';
import { ListScreen, type ItemFormProps, type ListOps, type RowPanel } from './ListScreen';
import { SettingsForm } from './SettingsForm';
import { useLoad } from './useLoad';

interface Directory {
  me: User;
  groups: Group[];
  units: Unit[];
}

const ROLES: readonly { value: Role; label: string }[] = [
  { value: 'agent', label: roleLabel('agent') },
  { value: 'supervisor', label: roleLabel('supervisor') },
  { value: 'admin', label: roleLabel('admin') },
];

const PERMISSION_LABEL = 'Can reactivate archived leads';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 8;

const ops: ListOps<User> = {
  load: listAllUsers,
  save: (user, body) => (user === null ? createUser(body as unknown as UserCreate) : updateUser(user.id, body as UserUpdate)),
  remove: async (user) => {
    await updateUser(user.id, { active: false });
  },
  reactivate: (user) => updateUser(user.id, { active: true }),
};

function UserSummary({ item, extra }: { item: User; extra: Directory }): JSX.Element {
  const group = extra.groups.find((g) => g.id === item.group_id)?.name ?? 'No group';
  const units = item.unit_ids.map((id) => extra.units.find((u) => u.id === id)?.name ?? `#${id}`);
  return (
    <div>
      <p>
        <span class="settings-item-name">{item.name}</span>
        {item.id === extra.me.id && <span class="muted"> (you)</span>}
      </p>
      <p class="settings-meta settings-email">{item.email}</p>
      <p class="settings-meta">
        {roleLabel(item.role)} · <span class="visually-hidden">Group: </span>
        {group} · <span class="visually-hidden">Units: </span>
        {units.length === 0 ? 'No units' : units.join(', ')}
      </p>
      {item.permissions.includes(PERMISSION_REACTIVATE) && <p class="settings-meta muted">{PERMISSION_LABEL}</p>}
    </div>
  );
}

function UserForm(props: ItemFormProps<User, Directory>): JSX.Element {
  const { item, idPrefix, busy, failure, extra, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(item?.role ?? 'agent');
  const [groupId, setGroupId] = useState(item?.group_id === null || item === null ? '' : String(item.group_id));
  const [unitIds, setUnitIds] = useState<number[]>(item?.unit_ids ?? []);
  const [canReactivate, setCanReactivate] = useState(item?.permissions.includes(PERMISSION_REACTIVATE) ?? false);
  const [password, setPassword] = useState('');
  const fieldError = (field: string): string | undefined => failure?.fields[field];
  const isMe = item !== null && item.id === extra.me.id;

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (item === null) {
      if (!EMAIL.test(email.trim())) errors['email'] = 'Enter a valid e-mail address.';
      if (password.length < MIN_PASSWORD) errors['password'] = `Use at least ${MIN_PASSWORD} characters.`;
    }
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    const body: Record<string, unknown> = {
      name: name.trim(),
      role,
      group_id: groupId === '' ? null : Number(groupId),
      unit_ids: unitIds,
      permissions: canReactivate ? [PERMISSION_REACTIVATE] : [],
    };
    if (item === null) {
      body['email'] = email.trim();
      body['password'] = password;
    }
    onSubmit(body);
  };

  return (
    <SettingsForm
      label={item ? `Edit user ${item.name}` : 'Add user'}
      submitLabel={item ? 'Save' : 'Add user'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} autoComplete="off" error={fieldError('name')} onInput={setName} />
        {item === null ? (
          <InputField
            id={`${idPrefix}-email`}
            label="E-mail"
            type="email"
            autoComplete="off"
            value={email}
            error={fieldError('email')}
            onInput={setEmail}
          />
        ) : (
          <div class="field">
            <p class="settings-label">E-mail</p>
            <p class="settings-email">{item.email}</p>
          </div>
        )}
        <SelectField
          id={`${idPrefix}-role`}
          label="Role"
          value={role}
          options={ROLES}
          disabled={isMe}
          hint={isMe ? 'You cannot change your own role.' : undefined}
          error={fieldError('role')}
          onChange={(value) => setRole(value as Role)}
        />
        <SelectField
          id={`${idPrefix}-group`}
          label="Group"
          hint="Owns the leads this user creates."
          value={groupId}
          options={[{ value: '', label: 'No group' }, ...extra.groups.map((g) => ({ value: String(g.id), label: g.name }))]}
          error={fieldError('group_id')}
          onChange={setGroupId}
        />
        {item === null && (
          <InputField
            id={`${idPrefix}-password`}
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD} characters. Give it to the user.`}
            value={password}
            error={fieldError('password')}
            onInput={setPassword}
          />
        )}
      </div>
      <CheckboxGroup
        id={`${idPrefix}-units`}
        legend="Units"
        options={extra.units.map((u) => ({ value: u.id, label: u.name }))}
        selected={unitIds}
        empty="There are no units yet."
        error={fieldError('unit_ids')}
        onChange={setUnitIds}
      />
      <CheckboxField
        id={`${idPrefix}-reactivate`}
        label={PERMISSION_LABEL}
        hint="Security-approved staff who may bring archived leads back."
        checked={canReactivate}
        error={fieldError('permissions')}
        onChange={setCanReactivate}
      />
    </SettingsForm>
  );
}

function ResetPasswordForm({
  item,
  idPrefix,
  onDone,
  onCancel,
}: {
  item: User;
  idPrefix: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}): JSX.Element {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const submit = async (): Promise<void> => {
    const local = localFailure(password.length < MIN_PASSWORD ? { password: `Use at least ${MIN_PASSWORD} characters.` } : {});
    if (local) return setFailure(local);
    setBusy(true);
    setFailure(null);
    try {
      await resetPassword(item.id, password);
      onDone(`New password set for ${item.name}. Their current sessions will not be renewed.`);
    } catch (err) {
      setFailure(failureOf(err, ['password']));
      setBusy(false);
    }
  };

  return (
    <SettingsForm
      label={`Reset password of ${item.name}`}
      submitLabel="Set password"
      busy={busy}
      failure={failure}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      <InputField
        id={`${idPrefix}-password`}
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD} characters. Their current sessions will not be renewed.`}
        value={password}
        error={failure?.fields['password']}
        onInput={setPassword}
      />
    </SettingsForm>
  );
}

const resetPanel: RowPanel<User> = { label: 'Reset password', Form: ResetPasswordForm };

async function loadDirectory(me: User): Promise<Directory> {
  const [groups, units] = await Promise.all([listSettings('groups'), listSettings('units')]);
  return { me, groups, units };
}

export function UsersScreen({ me }: { me: User }): JSX.Element {
  const directory = useLoad(() => loadDirectory(me));
  if (directory.state.kind === 'loading') return <Loading label="Loading users…" />;
  if (directory.state.kind === 'error') return <ErrorNotice message={directory.state.message} onRetry={directory.reload} />;
  return (
    <ListScreen<User, Directory>
      idBase="users"
      title="Users"
      noun="user"
      intro="Who can sign in, with their role, group, units and permissions."
      ops={ops}
      extra={directory.state.data}
      removal="deactivate"
      removeNote={(user) =>
        `${user.name} is signed out at once and can no longer sign in. Their leads and history stay. You can reactivate them later.`
      }
      canRemove={(user) => user.id !== me.id}
      nameOf={(user) => user.name}
      fields={['name', 'email', 'role', 'group_id', 'unit_ids', 'permissions', 'password']}
      Summary={UserSummary}
      Form={UserForm}
      panel={resetPanel}
    />
  );
}
