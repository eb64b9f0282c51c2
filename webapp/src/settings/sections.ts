// The settings sections in the order the sub-navigation lists them; each is a screen at
// /settings/<slug> (users, the first, also at /settings).

export interface Section {
  slug: string;
  label: string;
}

export const SECTIONS: readonly Section[] = [
  { slug: 'users', label: 'Users' },
  { slug: 'groups', label: 'Groups' },
  { slug: 'units', label: 'Units' },
  { slug: 'custom-fields', label: 'Custom fields' },
  { slug: 'lead-types', label: 'Lead types' },
  { slug: 'statuses', label: 'Statuses' },
  { slug: 'categories', label: 'Categories' },
  { slug: 'priorities', label: 'Priority levels' },
  { slug: 'importance-levels', label: 'Importance levels' },
  { slug: 'sources', label: 'Lead sources' },
  { slug: 'lost-reasons', label: 'Lost reasons' },
  { slug: 'products', label: 'Products' },
  { slug: 'competitors', label: 'Competitors' },
  { slug: 'call-log', label: 'Call log' },
  { slug: 'maps', label: 'Lead maps' },
  { slug: 'map-videos', label: 'Map videos' },
  { slug: 'task-definitions', label: 'Task definitions' },
  { slug: 'task-rules', label: 'Task rules' },
  { slug: 'task-recurrences', label: 'Recurring schedules' },
];

export const SETTINGS_PATH = '/settings';

export function sectionPath(slug: string): string {
  return slug === 'users' ? SETTINGS_PATH : `${SETTINGS_PATH}/${slug}`;
}

/** Sections with pages below them (/settings/maps/3): the first segment names the section. */
const NESTED = new Set(['maps']);

/** The section a path under /settings shows: "users" for /settings, null for an unknown one. */
export function sectionOf(path: string): Section | null {
  const rest = path.slice(SETTINGS_PATH.length).replace(/^\/+|\/+$/g, '');
  const first = rest.split('/')[0] ?? '';
  const slug = rest === '' ? 'users' : NESTED.has(first) ? first : rest;
  return SECTIONS.find((s) => s.slug === slug) ?? null;
}
