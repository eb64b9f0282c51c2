// Task rules: when tasks are made and for whom. A rule names its task definition (it cannot
// be saved without one), a trigger (a lead event, a date relative to a lead's date, no
// contact for some days, or a recurring schedule), who gets the task (the lead's owner, a
// fixed user, or the members of a unit in turn) and when it is due after the trigger.
// Lead filters (type, source, status, map) are set through the API.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { CheckboxField, InputField, SelectField, type Choice } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { listMaps } from '../map-editor/api';
import { listTaskSettings, type TaskDefinition, type TaskRecurrence, type TaskRule } from '../tasks/api';
import { listAllUsers, listSettings } from './api';
import { localFailure } from './failure';
import { ListScreen, type ItemFormProps } from './ListScreen';
import { SettingsForm } from './SettingsForm';
import { taskOps } from './taskOps';
import { useLoad } from './useLoad';

interface Extra {
  definitions: Choice[];
  schedules: Choice[];
  statuses: Choice[];
  maps: Choice[];
  steps: Choice[];
  users: Choice[];
  units: Choice[];
  types: Choice[];
  sources: Choice[];
}

const TRIGGERS: readonly Choice[] = [
  { value: 'lead_created', label: 'A lead is created' },
  { value: 'status_changed', label: 'A lead changes status' },
  { value: 'state_changed', label: 'A lead changes life-cycle state' },
  { value: 'map_entered', label: 'A lead enters a map' },
  { value: 'step_completed', label: 'A map step is completed' },
  { value: 'map_completed', label: 'A lead completes a map' },
  { value: 'date_relative', label: 'Days after or before a lead date' },
  { value: 'no_contact', label: 'No contact for some days' },
  { value: 'recurring', label: 'On a recurring schedule' },
];

const STATES: readonly Choice[] = [
  { value: '', label: 'Any' },
  { value: 'new', label: 'New' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
  { value: 'completed', label: 'Completed' },
];

const DATE_FIELDS: readonly Choice[] = [
  { value: 'created_at', label: 'Created' },
  { value: 'start_date', label: 'Start date' },
  { value: 'expected_completion', label: 'Expected completion' },
  { value: 'follow_up_at', label: 'Follow-up' },
];

async function loadExtra(): Promise<Extra> {
  const [defs, schedules, statuses, maps, users, units, types, sources] = await Promise.all([
    listTaskSettings<TaskDefinition>('task-definitions'),
    listTaskSettings<TaskRecurrence>('task-recurrences'),
    listSettings('statuses'),
    listMaps(),
    listAllUsers(),
    listSettings('units'),
    listSettings('lead-types'),
    listSettings('sources'),
  ]);
  const named = (items: { id: number; name: string }[]): Choice[] => items.map((i) => ({ value: String(i.id), label: i.name }));
  const steps: Choice[] = [];
  for (const m of maps) for (const t of m.tracks) for (const s of t.steps) steps.push({ value: String(s.id), label: `${m.name}: ${s.name}` });
  return {
    definitions: defs.filter((d) => d.active).map((d) => ({ value: String(d.id), label: d.name })),
    schedules: schedules.map((s) => ({ value: String(s.id), label: `${s.name} (${s.text})` })),
    statuses: statuses.map((s) => ({ value: String(s.id), label: s.name })),
    maps: maps.map((m) => ({ value: String(m.id), label: m.name })),
    steps,
    users: users.filter((u) => u.active).map((u) => ({ value: String(u.id), label: u.name })),
    units: named(units),
    types: named(types.filter((t) => t.active)),
    sources: named(sources.filter((t) => t.active)),
  };
}

const withNone = (choices: Choice[], none: string): Choice[] => [{ value: '', label: none }, ...choices];
const idOrNull = (v: string): number | null => (v === '' ? null : Number(v));

function RuleSummary({ item, extra }: { item: TaskRule; extra: Extra }): JSX.Element {
  const def = extra.definitions.find((d) => d.value === String(item.definition_id))?.label ?? `definition ${item.definition_id}`;
  const trigger = TRIGGERS.find((t) => t.value === item.trigger_kind)?.label ?? item.trigger_kind;
  return (
    <p>
      <span class="settings-item-name">{item.name}</span> <span class="settings-meta">{trigger}</span>{' '}
      <span class="muted settings-meta">creates “{def}”</span>
    </p>
  );
}

function RuleForm(props: ItemFormProps<TaskRule, Extra>): JSX.Element {
  const { item, idPrefix, busy, failure, extra, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [definition, setDefinition] = useState(item ? String(item.definition_id) : '');
  const [trigger, setTrigger] = useState<string>(item?.trigger_kind ?? 'lead_created');
  const [status, setStatus] = useState(item?.trigger_status_id ? String(item.trigger_status_id) : '');
  const [state, setState] = useState(item?.trigger_state ?? '');
  const [map, setMap] = useState(item?.trigger_map_id ? String(item.trigger_map_id) : '');
  const [step, setStep] = useState(item?.trigger_step_id ? String(item.trigger_step_id) : '');
  const [dateField, setDateField] = useState(item?.date_field ?? 'created_at');
  const [days, setDays] = useState(String(item?.offset_days ?? 1));
  const [schedule, setSchedule] = useState(item?.recurrence_id ? String(item.recurrence_id) : '');
  const [perLead, setPerLead] = useState(item?.per_lead ?? false);
  const [assignee, setAssignee] = useState<string>(item?.assignee_kind ?? 'owner');
  const [user, setUser] = useState(item?.assignee_user_id ? String(item.assignee_user_id) : '');
  const [unit, setUnit] = useState(item?.assignee_unit_id ? String(item.assignee_unit_id) : '');
  const [due, setDue] = useState(String(item?.due_minutes ?? 0));
  const [onlyType, setOnlyType] = useState(item?.filter_type_id ? String(item.filter_type_id) : '');
  const [onlySource, setOnlySource] = useState(item?.filter_source_id ? String(item.filter_source_id) : '');
  const [onlyStatus, setOnlyStatus] = useState(item?.filter_status_id ? String(item.filter_status_id) : '');
  const [onlyMap, setOnlyMap] = useState(item?.filter_map_id ? String(item.filter_map_id) : '');

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (definition === '') errors['definition_id'] = 'Choose the task definition this rule creates.';
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    const body: Record<string, unknown> = {
      name: name.trim(),
      definition_id: Number(definition),
      trigger_kind: trigger,
      assignee_kind: assignee,
      due_minutes: Number(due),
      filter_type_id: idOrNull(onlyType),
      filter_source_id: idOrNull(onlySource),
      filter_status_id: idOrNull(onlyStatus),
      filter_map_id: idOrNull(onlyMap),
    };
    if (trigger === 'status_changed') body['trigger_status_id'] = idOrNull(status);
    if (trigger === 'state_changed' || (trigger === 'recurring' && perLead)) body['trigger_state'] = state === '' ? null : state;
    if (trigger === 'map_entered' || trigger === 'map_completed') body['trigger_map_id'] = idOrNull(map);
    if (trigger === 'step_completed') body['trigger_step_id'] = idOrNull(step);
    if (trigger === 'date_relative') body['date_field'] = dateField;
    if (trigger === 'date_relative' || trigger === 'no_contact') body['offset_days'] = Number(days);
    if (trigger === 'recurring') {
      body['recurrence_id'] = idOrNull(schedule);
      body['per_lead'] = perLead;
    }
    if (assignee === 'user') body['assignee_user_id'] = idOrNull(user);
    if (assignee === 'unit') body['assignee_unit_id'] = idOrNull(unit);
    onSubmit(body);
  };

  const f = (key: string): string | undefined => failure?.fields[key];
  return (
    <SettingsForm
      label={item ? `Edit task rule ${item.name}` : 'Add task rule'}
      submitLabel={item ? 'Save' : 'Add task rule'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={f('name')} onInput={setName} />
        <SelectField
          id={`${idPrefix}-definition`}
          label="Task definition"
          value={definition}
          options={withNone(extra.definitions, 'Choose…')}
          error={f('definition_id')}
          onChange={setDefinition}
        />
        <SelectField id={`${idPrefix}-trigger`} label="When" value={trigger} options={TRIGGERS} error={f('trigger_kind')} onChange={setTrigger} />
        {trigger === 'status_changed' && (
          <SelectField id={`${idPrefix}-status`} label="To status" value={status} options={withNone(extra.statuses, 'Any')} error={f('trigger_status_id')} onChange={setStatus} />
        )}
        {(trigger === 'state_changed' || (trigger === 'recurring' && perLead)) && (
          <SelectField
            id={`${idPrefix}-state`}
            label={trigger === 'recurring' ? 'For leads in state' : 'To state'}
            value={state}
            options={STATES}
            error={f('trigger_state')}
            onChange={setState}
          />
        )}
        {(trigger === 'map_entered' || trigger === 'map_completed') && (
          <SelectField id={`${idPrefix}-map`} label="Map" value={map} options={withNone(extra.maps, 'Any')} error={f('trigger_map_id')} onChange={setMap} />
        )}
        {trigger === 'step_completed' && (
          <SelectField id={`${idPrefix}-step`} label="Step" value={step} options={withNone(extra.steps, 'Choose…')} error={f('trigger_step_id')} onChange={setStep} />
        )}
        {trigger === 'date_relative' && (
          <SelectField id={`${idPrefix}-date-field`} label="Lead date" value={dateField} options={DATE_FIELDS} error={f('date_field')} onChange={setDateField} />
        )}
        {(trigger === 'date_relative' || trigger === 'no_contact') && (
          <InputField
            id={`${idPrefix}-days`}
            label={trigger === 'no_contact' ? 'Days without contact' : 'Days after (negative: before)'}
            type="number"
            step={1}
            value={days}
            error={f('offset_days')}
            onInput={setDays}
          />
        )}
        {trigger === 'recurring' && (
          <>
            <SelectField
              id={`${idPrefix}-schedule`}
              label="Schedule"
              value={schedule}
              options={withNone(extra.schedules, 'Choose…')}
              error={f('recurrence_id')}
              onChange={setSchedule}
            />
            <CheckboxField id={`${idPrefix}-per-lead`} label="One task per lead at each date" checked={perLead} error={f('per_lead')} onChange={setPerLead} />
          </>
        )}
        <SelectField
          id={`${idPrefix}-assignee`}
          label="Assign to"
          value={assignee}
          options={[
            { value: 'owner', label: "The lead's owner" },
            { value: 'user', label: 'A user' },
            { value: 'unit', label: 'A unit, in turn' },
          ]}
          error={f('assignee_kind')}
          onChange={setAssignee}
        />
        {assignee === 'user' && (
          <SelectField id={`${idPrefix}-user`} label="User" value={user} options={withNone(extra.users, 'Choose…')} error={f('assignee_user_id')} onChange={setUser} />
        )}
        {assignee === 'unit' && (
          <SelectField id={`${idPrefix}-unit`} label="Unit" value={unit} options={withNone(extra.units, 'Choose…')} error={f('assignee_unit_id')} onChange={setUnit} />
        )}
        <SelectField id={`${idPrefix}-only-type`} label="Only leads of type" value={onlyType} options={withNone(extra.types, 'Any')} error={f('filter_type_id')} onChange={setOnlyType} />
        <SelectField id={`${idPrefix}-only-source`} label="Only leads from source" value={onlySource} options={withNone(extra.sources, 'Any')} error={f('filter_source_id')} onChange={setOnlySource} />
        <SelectField id={`${idPrefix}-only-status`} label="Only leads in status" value={onlyStatus} options={withNone(extra.statuses, 'Any')} error={f('filter_status_id')} onChange={setOnlyStatus} />
        <SelectField id={`${idPrefix}-only-map`} label="Only leads on map" value={onlyMap} options={withNone(extra.maps, 'Any')} error={f('filter_map_id')} onChange={setOnlyMap} />
        <InputField
          id={`${idPrefix}-due`}
          label="Due, minutes after the trigger"
          type="number"
          step={1}
          value={due}
          error={f('due_minutes')}
          onInput={setDue}
        />
      </div>
    </SettingsForm>
  );
}

export function TaskRulesScreen(): JSX.Element {
  const extra = useLoad(loadExtra);
  if (extra.state.kind === 'loading') return <Loading label="Loading task rules…" />;
  if (extra.state.kind === 'error') return <ErrorNotice message={extra.state.message} onRetry={extra.reload} />;
  return (
    <ListScreen<TaskRule, Extra>
      idBase="task-rules"
      title="Task rules"
      noun="task rule"
      intro="When tasks are created, which definition they follow and who gets them."
      ops={taskOps<TaskRule>('task-rules')}
      extra={extra.state.data}
      removal="deactivate"
      removeNote={() => 'It stops creating tasks; tasks it made stay. You can reactivate it later.'}
      nameOf={(item) => item.name}
      fields={[
        'name',
        'definition_id',
        'trigger_kind',
        'trigger_status_id',
        'trigger_state',
        'trigger_map_id',
        'trigger_step_id',
        'date_field',
        'offset_days',
        'recurrence_id',
        'per_lead',
        'assignee_kind',
        'assignee_user_id',
        'assignee_unit_id',
        'due_minutes',
        'filter_type_id',
        'filter_source_id',
        'filter_status_id',
        'filter_map_id',
      ]}
      Summary={RuleSummary}
      Form={RuleForm}
    />
  );
}
