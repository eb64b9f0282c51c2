// Settings (admin only): the sub-navigation and the screen of the section the path names
// (/settings is Users, /settings/statuses the statuses …). The screens come in their own
// chunk on first use. Each is keyed by its slug, so moving between two lists of the same
// shape starts the screen afresh.

import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { User } from '../api';
import { Link } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { ErrorNotice, Loading } from '../ui/Status';
import { SETTINGS_PATH, sectionOf } from './sections';
import { SettingsNav } from './SettingsNav';

type Screens = typeof import('./screens');

let loaded: Screens | null = null;

function useScreens(): { screens: Screens | null; failed: boolean; retry: () => void } {
  const [screens, setScreens] = useState<Screens | null>(loaded);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    if (loaded) return;
    setFailed(false);
    import('./screens').then(
      (mod) => {
        loaded = mod;
        setScreens(mod);
      },
      () => setFailed(true),
    );
  }, []);
  useEffect(load, [load]);
  return { screens, failed, retry: load };
}

/** path: the full address path under this section; user: who is signed in. */
export function SettingsPage({ path, user }: { path: string; user: User }): JSX.Element {
  const section = sectionOf(path);
  const { screens, failed, retry } = useScreens();

  // The tab names the section (PageHeading, a child, set "Settings · Leadmap" first).
  useEffect(() => {
    document.title = section ? `${section.label} · Settings · Leadmap` : 'Settings · Leadmap';
  }, [section]);
  return (
    <div class="settings-page">
      <PageHeading>Settings</PageHeading>
      <div class="settings-layout">
        <SettingsNav current={section} />
        <div class="settings-main">
          {section === null ? (
            <section class="panel" aria-labelledby="settings-unknown">
              <h2 id="settings-unknown">No such settings section</h2>
              <p>
                Choose a section from the list, or go to <Link href={SETTINGS_PATH}>Users</Link>.
              </p>
            </section>
          ) : screens ? (
            <screens.Screen key={section.slug} slug={section.slug} path={path} user={user} />
          ) : failed ? (
            <ErrorNotice message="The settings screens could not be loaded. Check your connection." onRetry={retry} />
          ) : (
            <Loading label="Loading settings…" />
          )}
        </div>
      </div>
    </div>
  );
}
