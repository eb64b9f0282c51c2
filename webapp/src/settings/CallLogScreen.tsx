// Call-log thresholds and the business calendar: after how many untouched days a lead is
// past due, abandoned (to the Lead Bank) and available to everyone; whether only business
// days count, in which time zone, and on which weekdays the practice is open. Saved with
// the version it was loaded at: when another admin saved in between, the server answers
// 412 and the screen offers to reload.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CheckboxField, CheckboxGroup, InputField } from '../ui/FormControls';
import { ErrorNotice, Loading } from '../ui/Status';
import { getCallLogSettings, putCallLogSettings, type CallLogSettings } from './api';
import { failureOf, localFailure, type Failure } from './failure';
import { SettingsForm } from './SettingsForm';
import { useLoad } from './useLoad';

const WEEKDAYS: readonly { value: number; label: string }[] = [
  { value: 1, label: 'Monday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
  { value: 6, label: 'Saturday' },
  { value: 7, label: 'Sunday' },
];

const FIELDS = ['past_due_days', 'abandoned_days', 'available_days', 'business_days', 'time_zone', 'open_days'];

/** Time zone names the browser knows, for the suggestions list. */
function timeZones(): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes('UTC') ? zones : ['UTC', ...zones];
  } catch {
    return ['UTC'];
  }
}

function parseDays(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= 1 && n <= 365 ? n : null;
}

function CallLogForm({ initial, onSaved, onReload }: { initial: CallLogSettings; onSaved: (s: CallLogSettings) => void; onReload: () => void }): JSX.Element {
  const [pastDue, setPastDue] = useState(String(initial.past_due_days));
  const [abandoned, setAbandoned] = useState(String(initial.abandoned_days));
  const [available, setAvailable] = useState(String(initial.available_days));
  const [businessDays, setBusinessDays] = useState(initial.business_days);
  const [timeZone, setTimeZone] = useState(initial.time_zone);
  const [openDays, setOpenDays] = useState<number[]>(initial.open_days);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [stale, setStale] = useState(false);
  const [saved, setSaved] = useState('');
  const [zones] = useState(timeZones);
  const fieldError = (name: string): string | undefined => failure?.fields[name];

  const submit = async (): Promise<void> => {
    const errors: Record<string, string> = {};
    const days = { past_due_days: parseDays(pastDue), abandoned_days: parseDays(abandoned), available_days: parseDays(available) };
    for (const [name, value] of Object.entries(days)) if (value === null) errors[name] = 'A whole number of days from 1 to 365.';
    if (days.past_due_days !== null && days.abandoned_days !== null && days.abandoned_days <= days.past_due_days)
      errors['abandoned_days'] = 'Must be more days than past due.';
    if (timeZone.trim() === '') errors['time_zone'] = 'Enter a time zone like America/Chicago.';
    if (openDays.length === 0) errors['open_days'] = 'Tick at least one weekday.';
    const local = localFailure(errors);
    if (local) return setFailure(local);
    setBusy(true);
    setFailure(null);
    setSaved('');
    try {
      const next = await putCallLogSettings({
        past_due_days: days.past_due_days ?? 0,
        abandoned_days: days.abandoned_days ?? 0,
        available_days: days.available_days ?? 0,
        business_days: businessDays,
        time_zone: timeZone.trim(),
        open_days: openDays,
        version: initial.version,
      });
      onSaved(next);
      setSaved('Call-log settings saved.');
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setStale(true);
      setFailure(failureOf(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p class="settings-notice" role="status">
        {saved}
      </p>
      {stale && (
        <div class="notice notice--error" role="alert">
          <p>Another admin changed these settings after you opened them. Reload to see their version, then make your change again.</p>
          <button type="button" class="button button--secondary" onClick={onReload}>
            Reload settings
          </button>
        </div>
      )}
      <SettingsForm label="Call-log settings" submitLabel="Save" busy={busy} failure={stale ? null : failure} onSubmit={() => void submit()} autoFocus={false}>
        <fieldset class="field field-group">
          <legend>Thresholds</legend>
          <p class="field-hint">Days a lead on the call log may stay untouched before it moves on.</p>
          <div class="settings-fields">
            <InputField
              id="call-log-past-due"
              label="Past due after (days)"
              type="number"
              min={1}
              max={365}
              step={1}
              inputMode="numeric"
              hint="Shown in red on To Be Scheduled."
              value={pastDue}
              error={fieldError('past_due_days')}
              onInput={setPastDue}
            />
            <InputField
              id="call-log-abandoned"
              label="Abandoned after (days)"
              type="number"
              min={1}
              max={365}
              step={1}
              inputMode="numeric"
              hint="Goes to the Lead Bank, still owned."
              value={abandoned}
              error={fieldError('abandoned_days')}
              onInput={setAbandoned}
            />
            <InputField
              id="call-log-available"
              label="Available after (days)"
              type="number"
              min={1}
              max={365}
              step={1}
              inputMode="numeric"
              hint="Days after abandoned; the owner is cleared and anyone may claim it."
              value={available}
              error={fieldError('available_days')}
              onInput={setAvailable}
            />
          </div>
        </fieldset>
        <fieldset class="field field-group">
          <legend>Business calendar</legend>
          <CheckboxField
            id="call-log-business-days"
            label="Count business days only"
            hint="Only the open weekdays, in the practice's time zone, count toward the thresholds."
            checked={businessDays}
            error={fieldError('business_days')}
            onChange={setBusinessDays}
          />
          <InputField
            id="call-log-time-zone"
            label="Time zone"
            hint="A name like America/Chicago or Europe/Berlin."
            list="call-log-time-zones"
            autoComplete="off"
            spellcheck={false}
            value={timeZone}
            error={fieldError('time_zone')}
            onInput={setTimeZone}
          />
          <datalist id="call-log-time-zones">
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <CheckboxGroup
            id="call-log-open-days"
            legend="Open weekdays"
            options={WEEKDAYS}
            selected={openDays}
            error={fieldError('open_days')}
            onChange={setOpenDays}
          />
        </fieldset>
      </SettingsForm>
    </>
  );
}

export function CallLogScreen(): JSX.Element {
  const settings = useLoad(getCallLogSettings);
  // The form starts from what was loaded; a reload (after a conflict) starts a fresh form.
  const [generation, setGeneration] = useState(0);
  return (
    <section class="panel settings-section" aria-labelledby="call-log-heading">
      <div class="settings-section-head">
        <h2 id="call-log-heading">Call log</h2>
      </div>
      <p class="muted">When leads on an agent's call log turn past due, abandoned and available, and which days count.</p>
      {settings.state.kind === 'loading' && <Loading label="Loading call-log settings…" />}
      {settings.state.kind === 'error' && <ErrorNotice message={settings.state.message} onRetry={settings.reload} />}
      {settings.state.kind === 'ready' && (
        <CallLogForm
          key={generation}
          initial={settings.state.data}
          onSaved={(next) => settings.update(() => next)}
          onReload={() => {
            setGeneration((g) => g + 1);
            settings.reload();
          }}
        />
      )}
    </section>
  );
}
