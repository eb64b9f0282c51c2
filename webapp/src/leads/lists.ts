// The admin lists the lead screens choose from (types, statuses, products, custom fields,
// users …): one GET /api/v1/settings/bundle, kept with no time limit until the settings
// version changes.
//
// DESIGN: the server names the current settings version on every answer (the client hears
// it through api.onSettingsVersion). When it differs from the bundle's version, or a
// settings screen saves something (api.settingsChanged), the bundle is dropped and the
// screens showing it load it again in the background; that request sends If-None-Match:
// the old ETag, and a 304 keeps the old data. A server without the bundle route (404) gets
// the old per-list requests instead, kept for a minute as before.

import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import {
  getSettingsBundle,
  listSetting,
  listUsers,
  messageOf,
  type BundleLists,
  type CustomField,
  type DirectoryUser,
  type LifeState,
  type Lookup,
  type NamedItem,
  type Product,
  type Status,
} from './api';

export interface Lists {
  types: Lookup[];
  categories: Lookup[];
  priorities: Lookup[];
  importance: Lookup[];
  sources: Lookup[];
  lostReasons: Lookup[];
  competitors: Lookup[];
  statuses: Status[];
  products: Product[];
  customFields: CustomField[];
  groups: NamedItem[];
  units: NamedItem[];
  users: DirectoryUser[];
}

/** How long per-list answers are kept when the server has no bundle (no version to watch). */
const FALLBACK_MAX_AGE_MS = 60_000;

const KINDS: readonly (keyof BundleLists)[] = [
  'lead-types',
  'categories',
  'priorities',
  'importance-levels',
  'sources',
  'lost-reasons',
  'competitors',
  'statuses',
  'products',
  'custom-fields',
  'groups',
  'units',
];

interface Entry {
  promise: Promise<Lists>;
  at: number;
  /** The bundle's settings version once it has landed; null while loading or read per list. */
  version: number | null;
  settled: boolean;
  /** Settings changed while it was loading: drop it once it lands. */
  outdated: boolean;
}

/** What loadLists hands out until it is dropped. */
let current: Entry | null = null;
/** The last bundle received, for If-None-Match (kept after a drop). */
let last: { lists: Lists; version: number; etag: string } | null = null;
/** The server answered 404 for the bundle: read the lists one by one from now on. */
let bundleMissing = false;
const dropListeners = new Set<() => void>();

function fromBundle(lists: BundleLists, users: DirectoryUser[]): Lists {
  return {
    types: lists['lead-types'],
    categories: lists.categories,
    priorities: lists.priorities,
    importance: lists['importance-levels'],
    sources: lists.sources,
    lostReasons: lists['lost-reasons'],
    competitors: lists.competitors,
    statuses: lists.statuses,
    products: lists.products,
    customFields: lists['custom-fields'],
    groups: lists.groups,
    units: lists.units,
    users,
  };
}

/** The bundle and its version; a 304 answers with the last one. */
async function fetchBundle(): Promise<{ lists: Lists; version: number }> {
  const answer = await getSettingsBundle(last?.etag ?? null);
  if (answer === null) {
    if (last === null) throw new ApiError(304, 'not_modified', 'The lists could not be loaded. Try again.');
    return last;
  }
  const { version, lists, users } = answer.body;
  last = { lists: fromBundle(lists, users), version, etag: answer.etag ?? `"s${version}"` };
  return last;
}

/** The old way, for a server without the bundle: twelve list requests and the users. */
async function fetchEachList(): Promise<Lists> {
  const [pairs, users] = await Promise.all([
    Promise.all(KINDS.map(async (kind) => [kind, (await listSetting<unknown>(kind)).items] as const)),
    listUsers().then((page) => page.items),
  ]);
  // Each list's items are the shapes BundleLists names (the same server code writes both).
  return fromBundle(Object.fromEntries(pairs) as unknown as BundleLists, users);
}

/** The lists, with the bundle's version (null when read list by list). */
async function fetchLists(): Promise<{ lists: Lists; version: number | null }> {
  if (!bundleMissing) {
    try {
      return await fetchBundle();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      bundleMissing = true;
    }
  }
  return { lists: await fetchEachList(), version: null };
}

function start(): Entry {
  const entry: Entry = {
    at: Date.now(),
    version: null,
    settled: false,
    outdated: false,
    promise: fetchLists().then(
      ({ lists, version }) => {
        entry.version = version;
        entry.settled = true;
        // A newer version seen while this was in flight makes it stale: the next use asks
        // again. (Without telling the screens: a server whose bundle and header disagree
        // must not make them loop.)
        const seen = api.lastSettingsVersion();
        const behind = version !== null && seen !== null && seen !== version;
        if ((entry.outdated || behind) && current === entry) current = null;
        return lists;
      },
      (err: unknown) => {
        if (current === entry) current = null; // a failure is not remembered
        throw err;
      },
    ),
  };
  return entry;
}

function isStale(entry: Entry): boolean {
  return bundleMissing && entry.settled && Date.now() - entry.at > FALLBACK_MAX_AGE_MS;
}

export function loadLists(): Promise<Lists> {
  if (current === null || isStale(current)) current = start();
  return current.promise;
}

function drop(): void {
  current = null;
  for (const listener of dropListeners) listener();
}

api.onSettingsVersion((version) => {
  if (current === null) return;
  if (!current.settled) {
    // The bundle's own answer names its version too: compared once it lands.
    if (version === null) current.outdated = true;
    return;
  }
  if (version === null || (current.version !== null && version !== current.version)) drop();
});

export type ListsState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; lists: Lists };

/**
 * The lists for a screen, and a retry for when loading failed. When the settings change
 * while the screen is open, the new lists replace the old ones without a loading state (open
 * forms stay open); if that reload fails the old lists stay.
 */
export function useLists(): [ListsState, () => void] {
  const [state, setState] = useState<ListsState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    loadLists().then(
      (lists) => live && setState({ kind: 'ready', lists }),
      (err: unknown) => live && setState({ kind: 'error', message: messageOf(err) }),
    );
    const reload = (): void => {
      loadLists().then(
        (lists) => live && setState({ kind: 'ready', lists }),
        () => undefined,
      );
    };
    dropListeners.add(reload);
    return () => {
      live = false;
      dropListeners.delete(reload);
    };
  }, [attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}

/** Choices for a select: the active entries, plus the current one even when deactivated. */
export function choices<T extends { id: number; active?: boolean }>(list: readonly T[], current: number | null): T[] {
  return list.filter((item) => item.active !== false || item.id === current);
}

export function nameOf(list: readonly { id: number; name: string }[], id: number | null): string | null {
  if (id === null) return null;
  return list.find((item) => item.id === id)?.name ?? null;
}

/** The custom fields that apply to a lead type (no types listed = every type), active ones. */
export function fieldsForType(fields: readonly CustomField[], typeId: number | null): CustomField[] {
  return fields.filter(
    (f) => f.active && (f.type_ids.length === 0 || (typeId !== null && f.type_ids.includes(typeId))),
  );
}

export function statusesOf(statuses: readonly Status[], state: LifeState, current: number | null = null): Status[] {
  return statuses.filter((s) => s.state === state && (s.active || s.id === current));
}
