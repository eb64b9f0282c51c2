// The editor's working copy of a map: every track, step and option has a stable client
// key (drag and drop and list keys need one before the server gives an id), number inputs
// stay text until saved. toInput() turns it back into the whole definition PUT takes,
// with only the keys each step type uses (after localErrors() found none).

import type { MapDefinition, MapInput, MapStep, ScheduleKind, StepType } from './api';

export interface DraftOption {
  key: string;
  id?: number | undefined;
  label: string;
}

export interface DraftStep {
  key: string;
  id?: number | undefined;
  name: string;
  type: StepType;
  required: boolean;
  options: DraftOption[];
  boundField: string;
  /** '' when none is chosen. */
  videoId: string;
  scheduleKind: ScheduleKind;
  callAttempts: string;
  callSpacing: string;
}

export interface DraftTrack {
  key: string;
  id?: number | undefined;
  name: string;
  steps: DraftStep[];
}

export interface Draft {
  name: string;
  active: boolean;
  tracks: DraftTrack[];
}

let counter = 0;

export function newKey(prefix: string): string {
  counter += 1;
  return `${prefix}-new-${counter}`;
}

export function newStep(type: StepType, name: string): DraftStep {
  return {
    key: newKey('step'),
    name,
    type,
    required: true,
    options: type === 'dropdown' || type === 'radio' ? [{ key: newKey('option'), label: '' }] : [],
    boundField: '',
    videoId: '',
    scheduleKind: 'event',
    callAttempts: '3',
    callSpacing: '1440',
  };
}

export function newTrack(name: string): DraftTrack {
  return { key: newKey('track'), name, steps: [] };
}

function stepDraft(step: MapStep): DraftStep {
  return {
    key: step.id === undefined ? newKey('step') : `step-${step.id}`,
    id: step.id,
    name: step.name,
    type: step.type,
    required: step.required,
    options: (step.options ?? []).map((o) => ({ key: o.id === undefined ? newKey('option') : `option-${o.id}`, id: o.id, label: o.label })),
    boundField: step.bound_field ?? '',
    videoId: step.video_id === undefined ? '' : String(step.video_id),
    scheduleKind: step.schedule_kind ?? 'event',
    callAttempts: step.call_attempts === undefined ? '3' : String(step.call_attempts),
    callSpacing: step.call_spacing_minutes === undefined ? '1440' : String(step.call_spacing_minutes),
  };
}

export function draftOf(map: MapDefinition): Draft {
  return {
    name: map.name,
    active: map.active,
    tracks: map.tracks.map((t) => ({
      key: t.id === undefined ? newKey('track') : `track-${t.id}`,
      id: t.id,
      name: t.name,
      steps: t.steps.map(stepDraft),
    })),
  };
}

const WHOLE = /^\d{1,9}$/;

/**
 * What the browser can tell before asking the server: number inputs that hold no whole
 * number. Keyed by the server's paths, so they show where its own errors would; the server
 * checks everything else (ranges, names, options) and answers every error at once.
 */
export function localErrors(draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  draft.tracks.forEach((track, ti) =>
    track.steps.forEach((step, si) => {
      if (step.type !== 'call') return;
      if (!WHOLE.test(step.callAttempts.trim())) errors[`${stepPath(ti, si)}.call_attempts`] = 'Enter a whole number of attempts, 1 to 20.';
      if (!WHOLE.test(step.callSpacing.trim())) errors[`${stepPath(ti, si)}.call_spacing_minutes`] = 'Enter a whole number of minutes.';
    }),
  );
  return errors;
}

function stepInput(step: DraftStep): MapStep {
  const out: MapStep = { name: step.name.trim(), type: step.type, required: step.required };
  if (step.id !== undefined) out.id = step.id;
  switch (step.type) {
    case 'dropdown':
    case 'radio':
      out.options = step.options.map((o) => (o.id === undefined ? { label: o.label.trim() } : { id: o.id, label: o.label.trim() }));
      break;
    case 'mirror':
      if (step.boundField !== '') out.bound_field = step.boundField;
      break;
    case 'video':
      if (step.videoId !== '') out.video_id = Number(step.videoId);
      break;
    case 'schedule':
      out.schedule_kind = step.scheduleKind;
      break;
    case 'call':
      // localErrors() has checked both are whole numbers.
      out.call_attempts = Number(step.callAttempts.trim());
      out.call_spacing_minutes = Number(step.callSpacing.trim());
      break;
    default:
      break;
  }
  return out;
}

export function toInput(draft: Draft): MapInput {
  return {
    name: draft.name.trim(),
    active: draft.active,
    tracks: draft.tracks.map((t) => {
      const track = { name: t.name.trim(), steps: t.steps.map(stepInput) };
      return t.id === undefined ? track : { id: t.id, ...track };
    }),
  };
}

/** The server's key for an error of a track or step at these positions. */
export function trackPath(ti: number): string {
  return `tracks[${ti}]`;
}

export function stepPath(ti: number, si: number): string {
  return `tracks[${ti}].steps[${si}]`;
}
