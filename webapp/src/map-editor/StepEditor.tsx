// One step of the map editor: its name, whether it is required, and what its type needs
// (options for dropdown and radio, the bound field of a mirror, the video, the schedule
// kind, the call attempts and their spacing). Errors come by the server's path for the
// step (tracks[0].steps[2].options …) and show beside the control they name.

import type { JSX } from 'preact';
import { CheckboxField, InputField, SelectField, type Choice } from '../ui/FormControls';
import { SCHEDULE_KINDS, STEP_TYPES, type ScheduleKind } from './api';
import { newKey, type DraftStep } from './draft';

interface StepEditorProps {
  step: DraftStep;
  /** The server's path of this step, e.g. tracks[0].steps[2]. */
  path: string;
  fields: Readonly<Record<string, string>>;
  boundFields: readonly Choice[];
  videos: readonly Choice[];
  onChange: (step: DraftStep) => void;
  onRemove: () => void;
}

/** The keys of a step's errors that a control shows; the others show at the step's top. */
const PLACED = ['name', 'required', 'options', 'bound_field', 'video_id', 'schedule_kind', 'call_attempts', 'call_spacing_minutes'];

export function typeLabel(type: DraftStep['type']): string {
  return STEP_TYPES.find((t) => t.value === type)?.label ?? type;
}

export function StepEditor({ step, path, fields, boundFields, videos, onChange, onRemove }: StepEditorProps): JSX.Element {
  const id = step.key;
  const set = (change: Partial<DraftStep>): void => onChange({ ...step, ...change });
  const error = (key: string): string | undefined => fields[`${path}.${key}`];
  // The list's error shows at the first option; one option's (options[1].label) at that option.
  const optionsError = error('options');
  const optionError = (oi: number): string | undefined =>
    Object.entries(fields).find(([k]) => k.startsWith(`${path}.options[${oi}]`))?.[1] ?? (oi === 0 ? optionsError : undefined);
  const others = Object.entries(fields)
    .filter(([k]) => k === path || (k.startsWith(`${path}.`) && !PLACED.some((p) => k.startsWith(`${path}.${p}`))))
    .map(([, v]) => v);
  const title = step.name.trim() === '' ? 'New step' : step.name;

  return (
    <div class="map-step" role="group" aria-label={`Step ${title}`}>
      <p class="map-step-head">
        <span class="map-step-title">{title}</span> <span class="settings-badge">{typeLabel(step.type)}</span>
      </p>
      {others.length > 0 && (
        <p class="field-error" role="alert">
          {others.join(' ')}
        </p>
      )}
      <div class="map-step-fields">
        <InputField id={`${id}-name`} label="Step name" value={step.name} maxLength={120} error={error('name')} onInput={(name) => set({ name })} />
        <CheckboxField id={`${id}-required`} label="Required" checked={step.required} error={error('required')} onChange={(required) => set({ required })} />
        {(step.type === 'dropdown' || step.type === 'radio') && (
          <fieldset class={optionsError ? 'field field-group field--invalid' : 'field field-group'}>
            <legend>Options</legend>
            <ol class="map-options">
              {step.options.map((option, oi) => (
                <li key={option.key} class="map-option">
                  <InputField
                    id={`${id}-${option.key}`}
                    label={`Option ${oi + 1}`}
                    value={option.label}
                    maxLength={120}
                    error={optionError(oi)}
                    onInput={(label) => set({ options: step.options.map((o) => (o.key === option.key ? { ...o, label } : o)) })}
                  />
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-label={`Remove option ${oi + 1}${option.label ? ` ${option.label}` : ''}`}
                    onClick={() => set({ options: step.options.filter((o) => o.key !== option.key) })}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ol>
            {step.options.length === 0 && optionsError && (
              <p class="field-error" id={`${id}-options-error`}>
                {optionsError}
              </p>
            )}
            <button
              type="button"
              class="button button--secondary button--small"
              onClick={() => set({ options: [...step.options, { key: newKey('option'), label: '' }] })}
            >
              Add option
            </button>
          </fieldset>
        )}
        {step.type === 'mirror' && (
          <SelectField
            id={`${id}-bound`}
            label="Bound field"
            value={step.boundField}
            options={[{ value: '', label: 'Choose a field' }, ...boundFields]}
            error={error('bound_field')}
            onChange={(boundField) => set({ boundField })}
          />
        )}
        {step.type === 'video' && (
          <SelectField
            id={`${id}-video`}
            label="Video"
            value={step.videoId}
            options={[{ value: '', label: 'Choose a video' }, ...videos]}
            error={error('video_id')}
            onChange={(videoId) => set({ videoId })}
          />
        )}
        {step.type === 'schedule' && (
          <SelectField
            id={`${id}-kind`}
            label="Schedule kind"
            value={step.scheduleKind}
            options={SCHEDULE_KINDS}
            error={error('schedule_kind')}
            onChange={(kind) => set({ scheduleKind: kind as ScheduleKind })}
          />
        )}
        {step.type === 'call' && (
          <>
            <InputField
              id={`${id}-attempts`}
              label="Call attempts"
              type="number"
              min={1}
              max={20}
              step={1}
              inputMode="numeric"
              hint="Done when reached or after this many attempts (1 to 20)."
              value={step.callAttempts}
              error={error('call_attempts')}
              onInput={(callAttempts) => set({ callAttempts })}
            />
            <InputField
              id={`${id}-spacing`}
              label="Minutes between attempts"
              type="number"
              min={0}
              max={43200}
              step={1}
              inputMode="numeric"
              hint="1440 is one day."
              value={step.callSpacing}
              error={error('call_spacing_minutes')}
              onInput={(callSpacing) => set({ callSpacing })}
            />
          </>
        )}
      </div>
      <button type="button" class="button button--secondary button--small settings-danger" onClick={onRemove}>
        Remove step {title}
      </button>
    </div>
  );
}
