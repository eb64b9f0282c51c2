// The lead map as the lead record carries it (GET /api/v1/leads/{id}, member "map"), and the
// calls that walk a lead through it: put it on a map or move it, set a step, log a call
// attempt (each answers the lead as stored afterwards, and each sends If-Match with the lead's
// version: a 412 means someone changed the lead first), the map definitions a picker needs
// (loaded only when the user opens one), and the signed-in user's call attempts due.
// fcgi/src/domain/lead_map.c writes the shapes.

import { api } from '../api';
import type { Lead } from './api';

export type StepType = 'dropdown' | 'radio' | 'checkbox' | 'date' | 'mirror' | 'video' | 'schedule' | 'call';

export type ScheduleKind = 'event' | 'meeting' | 'phone_call';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['event', 'meeting', 'phone_call'];

export type CallOutcome = 'reached' | 'no_answer' | 'voicemail' | 'wrong_number';

export const CALL_OUTCOMES: readonly CallOutcome[] = ['reached', 'no_answer', 'voicemail', 'wrong_number'];

export interface StepOption {
  id: number;
  label: string;
}

export interface MapVideo {
  id: number;
  title: string;
  url: string;
  description: string | null;
}

/** One logged call attempt of a call step. */
export interface CallAttempt {
  id: number;
  at: string;
  outcome: CallOutcome;
  note: string | null;
  by_id: number | null;
  by_name: string | null;
}

export interface ScheduleValue {
  at: string;
  kind: ScheduleKind;
}

/** One step with the lead's value; the optional members come with the step's type. */
export interface LeadMapStep {
  id: number;
  name: string;
  type: StepType;
  required: boolean;
  /** dropdown/radio: an option id; checkbox: boolean; date: ISO instant; mirror: the bound field's
   * value; video: "shown" | "sent"; schedule: {at, kind}; call: null. */
  value: unknown;
  done: boolean;
  options?: StepOption[];
  bound_field?: string;
  field_missing?: boolean;
  video?: MapVideo | null;
  schedule_kind?: ScheduleKind;
  /** date, schedule: the stored time on the practice's clock ("YYYY-MM-DDTHH:MM"), and that zone. */
  local?: string | null;
  time_zone?: string;
  attempts?: number;
  attempts_required?: number;
  spacing_minutes?: number;
  reached?: boolean;
  last_attempt_at?: string | null;
  next_attempt_due?: string | null;
  /** call: every attempt logged, oldest first. */
  attempt_log?: CallAttempt[];
}

export interface LeadMapTrack {
  id: number;
  name: string;
  /** Required steps done. */
  done: number;
  required: number;
  total: number;
  complete: boolean;
  steps: LeadMapStep[];
}

export interface LeadMap {
  map_id: number;
  name: string;
  version: number;
  entered_version: number;
  /** Null at the end point. */
  current_track_id: number | null;
  completed: boolean;
  entered_at: string | null;
  completed_at: string | null;
  tracks: LeadMapTrack[];
}

/** A map's definition as GET /api/v1/maps lists it (only what a picker needs). */
export interface MapSummary {
  id: number;
  name: string;
  active: boolean;
  version: number;
  tracks: { id: number; name: string }[];
}

const ifMatch = (version: number): { headers: Record<string, string> } => ({ headers: { 'If-Match': `"v${version}"` } });

/** PUT /api/v1/leads/{id}/map: put the lead on `mapId`, move it there, or (null) take it off. */
export function putLeadMap(leadId: number, version: number, mapId: number | null): Promise<Lead> {
  return api.request<Lead>('PUT', `/api/v1/leads/${leadId}/map`, { map_id: mapId }, ifMatch(version));
}

export type StepChange = { value: unknown } | { done: boolean };

/** PUT /api/v1/leads/{id}/steps/{step}: a value (null clears) or, for checkbox and video, done. */
export function putStep(leadId: number, version: number, stepId: number, change: StepChange): Promise<Lead> {
  return api.request<Lead>('PUT', `/api/v1/leads/${leadId}/steps/${stepId}`, change, ifMatch(version));
}

/** POST /api/v1/leads/{id}/steps/{step}/attempts: one call attempt on a call step. */
export function logAttempt(leadId: number, version: number, stepId: number, outcome: CallOutcome, note: string | null): Promise<Lead> {
  return api.request<Lead>('POST', `/api/v1/leads/${leadId}/steps/${stepId}/attempts`, { outcome, note }, ifMatch(version));
}

/** A call step whose next attempt is due, on the signed-in user's list. */
export interface CallDue {
  lead_id: number;
  first_name: string;
  last_name: string;
  phone: string | null;
  map_id: number;
  map_name: string;
  step_id: number;
  step_name: string;
  track_name: string;
  attempts: number;
  attempts_required: number;
  due_at: string;
  last_attempt_at: string | null;
}

/** GET /api/v1/call-attempts/due: the user's due calls, oldest first. */
export function listCallsDue(limit = 20): Promise<{ items: CallDue[] }> {
  return api.get<{ items: CallDue[] }>(`/api/v1/call-attempts/due?limit=${limit}`);
}

export function listMaps(): Promise<{ items: MapSummary[] }> {
  return api.get<{ items: MapSummary[] }>('/api/v1/maps');
}
