// Recurring schedules for task rules: daily, weekly on chosen weekdays, monthly on a day or
// on the nth weekday, every K periods, from a local start in the practice's time zone, until
// a date or for a number of times. The server words the schedule and lists its next dates
// from the same RRULE it stores; the form shows that preview live as the admin edits.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CheckboxGroup, InputField, SelectField } from '../ui/FormControls';
import { previewSchedule, type TaskRecurrence, type Weekday } from '../tasks/api';
import { localFailure } from './failure';
import { ListScreen, type ItemFormProps } from './ListScreen';
import { SettingsForm } from './SettingsForm';
import { taskOps } from './taskOps';

const WEEKDAYS: readonly { value: Weekday; label: string }[] = [
  { value: 'MO', label: 'Monday' },
  { value: 'TU', label: 'Tuesday' },
  { value: 'WE', label: 'Wednesday' },
  { value: 'TH', label: 'Thursday' },
  { value: 'FR', label: 'Friday' },
  { value: 'SA', label: 'Saturday' },
  { value: 'SU', label: 'Sunday' },
];

function ScheduleSummary({ item }: { item: TaskRecurrence }): JSX.Element {
  return (
    <p>
      <span class="settings-item-name">{item.name}</span> <span class="settings-meta">{item.preview}</span>
    </p>
  );
}

function defaultZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function ScheduleForm(props: ItemFormProps<TaskRecurrence, null>): JSX.Element {
  const { item, idPrefix, busy, failure, onSubmit, onInvalid, onCancel } = props;
  const [name, setName] = useState(item?.name ?? '');
  const [freq, setFreq] = useState<string>(item?.freq ?? 'weekly');
  const [interval, setInterval] = useState(String(item?.interval ?? 1));
  const [weekdays, setWeekdays] = useState<Weekday[]>(item?.weekdays ?? ['MO']);
  const [monthMode, setMonthMode] = useState(item?.nth ? 'nth' : 'day');
  const [monthDay, setMonthDay] = useState(String(item?.month_day ?? 1));
  const [nth, setNth] = useState(String(item?.nth ?? 1));
  const [weekday, setWeekday] = useState<string>(item?.weekday ?? 'MO');
  const [start, setStart] = useState(item?.start ?? '');
  const [zone, setZone] = useState(item?.time_zone ?? defaultZone());
  const [ends, setEnds] = useState(item?.count ? 'count' : item?.until ? 'until' : 'never');
  const [until, setUntil] = useState(item?.until ?? '');
  const [count, setCount] = useState(String(item?.count ?? 10));
  const [preview, setPreview] = useState<{ text: string; error: boolean }>({ text: item?.preview ?? '', error: false });

  const body = (): Record<string, unknown> => {
    const b: Record<string, unknown> = { freq, interval: Number(interval), start, time_zone: zone.trim() };
    if (freq === 'weekly') b['weekdays'] = weekdays;
    if (freq === 'monthly' && monthMode === 'day') b['month_day'] = Number(monthDay);
    if (freq === 'monthly' && monthMode === 'nth') {
      b['nth'] = Number(nth);
      b['weekday'] = weekday;
    }
    b['until'] = ends === 'until' ? until : null;
    b['count'] = ends === 'count' ? Number(count) : null;
    return b;
  };

  // The live preview: asked for a moment after the last change.
  useEffect(() => {
    if (start === '') {
      setPreview({ text: 'Choose the first date and time to see the schedule.', error: false });
      return;
    }
    let gone = false;
    const timer = setTimeout(() => {
      previewSchedule(body()).then(
        (p) => !gone && setPreview({ text: p.preview, error: false }),
        (err: unknown) =>
          !gone &&
          setPreview({
            text: err instanceof ApiError ? Object.values(err.fields).join(' ') || err.message : 'The preview is not available.',
            error: true,
          }),
      );
    }, 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [freq, interval, weekdays.join(','), monthMode, monthDay, nth, weekday, start, zone, ends, until, count]);

  const submit = (): void => {
    const errors: Record<string, string> = {};
    if (name.trim() === '') errors['name'] = 'Enter a name.';
    if (start === '') errors['start'] = 'Choose the first date and time.';
    if (freq === 'weekly' && weekdays.length === 0) errors['weekdays'] = 'Choose at least one weekday.';
    const local = localFailure(errors);
    if (local) return onInvalid(local);
    onSubmit({ name: name.trim(), ...body() });
  };

  const f = (key: string): string | undefined => failure?.fields[key];
  return (
    <SettingsForm
      label={item ? `Edit schedule ${item.name}` : 'Add schedule'}
      submitLabel={item ? 'Save' : 'Add schedule'}
      busy={busy}
      failure={failure}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <div class="settings-fields">
        <InputField id={`${idPrefix}-name`} label="Name" value={name} maxLength={120} error={f('name')} onInput={setName} />
        <SelectField
          id={`${idPrefix}-freq`}
          label="Repeats"
          value={freq}
          options={[
            { value: 'daily', label: 'Daily' },
            { value: 'weekly', label: 'Weekly' },
            { value: 'monthly', label: 'Monthly' },
          ]}
          error={f('freq')}
          onChange={setFreq}
        />
        <InputField
          id={`${idPrefix}-interval`}
          label="Every how many periods"
          type="number"
          min={1}
          max={99}
          step={1}
          inputMode="numeric"
          value={interval}
          error={f('interval')}
          onInput={setInterval}
        />
        {freq === 'weekly' && (
          <CheckboxGroup id={`${idPrefix}-weekdays`} legend="On" options={WEEKDAYS} selected={weekdays} error={f('weekdays')} onChange={setWeekdays} />
        )}
        {freq === 'monthly' && (
          <SelectField
            id={`${idPrefix}-month-mode`}
            label="On"
            value={monthMode}
            options={[
              { value: 'day', label: 'A day of the month' },
              { value: 'nth', label: 'The nth weekday' },
            ]}
            onChange={setMonthMode}
          />
        )}
        {freq === 'monthly' && monthMode === 'day' && (
          <InputField
            id={`${idPrefix}-month-day`}
            label="Day of the month"
            type="number"
            min={-1}
            max={31}
            step={1}
            hint="1 to 31 (months without that day are skipped), or -1 for the last day."
            value={monthDay}
            error={f('month_day')}
            onInput={setMonthDay}
          />
        )}
        {freq === 'monthly' && monthMode === 'nth' && (
          <>
            <SelectField
              id={`${idPrefix}-nth`}
              label="Which"
              value={nth}
              options={[
                { value: '1', label: '1st' },
                { value: '2', label: '2nd' },
                { value: '3', label: '3rd' },
                { value: '4', label: '4th' },
                { value: '-1', label: 'Last' },
              ]}
              error={f('nth')}
              onChange={setNth}
            />
            <SelectField id={`${idPrefix}-weekday`} label="Weekday" value={weekday} options={WEEKDAYS} error={f('weekday')} onChange={setWeekday} />
          </>
        )}
        <InputField id={`${idPrefix}-start`} label="First date and time" type="datetime-local" value={start} error={f('start')} onInput={setStart} />
        <InputField id={`${idPrefix}-zone`} label="Time zone" hint="The practice's zone, such as America/Chicago." value={zone} error={f('time_zone')} onInput={setZone} />
        <SelectField
          id={`${idPrefix}-ends`}
          label="Ends"
          value={ends}
          options={[
            { value: 'never', label: 'Never' },
            { value: 'until', label: 'On a date' },
            { value: 'count', label: 'After a number of times' },
          ]}
          onChange={setEnds}
        />
        {ends === 'until' && (
          <InputField id={`${idPrefix}-until`} label="Last date" type="date" value={until} error={f('until')} onInput={setUntil} />
        )}
        {ends === 'count' && (
          <InputField
            id={`${idPrefix}-count`}
            label="Times"
            type="number"
            min={1}
            max={1000}
            step={1}
            value={count}
            error={f('count')}
            onInput={setCount}
          />
        )}
      </div>
      <p class={preview.error ? 'field-error' : 'settings-meta'} role="status" aria-live="polite" id={`${idPrefix}-preview`}>
        {preview.text}
      </p>
    </SettingsForm>
  );
}

export function TaskRecurrencesScreen(): JSX.Element {
  return (
    <ListScreen<TaskRecurrence, null>
      idBase="task-recurrences"
      title="Recurring schedules"
      noun="schedule"
      intro="When recurring task rules create their tasks, in the practice's time zone."
      ops={taskOps<TaskRecurrence>('task-recurrences')}
      extra={null}
      removal="deactivate"
      removeNote={() => 'Rules on this schedule stop creating tasks. You can reactivate it later.'}
      nameOf={(item) => item.name}
      fields={['name', 'freq', 'interval', 'weekdays', 'month_day', 'nth', 'weekday', 'start', 'time_zone', 'until', 'count']}
      Summary={ScheduleSummary}
      Form={ScheduleForm}
    />
  );
}
