// Task definitions: a name and what the task says at each of its three stages — Contact
// (what to do), Pending (what waiting means) and Complete (what was done). Rules pick one.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputField, TextAreaField } from '../ui/FormControls';
import type { TaskDefinition } from '../tasks/api';
import { localFailure } from './failure';
import { ListScreen, type ItemFormProps } from './ListScreen';
import { SettingsForm } from './SettingsForm';
import { taskOps } from './taskOps';

function DefinitionSummary({ item }: { item: TaskDefinition }): JSX.Element {
  return (
    <p>
      <span class="settings-item-name">{item.name}</span>{' '}
      <span class="muted settings-meta">{item.contact_message || 'No Contact message'}</span>
    </p>
  );
}

function DefinitionForm(props: ItemFormProps<TaskDefinition, null>): JSX.Element {
  const { item, idPrefix, busy, failure, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [contact, setContact] = useState(item?.contact_message ?? '');
  const [pending, setPending] = useState(item?.pending_message ?? '');
  const [complete, setComplete] = useState(item?.complete_message ?? '');

  const submit = (): void => {
    const local = localFailure(name.trim() === '' ? { name: 'Enter a name.' } : {});
    if (local) return onInvalid(local);
    onSubmit({ name: name.trim(), contact_message: contact, pending_message: pending, complete_message: complete });
  };

  return (
    <SettingsForm
      label={item ? `Edit task definition ${item.name}` : 'Add task definition'}
      submitLabel={item ? 'Save' : 'Add task definition'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={failure?.fields['name']} onInput={setName} />
        <TextAreaField
          id={`${idPrefix}-contact`}
          label="Contact message"
          value={contact}
          maxLength={2000}
          error={failure?.fields['contact_message']}
          onInput={setContact}
        />
        <TextAreaField
          id={`${idPrefix}-pending`}
          label="Pending message"
          value={pending}
          maxLength={2000}
          error={failure?.fields['pending_message']}
          onInput={setPending}
        />
        <TextAreaField
          id={`${idPrefix}-complete`}
          label="Complete message"
          value={complete}
          maxLength={2000}
          error={failure?.fields['complete_message']}
          onInput={setComplete}
        />
      </div>
    </SettingsForm>
  );
}

export function TaskDefinitionsScreen(): JSX.Element {
  return (
    <ListScreen<TaskDefinition, null>
      idBase="task-definitions"
      title="Task definitions"
      noun="task definition"
      intro="What a task tells the user at each stage: Contact, Pending and Complete."
      ops={taskOps<TaskDefinition>('task-definitions')}
      extra={null}
      removal="deactivate"
      removeNote={() => 'Its rules stop creating tasks; tasks already made keep it. You can reactivate it later.'}
      nameOf={(item) => item.name}
      fields={['name', 'contact_message', 'pending_message', 'complete_message']}
      Summary={DefinitionSummary}
      Form={DefinitionForm}
    />
  );
}
