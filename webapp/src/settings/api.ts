// The settings calls and shapes (docs/openapi.yaml is the reference), on top of the one
// typed client in ../api. Lists come back whole ({items, next: null}); users are
// keyset-paginated and read here page by page until the end.

import { api, type Page, type Role, type User } from '../api';

export type LifeCycleState = 'new' | 'in_progress' | 'won' | 'lost' | 'completed';

export const LIFE_CYCLE_STATES: readonly { value: LifeCycleState; label: string }[] = [
  { value: 'new', label: 'New' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
  { value: 'completed', label: 'Completed' },
];

/** lead-types, categories, priorities, importance-levels, sources, lost-reasons, competitors. */
export interface LookupItem {
  id: number;
  name: string;
  position: number;
  active: boolean;
  version: number;
}

export interface Status extends LookupItem {
  state: LifeCycleState;
  /** "#rrggbb" */
  color: string;
}

export interface Product extends LookupItem {
  /** Exact decimal as text ("120.00"), or null for no list price. */
  price: string | null;
}

export type FieldType =
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

export const FIELD_TYPES: readonly { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'number', label: 'Number' },
  { value: 'money', label: 'Money' },
  { value: 'date', label: 'Date' },
  { value: 'datetime', label: 'Date and time' },
  { value: 'dropdown', label: 'Dropdown' },
  { value: 'radio', label: 'Radio buttons' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'multi_select', label: 'Multi-select' },
];

export function hasOptions(type: FieldType): boolean {
  return type === 'dropdown' || type === 'radio' || type === 'multi_select';
}

/** A custom field's value as the API carries it (the default, and a lead's value). */
export type FieldValue = string | number | boolean | string[] | null;

export interface CustomField {
  id: number;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  default: FieldValue;
  help: string | null;
  options: string[] | null;
  position: number;
  active: boolean;
  version: number;
  /** Lead types the field applies to; empty: all of them. */
  type_ids: number[];
}

export type RuleKind = 'postal_prefix' | 'region' | 'country';

export const RULE_KINDS: readonly { value: RuleKind; label: string }[] = [
  { value: 'postal_prefix', label: 'Postal code starts with' },
  { value: 'region', label: 'Region is' },
  { value: 'country', label: 'Country is' },
];

export interface GroupRule {
  kind: RuleKind;
  value: string;
}

export interface Group {
  id: number;
  name: string;
  rules: GroupRule[];
}

export interface Unit {
  id: number;
  name: string;
  member_ids: number[];
}

export interface CallLogSettings {
  past_due_days: number;
  abandoned_days: number;
  available_days: number;
  business_days: boolean;
  time_zone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  open_days: number[];
  version: number;
}

/** Every list under /api/v1/settings/{kind} and the item it holds. */
export interface SettingItems {
  'lead-types': LookupItem;
  categories: LookupItem;
  priorities: LookupItem;
  'importance-levels': LookupItem;
  sources: LookupItem;
  'lost-reasons': LookupItem;
  competitors: LookupItem;
  statuses: Status;
  products: Product;
  'custom-fields': CustomField;
  groups: Group;
  units: Unit;
}

export type SettingKind = keyof SettingItems;

/** A create or partial-edit body: the item's fields, without what the server assigns. */
export type SettingBody = Record<string, unknown>;

/**
 * A write to the lists or users the lead screens show: once it succeeds the client tells the
 * cached settings bundle to go, so a rename shows on the next lead opened.
 */
async function changing<T>(write: Promise<T>): Promise<T> {
  const result = await write;
  api.settingsChanged();
  return result;
}

export async function listSettings<K extends SettingKind>(kind: K): Promise<SettingItems[K][]> {
  const page = await api.get<Page<SettingItems[K]>>(`/api/v1/settings/${kind}`);
  return page.items;
}

export function createSetting<K extends SettingKind>(kind: K, body: SettingBody): Promise<SettingItems[K]> {
  return changing(api.post<SettingItems[K]>(`/api/v1/settings/${kind}`, body));
}

export function updateSetting<K extends SettingKind>(
  kind: K,
  id: number,
  body: SettingBody,
): Promise<SettingItems[K]> {
  return changing(api.patch<SettingItems[K]>(`/api/v1/settings/${kind}/${id}`, body));
}

/** Lists deactivate (active: false); groups and units are deleted (409 in_use when referenced). */
export function removeSetting(kind: SettingKind, id: number): Promise<void> {
  return changing(api.delete<void>(`/api/v1/settings/${kind}/${id}`));
}

// ---------- Users ----------

export const PERMISSION_REACTIVATE = 'archive.reactivate';

export interface UserCreate {
  email: string;
  name: string;
  role: Role;
  group_id: number | null;
  unit_ids: number[];
  permissions: string[];
  password: string;
}

export type UserUpdate = Partial<Pick<User, 'name' | 'role' | 'group_id' | 'unit_ids' | 'permissions' | 'active'>>;

/** Every user, following the keyset cursor to the last page. */
export async function listAllUsers(): Promise<User[]> {
  const users: User[] = [];
  let after: string | null = null;
  do {
    const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const page: Page<User> = await api.get<Page<User>>(`/api/v1/settings/users?limit=200${query}`);
    users.push(...page.items);
    after = page.next;
  } while (after !== null);
  return users;
}

export function createUser(body: UserCreate): Promise<User> {
  return changing(api.post<User>('/api/v1/settings/users', body));
}

export function updateUser(id: number, body: UserUpdate): Promise<User> {
  return changing(api.patch<User>(`/api/v1/settings/users/${id}`, body));
}

/** Sets a new password; the server also ends the user's sessions. */
export function resetPassword(id: number, password: string): Promise<void> {
  return api.post<void>(`/api/v1/settings/users/${id}/password`, { password });
}

// ---------- Call-log thresholds and business calendar ----------

export function getCallLogSettings(): Promise<CallLogSettings> {
  return api.get<CallLogSettings>('/api/v1/settings/call-log');
}

/** Saves with `version` for optimistic locking: 412 precondition_failed when stale. */
export function putCallLogSettings(settings: CallLogSettings): Promise<CallLogSettings> {
  return api.request<CallLogSettings>('PUT', '/api/v1/settings/call-log', settings);
}
