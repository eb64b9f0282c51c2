// The task calls and shapes: My Current Tasks, one task, its stage change; and for admins
// the task definitions, recurring schedules (with their preview) and rules. Built on the
// one shared client (../api).

import { api } from '../api';

export type Stage = 'open' | 'pending' | 'completed';

export interface Task {
  id: number;
  definition: { id: number; name: string };
  stage: Stage;
  /** UTC ISO time. */
  due_at: string;
  overdue: boolean;
  lead: { id: number; name: string; url?: string } | null;
  assignee: { id: number; name: string | null };
  note: string | null;
  version: number;
  rule_id: number | null;
  /** Only when one task is opened: the definition's message for the stage. */
  message?: string | null;
  messages?: { contact: string; pending: string; complete: string };
}

export interface TaskPage {
  items: Task[];
  next: string | null;
}

export function listMyTasks(limit = 50): Promise<TaskPage> {
  return api.get<TaskPage>(`/api/v1/tasks?limit=${limit}`);
}

export function getTask(id: number): Promise<Task> {
  return api.get<Task>(`/api/v1/tasks/${id}`);
}

export interface TaskChange {
  stage?: Stage;
  note?: string;
  assignee_id?: number;
}

/** Changes a task if it is still at `version` (412 otherwise). */
export function changeTask(task: Task, change: TaskChange): Promise<Task> {
  return api.request<Task>('PATCH', `/api/v1/tasks/${task.id}`, change, { headers: { 'If-Match': `"v${task.version}"` } });
}

// --- settings ----------------------------------------------------------------------------

export interface TaskDefinition {
  id: number;
  name: string;
  contact_message: string;
  pending_message: string;
  complete_message: string;
  active: boolean;
  version: number;
}

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

export interface ScheduleChoices {
  freq: 'daily' | 'weekly' | 'monthly';
  interval: number;
  weekdays?: Weekday[];
  month_day?: number;
  nth?: number;
  weekday?: Weekday;
  /** Local wall-clock time "YYYY-MM-DDTHH:MM" in time_zone. */
  start: string;
  time_zone: string;
  until: string | null;
  count: number | null;
}

export interface SchedulePreview extends ScheduleChoices {
  rrule: string;
  text: string;
  preview: string;
  next: string[];
}

export interface TaskRecurrence extends SchedulePreview {
  id: number;
  name: string;
  active: boolean;
  version: number;
}

export type TriggerKind =
  | 'lead_created'
  | 'status_changed'
  | 'state_changed'
  | 'map_entered'
  | 'step_completed'
  | 'map_completed'
  | 'date_relative'
  | 'no_contact'
  | 'recurring';

export interface TaskRule {
  id: number;
  name: string;
  definition_id: number;
  trigger_kind: TriggerKind;
  trigger_status_id: number | null;
  trigger_state: string | null;
  trigger_map_id: number | null;
  trigger_step_id: number | null;
  date_field: string | null;
  offset_days: number;
  recurrence_id: number | null;
  per_lead: boolean;
  filter_type_id: number | null;
  filter_source_id: number | null;
  filter_status_id: number | null;
  filter_map_id: number | null;
  assignee_kind: 'owner' | 'user' | 'unit';
  assignee_user_id: number | null;
  assignee_unit_id: number | null;
  due_minutes: number;
  active: boolean;
  version: number;
}

export type TaskSettingKind = 'task-definitions' | 'task-recurrences' | 'task-rules';

interface Versioned {
  id: number;
  version: number;
}

export async function listTaskSettings<T>(kind: TaskSettingKind): Promise<T[]> {
  return (await api.get<{ items: T[] }>(`/api/v1/settings/${kind}`)).items;
}

export function createTaskSetting<T>(kind: TaskSettingKind, body: Record<string, unknown>): Promise<T> {
  return api.post<T>(`/api/v1/settings/${kind}`, body);
}

export function updateTaskSetting<T>(kind: TaskSettingKind, item: Versioned, body: Record<string, unknown>): Promise<T> {
  return api.request<T>('PATCH', `/api/v1/settings/${kind}/${item.id}`, body, { headers: { 'If-Match': `"v${item.version}"` } });
}

export function previewSchedule(body: Record<string, unknown>): Promise<SchedulePreview> {
  return api.post<SchedulePreview>('/api/v1/settings/task-recurrences/preview', body);
}
