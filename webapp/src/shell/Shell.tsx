// The signed-in frame: header (app name, who is signed in, Sign out), the main navigation
// (a side column on wide screens, a bottom bar on phones) and the current screen.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { User } from '../api';
import { Link } from '../router';
import { revealFocus } from '../ui/reveal';
import { roleLabel } from '../ui/roles';

export interface NavItem {
  path: string;
  label: string;
}

interface ShellProps {
  user: User;
  path: string;
  nav: readonly NavItem[];
  signingOut: boolean;
  onSignOut: () => void;
  children: ComponentChildren;
}

function covers(item: NavItem, path: string): boolean {
  return item.path === '/' ? path === '/' : path === item.path || path.startsWith(`${item.path}/`);
}

/** The entry for this path: the most specific one (/call-log/lead-bank is the Lead Bank, not the Call log). */
function currentItem(nav: readonly NavItem[], path: string): NavItem | undefined {
  return nav.filter((item) => covers(item, path)).sort((a, b) => b.path.length - a.path.length)[0];
}

export function Shell({ user, path, nav, signingOut, onSignOut, children }: ShellProps): JSX.Element {
  const mainRef = useRef<HTMLElement>(null);

  // Nothing that has focus hides under the header or the bottom bar.
  useEffect(revealFocus, []);

  // On every new screen, move focus to its heading so it is announced and Tab starts there.
  // Without scrolling: a new screen starts at the top, and Back puts the list where it was.
  useEffect(() => {
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [path]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link class="brand" href="/">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          Leadmap
        </Link>
        <p class="who">
          <span class="visually-hidden">Signed in as </span>
          <span class="who-name">{user.name}</span>
          <span class="visually-hidden">, </span>
          <span class="who-role">{roleLabel(user.role)}</span>
        </p>
        <button type="button" class="button button--secondary button--small" onClick={onSignOut} disabled={signingOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </header>
      <nav class="mainnav" aria-label="Main">
        <ul>
          {nav.map((item) => {
            const current = item === currentItem(nav, path);
            return (
              <li key={item.path}>
                <Link href={item.path} aria-current={current ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main class="content" id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
