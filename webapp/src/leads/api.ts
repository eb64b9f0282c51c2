// The lead screens' calls to the API, on top of the shared client (../api), and the shapes
// they send and receive (fcgi/src/store/leads.c LEAD_JSON and SUMMARY_JSON define them).

import { api, ApiError, type Conditional, type Page } from '../api';
import type { CallState } from '../call-log/api';
import type { LeadMap } from './map-api';

export type LifeState = 'new' | 'in_progress' | 'won' | 'lost' | 'completed';

export const STATES: readonly LifeState[] = ['new', 'in_progress', 'won', 'lost', 'completed'];

export interface Address {
  street: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

export interface Duration {
  value: number;
  unit: DurationUnit;
}

export type CustomValue = string | number | boolean | string[] | null;

export interface LeadProduct {
  product_id: number;
  name: string;
  notes: string | null;
}

/** A lead's place on the call log (read-only: follow-ups and claims change it). */
export interface LeadCallLog {
  state: CallState;
  follow_up_at: string | null;
  touched_at: string | null;
  /** When the lead entered its current state (for the Lead Bank: since when it is there). */
  since: string | null;
  owner_id: number | null;
}

/** GET /api/v1/leads/{id}. `version` is what the ETag carries ("v<version>"). */
export interface Lead {
  id: number;
  first_name: string;
  last_name: string;
  address: Address;
  phones: string[];
  emails: string[];
  incomplete: boolean;
  type_id: number | null;
  type: string | null;
  category_id: number | null;
  category: string | null;
  priority_id: number | null;
  priority: string | null;
  importance_id: number | null;
  importance: string | null;
  source_id: number | null;
  source: string | null;
  lost_reason_id: number | null;
  lost_reason: string | null;
  probability: number | null;
  target_amount: string | null;
  status_id: number;
  status: string;
  status_color: string | null;
  state: LifeState;
  archived: boolean;
  archived_at: string | null;
  archive_reason: string | null;
  start_date: string | null;
  expected_completion: string | null;
  estimated_duration: Duration | null;
  expected_end: string | null;
  time_to_completion: number | null;
  time_overdue: number | null;
  actual_completion: string | null;
  products: LeadProduct[];
  team: number[];
  competitors: number[];
  owner_id: number | null;
  owner: string | null;
  group_id: number | null;
  unit_id: number | null;
  account_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
  custom: Record<string, CustomValue>;
  call_log: LeadCallLog;
  /** The map the lead is on, with its steps and values (null: none). */
  map: LeadMap | null;
}

/** One row of GET /api/v1/leads. */
export interface LeadSummary {
  id: number;
  first_name: string;
  last_name: string;
  phones: string[];
  emails: string[];
  city: string | null;
  incomplete: boolean;
  status_id: number;
  status: string;
  status_color: string | null;
  state: LifeState;
  archived: boolean;
  owner_id: number | null;
  owner: string | null;
  updated_at: string;
}

/** What POST /leads and PATCH /leads/{id} take; PATCH changes only the keys present. */
export interface LeadInput {
  first_name?: string;
  last_name?: string;
  address?: Partial<Address>;
  phones?: string[];
  emails?: string[];
  type_id?: number | null;
  category_id?: number | null;
  priority_id?: number | null;
  importance_id?: number | null;
  source_id?: number | null;
  lost_reason_id?: number | null;
  status_id?: number | null;
  probability?: number | null;
  target_amount?: string | null;
  expected_completion?: string | null;
  estimated_duration?: Duration | null;
  products?: { product_id: number; notes: string }[];
  team?: number[];
  competitors?: number[];
  custom?: Record<string, CustomValue>;
  owner_id?: number | null;
  group_id?: number | null;
  unit_id?: number | null;
}

export interface NoteRevision {
  body: string;
  edited_by: number | null;
  edited_at: string;
}

export interface Note {
  id: number;
  lead_id: number;
  author_id: number;
  author: string | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  version: number;
  revisions: NoteRevision[];
}

export interface HistoryEntry {
  id: number;
  at: string;
  actor_kind: 'agent' | 'lead' | 'system';
  actor_id: number | null;
  actor: string | null;
  action: string;
  field: string | null;
  before: string | null;
  after: string | null;
  rule: string | null;
}

export type LeadAction = 'accept' | 'win' | 'lose' | 'complete' | 'archive' | 'reactivate' | 'convert';

export interface ActionBody {
  status_id?: number;
  lost_reason_id?: number;
  reason?: string;
}

/* ---------- settings lists (GET for any signed-in user) ---------- */

export interface Lookup {
  id: number;
  name: string;
  position: number;
  active: boolean;
}

export interface Status {
  id: number;
  name: string;
  state: LifeState;
  color: string | null;
  active: boolean;
}

export interface Product {
  id: number;
  name: string;
  price: string | null;
  active: boolean;
}

export type CustomFieldType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'money'
  | 'date'
  | 'datetime'
  | 'dropdown'
  | 'radio'
  | 'checkbox'
  | 'multi_select';

export interface CustomField {
  id: number;
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  default: CustomValue;
  help: string | null;
  options: string[] | null;
  type_ids: number[];
  active: boolean;
}

export interface NamedItem {
  id: number;
  name: string;
}

export interface DirectoryUser {
  id: number;
  name: string;
  role: string;
  active: boolean;
}

/* ---------- leads ---------- */

/**
 * A search of GET /api/v1/leads as its query string (every parameter the server knows:
 * q, state, status, type, source, call_state, archived, incomplete, sort, cf.<key> …),
 * so a saved search or an address can carry any of them through the app unchanged.
 */
export function searchLeads(query: string, limit: number, after: string | null = null): Promise<Page<LeadSummary>> {
  const params = new URLSearchParams(query);
  params.set('limit', String(limit));
  if (after !== null) params.set('after', after);
  return api.get<Page<LeadSummary>>(`/api/v1/leads?${params.toString()}`);
}

/** The CSV of every lead the search finds (streamed by the server, handed over as a file). */
export function exportLeads(query: string): Promise<Blob> {
  return api.blob(`/api/v1/leads/export.csv${query ? `?${query}` : ''}`);
}

export interface SavedSearch {
  id: number;
  name: string;
  query: string;
  shared: boolean;
  owner_id: number;
  owner: string | null;
  mine: boolean;
  version: number;
  updated_at: string;
}

export function listSavedSearches(): Promise<{ items: SavedSearch[] }> {
  return api.get<{ items: SavedSearch[] }>('/api/v1/saved-searches');
}

export function saveSearch(input: { name: string; query: string; shared: boolean }): Promise<SavedSearch> {
  return api.post<SavedSearch>('/api/v1/saved-searches', input);
}

export function deleteSavedSearch(id: number): Promise<void> {
  return api.delete<void>(`/api/v1/saved-searches/${id}`);
}

export function getLead(id: number): Promise<Lead> {
  return api.get<Lead>(`/api/v1/leads/${id}`);
}

/** allowDuplicate: create it although leads with its phone or e-mail exist (409 otherwise). */
export function createLead(input: LeadInput, allowDuplicate = false): Promise<Lead> {
  return api.post<Lead>(allowDuplicate ? '/api/v1/leads?allow_duplicate=true' : '/api/v1/leads', input);
}

/** A lead that shares a phone or an e-mail with a new one (409 possible_duplicate). */
export interface DuplicateCandidate {
  id: number;
  first_name: string;
  last_name: string;
  status_id: number;
  owner_id: number | null;
  matched: ('phone' | 'email')[];
}

/** The candidates of a possible_duplicate error, or null for any other error. */
export function duplicatesOf(err: unknown): { items: DuplicateCandidate[]; hidden: number } | null {
  if (!(err instanceof ApiError) || err.code !== 'possible_duplicate') return null;
  const c = err.detail['candidates'] as { items?: DuplicateCandidate[]; hidden?: number } | undefined;
  return { items: c?.items ?? [], hidden: c?.hidden ?? 0 };
}

/** Choices of a merge: per field key, whose value survives. */
export type MergeChoice = 'survivor' | 'other' | 'both';

/** POST /api/v1/leads/{id}/merge: other is merged into survivor; both versions as seen. */
export function mergeLeads(survivor: Lead, other: Lead, values: Record<string, MergeChoice>): Promise<Lead> {
  return api.post<Lead>(`/api/v1/leads/${survivor.id}/merge`, {
    other_id: other.id,
    version: survivor.version,
    other_version: other.version,
    values,
  });
}

/**
 * PATCH /api/v1/leads/{id} with If-Match: the version the page shows. A 412 (someone else
 * changed the lead) comes back as an ApiError with status 412.
 */
export function patchLead(id: number, version: number, input: LeadInput): Promise<Lead> {
  return api.request<Lead>('PATCH', `/api/v1/leads/${id}`, input, { headers: { 'If-Match': `"v${version}"` } });
}

export function runAction(id: number, action: LeadAction, body: ActionBody = {}): Promise<Lead> {
  return api.post<Lead>(`/api/v1/leads/${id}/actions/${action}`, body);
}

export function listNotes(id: number, after: string | null = null, limit = 50): Promise<Page<Note>> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (after !== null) query.set('after', after);
  return api.get<Page<Note>>(`/api/v1/leads/${id}/notes?${query.toString()}`);
}

export function addNote(id: number, body: string): Promise<Note> {
  return api.post<Note>(`/api/v1/leads/${id}/notes`, { body });
}

export function editNote(id: number, noteId: number, body: string): Promise<Note> {
  return api.patch<Note>(`/api/v1/leads/${id}/notes/${noteId}`, { body });
}

export function listHistory(id: number, after: string | null = null, limit = 50): Promise<Page<HistoryEntry>> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (after !== null) query.set('after', after);
  return api.get<Page<HistoryEntry>>(`/api/v1/leads/${id}/history?${query.toString()}`);
}

/* ---------- lists ---------- */

/** The lists of GET /api/v1/settings/bundle, each as GET /api/v1/settings/{kind} lists it. */
export interface BundleLists {
  'lead-types': Lookup[];
  categories: Lookup[];
  priorities: Lookup[];
  'importance-levels': Lookup[];
  sources: Lookup[];
  'lost-reasons': Lookup[];
  competitors: Lookup[];
  statuses: Status[];
  products: Product[];
  'custom-fields': CustomField[];
  groups: NamedItem[];
  units: NamedItem[];
}

/** GET /api/v1/settings/bundle: every list and the users, at one settings version. */
export interface SettingsBundle {
  version: number;
  lists: BundleLists;
  users: DirectoryUser[];
}

/** The bundle, or null when `etag` (its ETag, "s<version>") is still current (304). */
export function getSettingsBundle(etag: string | null): Promise<Conditional<SettingsBundle>> {
  return api.getConditional<SettingsBundle>('/api/v1/settings/bundle', etag);
}

export function listSetting<T>(kind: string): Promise<Page<T>> {
  return api.get<Page<T>>(`/api/v1/settings/${kind}`);
}

export function listUsers(): Promise<Page<DirectoryUser>> {
  return api.get<Page<DirectoryUser>>('/api/v1/users');
}

/** The message to show for any failure. */
export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong. Try again.';
}
