// The lead map calls and shapes for the map editor, the funnel and the video library
// (docs/openapi.yaml, tag "maps"), on top of the one typed client in ../api.

import { api } from '../api';

export type StepType = 'dropdown' | 'radio' | 'checkbox' | 'date' | 'mirror' | 'video' | 'schedule' | 'call';

export const STEP_TYPES: readonly { value: StepType; label: string; control: string }[] = [
  { value: 'dropdown', label: 'Dropdown', control: 'a dropdown list' },
  { value: 'radio', label: 'Radio buttons', control: 'radio buttons' },
  { value: 'checkbox', label: 'Checkbox', control: 'a checkbox' },
  { value: 'date', label: 'Date and time', control: 'a date and time' },
  { value: 'mirror', label: 'Mirror of a lead field', control: 'the bound field' },
  { value: 'video', label: 'Video', control: 'a video to show or send' },
  { value: 'schedule', label: 'Schedule', control: 'a date and time in the schedule' },
  { value: 'call', label: 'Call', control: 'call attempts' },
];

export type ScheduleKind = 'event' | 'meeting' | 'phone_call';

export const SCHEDULE_KINDS: readonly { value: ScheduleKind; label: string }[] = [
  { value: 'event', label: 'Event' },
  { value: 'meeting', label: 'Meeting' },
  { value: 'phone_call', label: 'Phone call' },
];

/** The lead fields a mirror step can bind to besides custom.<key>. */
export const SYSTEM_FIELDS: readonly { value: string; label: string }[] = [
  { value: 'probability', label: 'Probability' },
  { value: 'target_amount', label: 'Target amount' },
  { value: 'priority_id', label: 'Priority level' },
  { value: 'type_id', label: 'Lead type' },
  { value: 'category_id', label: 'Category' },
  { value: 'importance_id', label: 'Importance level' },
  { value: 'source_id', label: 'Lead source' },
];

export interface StepOption {
  id?: number;
  label: string;
}

export interface MapStep {
  id?: number;
  name: string;
  type: StepType;
  required: boolean;
  options?: StepOption[];
  bound_field?: string;
  video_id?: number;
  schedule_kind?: ScheduleKind;
  call_attempts?: number;
  call_spacing_minutes?: number;
}

export interface MapTrack {
  id?: number;
  name: string;
  steps: MapStep[];
}

export interface MapDefinition {
  id: number;
  name: string;
  active: boolean;
  version: number;
  tracks: MapTrack[];
}

export interface MapInput {
  name: string;
  active: boolean;
  tracks: MapTrack[];
}

export interface Funnel {
  map_id: number;
  name: string;
  tracks: { id: number; name: string; leads: number }[];
  completed: number;
  hidden: number;
}

export interface Video {
  id: number;
  title: string;
  url: string;
  description: string | null;
  active: boolean;
}

export type VideoInput = Partial<Omit<Video, 'id'>>;

/**
 * Maps, videos and rules are settings (every write raises the settings version): after a
 * write, tell the client so the cached settings bundle goes, as the other settings do.
 */
async function changing<T>(write: Promise<T>): Promise<T> {
  const result = await write;
  api.settingsChanged();
  return result;
}

export async function listMaps(): Promise<MapDefinition[]> {
  return (await api.get<{ items: MapDefinition[] }>('/api/v1/maps')).items;
}

/** A map with its ETag ("v<version>") for the If-Match of the next save. */
export async function getMap(id: number): Promise<{ map: MapDefinition; etag: string }> {
  const answer = await api.getConditional<MapDefinition>(`/api/v1/maps/${id}`, null);
  if (answer === null) throw new Error('unexpected 304');
  return { map: answer.body, etag: answer.etag ?? `"v${answer.body.version}"` };
}

export function createMap(body: MapInput): Promise<MapDefinition> {
  return changing(api.post<MapDefinition>('/api/v1/maps', body));
}

/** Replaces the whole definition: 412 precondition_failed when someone saved since `etag`. */
export function saveMap(id: number, etag: string, body: MapInput): Promise<MapDefinition> {
  return changing(api.request<MapDefinition>('PUT', `/api/v1/maps/${id}`, body, { headers: { 'If-Match': etag } }));
}

export function deleteMap(id: number): Promise<void> {
  return changing(api.delete<void>(`/api/v1/maps/${id}`));
}

export function getFunnel(id: number): Promise<Funnel> {
  return api.get<Funnel>(`/api/v1/maps/${id}/funnel`);
}

export async function listVideos(): Promise<Video[]> {
  return (await api.get<{ items: Video[] }>('/api/v1/map-videos')).items;
}

export function createVideo(body: VideoInput): Promise<Video> {
  return changing(api.post<Video>('/api/v1/map-videos', body));
}

export function updateVideo(id: number, body: VideoInput): Promise<Video> {
  return changing(api.patch<Video>(`/api/v1/map-videos/${id}`, body));
}

export function deleteVideo(id: number): Promise<void> {
  return changing(api.delete<void>(`/api/v1/map-videos/${id}`));
}

export interface MapRule {
  id: number;
  field_id: number;
  field_key: string | null;
  value: string;
  map_id: number;
  position: number;
}

export async function listRules(): Promise<MapRule[]> {
  return (await api.get<{ items: MapRule[] }>('/api/v1/map-rules')).items;
}

export function createRule(body: { field_id: number; value: string; map_id: number }): Promise<MapRule> {
  return changing(api.post<MapRule>('/api/v1/map-rules', body));
}

export function deleteRule(id: number): Promise<void> {
  return changing(api.delete<void>(`/api/v1/map-rules/${id}`));
}
