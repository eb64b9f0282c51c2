// The lead's map on the lead page: its tracks in order with their done/required counts, the
// current track marked, and each step as the native control for its type, saved through the
// step routes (each answers the lead as stored, which replaces the page's copy, so the
// version the other sections send with If-Match stays current). The end point shows once
// the map is completed. A lead on no map can be put on one, and a lead on a map moved to
// another (after a confirmation); the map list is fetched only when that control opens, so
// opening a lead costs no extra call. Read-only (Lead Bank) leads show the map without
// controls. Every change sends If-Match with the newest version this page has seen; a 412
// (someone else changed the lead first) offers to reload. Date and schedule steps are
// edited on the practice's clock (the step's time_zone), whatever the browser's zone. A
// call step lists every attempt logged on it.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { messageOf, type Lead } from '../api';
import { CustomFieldInput, toApiValue, toFormValue, type FormValue } from '../CustomFieldInput';
import { Dialog } from '../Dialog';
import { Field, FieldGroup } from '../Field';
import { formatDateTime } from '../format';
import { SelectInput } from '../inputs';
import { choices, type Lists } from '../lists';
import {
  CALL_OUTCOMES,
  listMaps,
  logAttempt,
  putLeadMap,
  putStep,
  SCHEDULE_KINDS,
  type CallAttempt,
  type CallOutcome,
  type LeadMapStep,
  type LeadMapTrack,
  type MapSummary,
  type ScheduleKind,
  type ScheduleValue,
  type StepChange,
} from '../map-api';
import { useLead } from './context';

const KIND_LABELS: Record<ScheduleKind, string> = { event: 'Event', meeting: 'Meeting', phone_call: 'Phone call' };

const OUTCOME_LABELS: Record<CallOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  voicemail: 'Voicemail',
  wrong_number: 'Wrong number',
};

/** A refused change as one line: the message and what each field error says. */
function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = Object.values(err.fields);
    return fields.length ? `${err.message} ${fields.join(' ')}` : err.message;
  }
  return messageOf(err);
}

/** The newest version of each lead this page has had back from a change: a change sent
 * right after another (before the page re-rendered) still sends the current If-Match. */
const seenVersions = new Map<number, number>();

function versionOf(lead: Lead): number {
  return Math.max(lead.version, seenVersions.get(lead.id) ?? 0);
}

interface Change {
  busy: boolean;
  error: string | null;
  /** The last refusal was a 412: the lead changed elsewhere. */
  stale: boolean;
  run: (call: (version: number) => Promise<Lead>) => Promise<boolean>;
}

/** Runs a change that answers the lead; shows the new lead or keeps the error for the step. */
function useChange(): Change {
  const { lead, replace } = useLead();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const run = async (call: (version: number) => Promise<Lead>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setStale(false);
    try {
      const next = await call(versionOf(lead));
      seenVersions.set(next.id, Math.max(next.version, seenVersions.get(next.id) ?? 0));
      replace(next);
      return true;
    } catch (err) {
      setError(errorText(err));
      setStale(err instanceof ApiError && err.status === 412);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, stale, run };
}

/** A refused change: its message, and after a 412 a way to load the lead as it is now. */
function ChangeError({ change, id }: { change: Change; id?: string }): JSX.Element | null {
  const { reload } = useLead();
  if (!change.error) return null;
  return (
    <div class="field-error" id={id} role="alert">
      <p>{change.error}</p>
      {change.stale && (
        <button type="button" class="button button--secondary button--small" onClick={reload}>
          Reload the lead
        </button>
      )}
    </div>
  );
}

/** A wall-clock time on the practice's clock ("2026-03-01T08:30") in words, with its zone. */
function practiceText(local: string | null | undefined, zone: string | undefined): string {
  if (!local) return '';
  const d = new Date(`${local}:00Z`);
  if (Number.isNaN(d.getTime())) return local;
  const text = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d);
  return zone ? `${text} (${zone.replace(/_/g, ' ')} time)` : text;
}

export function LeadMapSection(): JSX.Element {
  const { lead, readOnly } = useLead();
  const map = lead.map;
  return (
    <section class="panel lead-section lead-map" id="lead-map" aria-labelledby="lead-map-title">
      <div class="lead-section-head">
        <h2 id="lead-map-title" tabIndex={-1}>
          Lead map
        </h2>
      </div>
      {map === null ? (
        <>
          <p class="muted">This lead is on no map.</p>
          {!readOnly && <MapPicker currentId={null} currentName={null} />}
        </>
      ) : (
        <>
          <p class="lead-map-name">
            <strong>{map.name}</strong>
            {map.completed ? '' : ` · current track: ${map.tracks.find((t) => t.id === map.current_track_id)?.name ?? '—'}`}
          </p>
          <ol class="lead-map-tracks">
            {map.tracks.map((track) => (
              <Track key={track.id} track={track} current={track.id === map.current_track_id} />
            ))}
          </ol>
          {map.completed && (
            <p class="notice notice--info lead-map-end" role="status">
              <strong>End point reached</strong>
              {map.completed_at ? ` on ${formatDateTime(map.completed_at)}` : ''}: every track of this map is complete.
            </p>
          )}
          {!readOnly && <MapPicker currentId={map.map_id} currentName={map.name} />}
        </>
      )}
    </section>
  );
}

function Track({ track, current }: { track: LeadMapTrack; current: boolean }): JSX.Element {
  const titleId = `lead-map-track-${track.id}`;
  return (
    <li
      class={`lead-map-track${current ? ' lead-map-track--current' : ''}${track.complete ? ' lead-map-track--complete' : ''}`}
      aria-current={current ? 'step' : undefined}
      aria-labelledby={titleId}
    >
      <h3 id={titleId}>
        {track.name}
        {current && <span class="lead-badge lead-map-current">Current</span>}
      </h3>
      <p class="lead-help">
        {`${track.done} of ${track.required} required steps done`}
        {track.complete ? ' · complete' : ''}
      </p>
      <ul class="lead-map-steps">
        {track.steps.map((step) => (
          <li key={step.id} class={`lead-map-step${step.done ? ' lead-map-step--done' : ''}`}>
            <Step step={step} />
          </li>
        ))}
      </ul>
    </li>
  );
}

function StepLabel({ step }: { step: LeadMapStep }): JSX.Element {
  return (
    <>
      {step.name}
      {step.required && <span class="lead-required"> (required)</span>}
      {step.done && <span class="lead-map-done"> · done</span>}
    </>
  );
}

function Step({ step }: { step: LeadMapStep }): JSX.Element {
  const { lead, readOnly } = useLead();
  const change = useChange();
  // Controls stay enabled while a save is in flight (disabling one would drop the keyboard
  // user's focus); changes made meanwhile are sent one after another, the latest last.
  const inFlight = useRef<Promise<boolean> | null>(null);
  const queued = useRef<StepChange | null>(null);
  const save = (body: StepChange): Promise<boolean> => {
    if (inFlight.current) {
      queued.current = body;
      return inFlight.current;
    }
    const send = async (): Promise<boolean> => {
      let next: StepChange | null = body;
      let ok = false;
      while (next) {
        const sending: StepChange = next;
        queued.current = null;
        ok = await change.run((version) => putStep(lead.id, version, step.id, sending));
        next = queued.current;
      }
      inFlight.current = null;
      return ok;
    };
    inFlight.current = send();
    return inFlight.current;
  };
  const errorId = `step-${step.id}-error`;
  const props: StepProps = { step, readOnly, busy: change.busy, errorId: change.error ? errorId : undefined, save };
  return (
    <div class="lead-map-step-body" aria-busy={change.busy}>
      <StepControl {...props} />
      <ChangeError change={change} id={errorId} />
    </div>
  );
}

interface StepProps {
  step: LeadMapStep;
  readOnly: boolean;
  busy: boolean;
  /** The id of the step's error line, when it shows one. */
  errorId: string | undefined;
  save: (body: StepChange) => Promise<boolean>;
}

function StepControl(props: StepProps): JSX.Element {
  switch (props.step.type) {
    case 'dropdown':
      return <DropdownStep {...props} />;
    case 'radio':
      return <RadioStep {...props} />;
    case 'checkbox':
      return <CheckboxStep {...props} />;
    case 'date':
      return <DateStep {...props} />;
    case 'mirror':
      return <MirrorStep {...props} />;
    case 'video':
      return <VideoStep {...props} />;
    case 'schedule':
      return <ScheduleStep {...props} />;
    case 'call':
      return <CallStep {...props} />;
  }
}

function optionLabel(step: LeadMapStep): string {
  return step.options?.find((o) => o.id === step.value)?.label ?? '';
}

function ReadOnlyValue({ step, text }: { step: LeadMapStep; text: string }): JSX.Element {
  return (
    <p class="lead-map-readonly">
      <span class="lead-map-step-name">
        <StepLabel step={step} />
      </span>
      : {text || <span class="muted">—</span>}
    </p>
  );
}

function DropdownStep({ step, readOnly, errorId, save }: StepProps): JSX.Element {
  const id = `step-${step.id}`;
  const [shown, choose] = usePending(step.value, save);
  if (readOnly) return <ReadOnlyValue step={step} text={optionLabel(step)} />;
  const value = typeof shown === 'number' ? String(shown) : '';
  return (
    <div class={`field lead-field${errorId ? ' field--invalid' : ''}`}>
      <label for={id}>
        <StepLabel step={step} />
      </label>
      <select
        id={id}
        value={value}
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={errorId}
        onChange={(e) => {
          const v = e.currentTarget.value;
          choose(v === '' ? null : Number(v));
        }}
      >
        <option value="">—</option>
        {(step.options ?? []).map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function RadioStep({ step, readOnly, errorId, save }: StepProps): JSX.Element {
  const id = `step-${step.id}`;
  const [shown, choose] = usePending(step.value, save);
  if (readOnly) return <ReadOnlyValue step={step} text={optionLabel(step)} />;
  return (
    <fieldset class={`field lead-field lead-group${errorId ? ' field--invalid' : ''}`} aria-describedby={errorId}>
      <legend>
        <StepLabel step={step} />
      </legend>
      <div class="lead-choices">
        {(step.options ?? []).map((o) => (
          <label key={o.id} class="lead-choice">
            <input
              type="radio"
              name={id}
              id={`${id}-${o.id}`}
              value={String(o.id)}
              checked={shown === o.id}
                    onChange={() => choose(o.id)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function CheckboxStep({ step, readOnly, errorId, save }: StepProps): JSX.Element {
  const id = `step-${step.id}`;
  const [shown, choose] = usePending(step.value, save);
  if (readOnly) return <ReadOnlyValue step={step} text={step.value === true ? 'Yes' : 'No'} />;
  return (
    <div class={`field lead-field lead-check${errorId ? ' field--invalid' : ''}`}>
      <label class="lead-choice" for={id}>
        <input
          id={id}
          type="checkbox"
          checked={shown === true}
            aria-invalid={errorId ? 'true' : undefined}
          aria-describedby={errorId}
          onChange={(e) => choose(e.currentTarget.checked)}
        />
        <span>
          <StepLabel step={step} />
        </span>
      </label>
    </div>
  );
}

/** A small form: the control, and Save (and Clear when the step holds a value). */
function StepForm(props: {
  step: LeadMapStep;
  busy: boolean;
  canClear: boolean;
  onSave: () => void;
  onClear: () => void;
  children: JSX.Element | JSX.Element[];
}): JSX.Element {
  const { step, busy, canClear, onSave, onClear, children } = props;
  return (
    <form
      class="lead-map-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      {children}
      <div class="lead-form-actions">
        <button type="submit" class="button button--primary button--small" aria-busy={busy} aria-label={`Save ${step.name}`}>
          Save
        </button>
        {canClear && (
          <button type="button" class="button button--secondary button--small" aria-label={`Clear ${step.name}`} onClick={onClear}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

/** A draft that follows the step's stored value whenever that changes. */
function useDraft<T>(from: () => T, value: unknown): [T, (v: T) => void] {
  const [draft, setDraft] = useState<T>(from);
  const key = JSON.stringify(value ?? null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setDraft(from());
  }, [key]);
  return [draft, setDraft];
}

/**
 * For controls that save on change: the value chosen shows at once (the control does not
 * jump back while the save is in flight) and goes back to the stored one if it is refused.
 */
function usePending(stored: unknown, save: (body: StepChange) => Promise<boolean>): [unknown, (v: unknown) => void] {
  const [pending, setPending] = useState<{ value: unknown } | null>(null);
  const latest = useRef(0);
  const choose = (value: unknown): void => {
    const n = ++latest.current;
    setPending({ value });
    void save({ value }).then(() => {
      if (latest.current === n) setPending(null);
    });
  };
  return [pending ? pending.value : stored, choose];
}

function DateStep({ step, readOnly, busy, errorId, save }: StepProps): JSX.Element {
  const id = `step-${step.id}`;
  const stored = typeof step.value === 'string' ? step.value : null;
  // the control shows and sends the practice's wall clock; the server places it in time
  const [draft, setDraft] = useDraft(() => step.local ?? '', step.value);
  if (readOnly) return <ReadOnlyValue step={step} text={practiceText(step.local, step.time_zone)} />;
  return (
    <StepForm
      step={step}
      busy={busy}
      canClear={stored !== null}
      onSave={() => void save({ value: draft === '' ? null : draft })}
      onClear={() => void save({ value: null })}
    >
      <div class={`field lead-field${errorId ? ' field--invalid' : ''}`}>
        <label for={id}>
          <StepLabel step={step} />
        </label>
        <input
          id={id}
          type="datetime-local"
          value={draft}
          aria-invalid={errorId ? 'true' : undefined}
          aria-describedby={[errorId, `${id}-zone`].filter(Boolean).join(' ')}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <p class="lead-help" id={`${id}-zone`}>
          {`Practice time (${(step.time_zone ?? 'UTC').replace(/_/g, ' ')})`}
        </p>
      </div>
    </StepForm>
  );
}

/** The lookup lists a mirror step may be bound to, by the lead field's key. */
function lookupFor(lists: Lists, field: string): { id: number; name: string; active?: boolean }[] | null {
  switch (field) {
    case 'type_id':
      return lists.types;
    case 'category_id':
      return lists.categories;
    case 'priority_id':
      return lists.priorities;
    case 'importance_id':
      return lists.importance;
    case 'source_id':
      return lists.sources;
    default:
      return null;
  }
}

function MirrorStep(props: StepProps): JSX.Element {
  const { step, readOnly } = props;
  const { lists } = useLead();
  const bound = step.bound_field ?? '';
  if (step.field_missing) {
    return (
      <p class="lead-map-readonly">
        <span class="lead-map-step-name">
          <StepLabel step={step} />
        </span>
        : the field this step mirrors was deleted.
      </p>
    );
  }
  if (bound.startsWith('custom.')) {
    const field = lists.customFields.find((f) => f.key === bound.slice(7));
    if (field) return <MirrorCustom {...props} field={field} />;
  }
  const lookup = lookupFor(lists, bound);
  if (lookup) {
    if (readOnly) return <ReadOnlyValue step={step} text={lookup.find((x) => x.id === step.value)?.name ?? ''} />;
    return <MirrorLookup {...props} items={choices(lookup, typeof step.value === 'number' ? step.value : null)} />;
  }
  return <MirrorText {...props} numeric={bound === 'probability'} />;
}

function MirrorLookup({ step, busy, save, items }: StepProps & { items: { id: number; name: string }[] }): JSX.Element {
  const stored = typeof step.value === 'number' ? step.value : null;
  const [draft, setDraft] = useDraft<number | null>(() => stored, step.value);
  return (
    <StepForm step={step} busy={busy} canClear={false} onSave={() => void save({ value: draft })} onClear={() => undefined}>
      <SelectInput
        id={`step-${step.id}`}
        label={step.name + (step.required ? ' (required)' : '')}
        value={draft}
        items={items}
        empty="—"
        onChange={setDraft}
      />
    </StepForm>
  );
}

function MirrorText({ step, readOnly, busy, errorId, save, numeric }: StepProps & { numeric: boolean }): JSX.Element {
  const id = `step-${step.id}`;
  const stored = step.value === null || step.value === undefined ? '' : String(step.value);
  const [draft, setDraft] = useDraft(() => stored, step.value);
  if (readOnly) return <ReadOnlyValue step={step} text={stored} />;
  const toValue = (): unknown => {
    const text = draft.trim();
    if (text === '') return null;
    if (!numeric) return text;
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  };
  return (
    <StepForm step={step} busy={busy} canClear={false} onSave={() => void save({ value: toValue() })} onClear={() => undefined}>
      <div class={`field lead-field${errorId ? ' field--invalid' : ''}`}>
        <label for={id}>
          <StepLabel step={step} />
        </label>
        <input
          id={id}
          type="text"
          inputMode={numeric ? 'numeric' : 'decimal'}
          value={draft}
          aria-invalid={errorId ? 'true' : undefined}
          aria-describedby={errorId}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
      </div>
    </StepForm>
  );
}

function MirrorCustom({ step, readOnly, busy, save, field }: StepProps & { field: Lists['customFields'][number] }): JSX.Element {
  const stored = (step.value ?? null) as Parameters<typeof toFormValue>[1];
  const [draft, setDraft] = useDraft<FormValue>(() => toFormValue(field, stored), step.value);
  if (readOnly) return <ReadOnlyValue step={step} text={stored === null ? '' : String(stored)} />;
  return (
    <StepForm step={step} busy={busy} canClear={false} onSave={() => void save({ value: toApiValue(field, draft) })} onClear={() => undefined}>
      <CustomFieldInput field={{ ...field, label: step.name, required: step.required }} idPrefix={`step-${step.id}`} value={draft} onChange={setDraft} />
    </StepForm>
  );
}

function VideoStep({ step, readOnly, save }: StepProps): JSX.Element {
  const video = step.video ?? null;
  const state = step.value === 'shown' ? 'Shown' : step.value === 'sent' ? 'Sent' : 'Not yet shown or sent';
  return (
    <div class="lead-map-video" role="group" aria-label={step.name}>
      <p class="lead-map-step-name">
        <StepLabel step={step} />
      </p>
      {video ? (
        <>
          <p>
            <a href={video.url} target="_blank" rel="noopener noreferrer">
              {video.title}
              <span class="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
          {video.description && <p class="lead-help">{video.description}</p>}
        </>
      ) : (
        <p class="muted">The video was removed from the library.</p>
      )}
      <p class="lead-help">{state}</p>
      {!readOnly && (
        <div class="lead-form-actions">
          <button type="button" class="button button--secondary button--small" aria-label={`Mark shown: ${step.name}`} onClick={() => void save({ value: 'shown' })}>
            Mark shown
          </button>
          <button type="button" class="button button--secondary button--small" aria-label={`Mark sent: ${step.name}`} onClick={() => void save({ value: 'sent' })}>
            Mark sent
          </button>
          {step.value !== null && (
            <button type="button" class="button button--secondary button--small" aria-label={`Undo: ${step.name}`} onClick={() => void save({ value: null })}>
              Undo
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function ScheduleStep({ step, readOnly, busy, errorId, save }: StepProps): JSX.Element {
  const id = `step-${step.id}`;
  const stored = (step.value ?? null) as ScheduleValue | null;
  const defaultKind = step.schedule_kind ?? 'event';
  const [at, setAt] = useDraft(() => step.local ?? '', step.value);
  const [kind, setKind] = useDraft<ScheduleKind>(() => stored?.kind ?? defaultKind, step.value);
  if (readOnly) return <ReadOnlyValue step={step} text={stored ? `${KIND_LABELS[stored.kind]}, ${practiceText(step.local, step.time_zone)}` : ''} />;
  return (
    <StepForm
      step={step}
      busy={busy}
      canClear={stored !== null}
      onSave={() => void save({ value: at === '' ? null : { at, kind } })}
      onClear={() => void save({ value: null })}
    >
      <FieldGroup id={id} label={<StepLabel step={step} />}>
        {() => (
          <div class="lead-map-pair">
            <Field id={`${id}-at`} label={`Date and time (practice time, ${(step.time_zone ?? 'UTC').replace(/_/g, ' ')})`}>
              {() => (
                <input
                  id={`${id}-at`}
                  type="datetime-local"
                  value={at}
                  aria-invalid={errorId ? 'true' : undefined}
                  aria-describedby={errorId}
                  onInput={(e) => setAt(e.currentTarget.value)}
                />
              )}
            </Field>
            <Field id={`${id}-kind`} label="Kind">
              {() => (
                <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value as ScheduleKind)}>
                  {SCHEDULE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        )}
      </FieldGroup>
    </StepForm>
  );
}

function CallStep({ step, readOnly }: StepProps): JSX.Element {
  const { lead } = useLead();
  const id = `step-${step.id}`;
  const change = useChange();
  const [outcome, setOutcome] = useState<CallOutcome>('no_answer');
  const [note, setNote] = useState('');
  const attempts = step.attempts ?? 0;
  const submit = async (): Promise<void> => {
    const ok = await change.run((version) => logAttempt(lead.id, version, step.id, outcome, note.trim() === '' ? null : note.trim()));
    if (ok) setNote('');
  };
  return (
    <div class="lead-map-call" role="group" aria-labelledby={`${id}-name`}>
      <p class="lead-map-step-name" id={`${id}-name`}>
        <StepLabel step={step} />
      </p>
      <ul class="lead-map-attempts">
        <li>{`${attempts} of ${step.attempts_required ?? 1} attempts made${step.reached ? ' · reached' : ''}`}</li>
        {step.last_attempt_at && <li>Last attempt: {formatDateTime(step.last_attempt_at)}</li>}
        {step.next_attempt_due && <li>Next attempt due: {formatDateTime(step.next_attempt_due)}</li>}
      </ul>
      <AttemptLog step={step} />
      {!readOnly && !step.done && (
        <form
          class="lead-map-form"
          noValidate
          aria-label={`Log an attempt for ${step.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!change.busy) void submit();
          }}
        >
          <Field id={`${id}-outcome`} label="Outcome">
            {() => (
              <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as CallOutcome)}>
                {CALL_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {OUTCOME_LABELS[o]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`${id}-note`} label="Note (optional)">
            {(aria) => (
              <textarea id={`${id}-note`} rows={2} maxLength={1000} value={note} {...aria} onInput={(e) => setNote(e.currentTarget.value)} />
            )}
          </Field>
          <div class="lead-form-actions">
            <button type="submit" class="button button--primary button--small" aria-busy={change.busy}>
              Log attempt
            </button>
          </div>
        </form>
      )}
      <ChangeError change={change} />
    </div>
  );
}

/** The attempts logged on a call step, oldest first: when, outcome, who, and the note. */
function AttemptLog({ step }: { step: LeadMapStep }): JSX.Element | null {
  const log: CallAttempt[] = step.attempt_log ?? [];
  if (log.length === 0) return null;
  return (
    <ol class="lead-map-attempt-log" aria-label={`Attempts logged for ${step.name}`}>
      {log.map((a) => (
        <li key={a.id}>
          <time dateTime={a.at}>{formatDateTime(a.at)}</time>
          {` · ${OUTCOME_LABELS[a.outcome] ?? a.outcome}`}
          {a.by_name ? ` · ${a.by_name}` : ''}
          {a.note && <span class="lead-map-attempt-note">{` — ${a.note}`}</span>}
        </li>
      ))}
    </ol>
  );
}

type Maps = { kind: 'closed' } | { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; maps: MapSummary[] };

/** Put the lead on a map (none yet) or move it to another; the maps load when this opens. */
function MapPicker({ currentId, currentName }: { currentId: number | null; currentName: string | null }): JSX.Element {
  const { lead } = useLead();
  const [maps, setMaps] = useState<Maps>({ kind: 'closed' });
  const [chosen, setChosen] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const change = useChange();
  const selectRef = useRef<HTMLSelectElement>(null);
  const moving = currentId !== null;

  const open = (): void => {
    setMaps({ kind: 'loading' });
    listMaps().then(
      (page) => {
        const usable = page.items.filter((m) => m.active && m.id !== currentId && m.tracks.length > 0);
        setChosen(usable[0]?.id ?? null);
        setMaps({ kind: 'ready', maps: usable });
      },
      (err: unknown) => setMaps({ kind: 'error', message: messageOf(err) }),
    );
  };

  useEffect(() => {
    if (maps.kind === 'ready') selectRef.current?.focus();
  }, [maps.kind]);

  const apply = async (): Promise<void> => {
    if (chosen === null) return;
    const ok = await change.run((version) => putLeadMap(lead.id, version, chosen));
    setConfirming(false);
    if (ok) {
      setMaps({ kind: 'closed' });
      // The picker is gone with the control that had focus: continue from the map's heading.
      setTimeout(() => document.getElementById('lead-map-title')?.focus());
    }
  };

  const chosenName = maps.kind === 'ready' ? (maps.maps.find((m) => m.id === chosen)?.name ?? '') : '';

  if (maps.kind === 'closed') {
    return (
      <div class="lead-form-actions">
        <button type="button" class="button button--secondary" onClick={open}>
          {moving ? 'Move to another map' : 'Put on a map'}
        </button>
      </div>
    );
  }
  if (maps.kind === 'loading') return <p class="muted">Loading the maps…</p>;
  if (maps.kind === 'error') {
    return (
      <div class="notice notice--error" role="alert">
        <p>{maps.message}</p>
        <button type="button" class="button button--secondary" onClick={open}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <form
      class="lead-map-form"
      noValidate
      aria-label={moving ? 'Move to another map' : 'Put on a map'}
      onSubmit={(e) => {
        e.preventDefault();
        if (change.busy || chosen === null) return;
        if (moving) setConfirming(true);
        else void apply();
      }}
    >
      {maps.maps.length === 0 ? (
        <p class="muted">There is no other active map.</p>
      ) : (
        <div class="field lead-field">
          <label for="lead-map-choice">Map</label>
          <select
            id="lead-map-choice"
            ref={selectRef}
            value={chosen === null ? '' : String(chosen)}
            onChange={(e) => setChosen(Number(e.currentTarget.value))}
          >
            {maps.maps.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {!confirming && <ChangeError change={change} />}
      <div class="lead-form-actions">
        {maps.maps.length > 0 && (
          <button type="submit" class="button button--primary" disabled={change.busy}>
            {moving ? 'Move' : 'Put on this map'}
          </button>
        )}
        <button type="button" class="button button--secondary" disabled={change.busy} onClick={() => setMaps({ kind: 'closed' })}>
          Cancel
        </button>
      </div>
      <Dialog id="lead-map-move" title="Move to another map" open={confirming} canClose={!change.busy} onClose={() => setConfirming(false)}>
        <p>{`Move this lead from ${currentName ?? ''} to ${chosenName}? Its values on ${currentName ?? 'the old map'} are kept and show again if it comes back.`}</p>
        {change.error && (
          <p class="field-error" role="alert">
            {change.error}
          </p>
        )}
        <div class="lead-form-actions">
          <button type="button" class="button button--primary" disabled={change.busy} aria-busy={change.busy} onClick={() => void apply()}>
            {change.busy ? 'Moving…' : 'Move'}
          </button>
          <button type="button" class="button button--secondary" disabled={change.busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </form>
  );
}
