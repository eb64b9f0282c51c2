// The settings sub-navigation: a list of links beside the screen on wide screens, a
// native select on phones (CSS shows one or the other). Both name the current section.

import type { JSX } from 'preact';
import { Link, navigate } from '../router';
import { SECTIONS, sectionPath, type Section } from './sections';

export function SettingsNav({ current }: { current: Section | null }): JSX.Element {
  return (
    <nav class="settings-nav" aria-label="Settings">
      <div class="settings-nav-select field">
        <label for="settings-section">Settings section</label>
        <select
          id="settings-section"
          value={current?.slug ?? ''}
          onChange={(e) => {
            const slug = e.currentTarget.value;
            if (slug !== '') navigate(sectionPath(slug));
          }}
        >
          {current === null && <option value="">Choose a section</option>}
          {SECTIONS.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <ul class="settings-nav-list">
        {SECTIONS.map((s) => (
          <li key={s.slug}>
            <Link href={sectionPath(s.slug)} aria-current={current?.slug === s.slug ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
