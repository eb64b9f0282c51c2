// The call-log calls and shapes: the three tabs, follow-ups, Lead Bank claims, calendar
// events and the iCalendar feed. Built on the one shared client (../api).

import { api } from '../api';

export type CallState =
  | 'not_scheduled'
  | 'scheduled'
  | 'missed'
  | 'past_due'
  | 'abandoned'
  | 'available'
  | 'archived';

export type Tab = 'to_be_scheduled' | 'schedule' | 'lead_bank';

export interface CallLogInfo {
  state: CallState;
  /** UTC ISO time, or null when no follow-up is set. */
  follow_up_at: string | null;
  touched_at: string | null;
  /** When the lead entered its current state. */
  since: string | null;
  owner_id: number | null;
  /** Missed leads are yellow, past-due leads red. */
  color: 'yellow' | 'red' | null;
}

export interface CallLogLead {
  id: number;
  first_name: string;
  last_name: string;
  phones: string[];
  status: string | null;
  status_color: string | null;
  state: string;
  owner: string | null;
  call_log: CallLogInfo;
}

export interface TabCounts {
  to_be_scheduled: number;
  schedule: number;
  lead_bank: number;
  /** The user's To Be Scheduled leads that are missed / past due. */
  missed: number;
  past_due: number;
}

export interface CallLogPage {
  items: CallLogLead[];
  next: string | null;
  counts: TabCounts;
}

export interface CalendarEvent {
  id: string;
  lead_id: number;
  title: string;
  start: string;
  end: string;
  kind: 'follow_up';
  call_state: CallState;
  phone: string | null;
}

/** GET /api/v1/call-log: one page of a tab, with the counts of all three tabs. */
export function listCallLog(tab: Tab, { after = null, limit = 50 }: { after?: string | null; limit?: number } = {}) {
  const query = new URLSearchParams({ tab, limit: String(limit) });
  if (after !== null) query.set('after', after);
  return api.get<CallLogPage>(`/api/v1/call-log?${query.toString()}`);
}

/** PUT /api/v1/leads/{id}/follow-up: `at` must lie in the future (400 validation_failed otherwise). */
export function setFollowUp(leadId: number, at: Date | null): Promise<unknown> {
  return api.request('PUT', `/api/v1/leads/${leadId}/follow-up`, { follow_up_at: at === null ? null : toIso(at) });
}

/** POST /api/v1/leads/{id}/actions/claim: 409 not_in_lead_bank when someone else was first. */
export function claimLead(leadId: number, at: Date): Promise<unknown> {
  return api.post(`/api/v1/leads/${leadId}/actions/claim`, { follow_up_at: toIso(at) });
}

/** GET /api/v1/calendar/events: the signed-in user's follow-ups in [from, to). */
export async function listEvents(from: Date, to: Date): Promise<CalendarEvent[]> {
  const query = new URLSearchParams({ from: toIso(from), to: toIso(to) });
  const page = await api.get<{ items: CalendarEvent[] }>(`/api/v1/calendar/events?${query.toString()}`);
  return page.items;
}

/** GET /api/v1/calendar/feed: whether the user has a secret iCalendar feed.
 * Its address is not given again: the server keeps only a hash of it. */
export function getFeed(): Promise<{ active: boolean }> {
  return api.get<{ active: boolean }>('/api/v1/calendar/feed');
}

/** POST /api/v1/calendar/feed/reset: a new secret path, shown this once; the old one stops working. */
export function resetFeed(): Promise<{ active: boolean; path: string }> {
  return api.post<{ active: boolean; path: string }>('/api/v1/calendar/feed/reset');
}

/** UTC ISO 8601 to the second, the form the API documents (2026-12-01T09:00:00Z). */
export function toIso(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** True when a claim failed because the lead had already left the Lead Bank. */
export function isLostClaim(err: { status: number; code: string }): boolean {
  // The server answers 409 not_in_lead_bank to every late claim.
  return err.code === 'not_in_lead_bank';
}
