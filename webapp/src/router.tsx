// Client-side path routes with history.pushState (nginx serves index.html for every
// app path). A tiny hand-rolled router: five screens do not need a library.
//
// DESIGN: the app restores scroll positions itself (history.scrollRestoration = 'manual'):
// the browser would restore them before a screen has reloaded its list, and land at the
// top. navigate() notes the page's scroll position under its address before leaving it,
// and each history entry remembers the address it was opened from (`from`), so a screen
// can offer a back link to where the user came from. A screen that keeps its list in
// memory (ui/listMemory.ts) calls restoreScroll() once the list is back on screen.

import type { ComponentChildren, JSX, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

/** Scroll positions by address (path + query), noted when a navigation leaves the page. */
const scrollByAddress = new Map<string, number>();

/** How the current page was reached: a link (push), an address rewrite (replace) or Back/Forward (pop). */
let arrival: 'push' | 'replace' | 'pop' | 'load' = 'load';

interface EntryState {
  /** The in-app address this entry was opened from. */
  from?: string;
}

if ('scrollRestoration' in history) history.scrollRestoration = 'manual';

function notify(): void {
  for (const listener of listeners) listener();
}

/** The current address: path and query. */
export function currentAddress(): string {
  return location.pathname + location.search;
}

window.addEventListener('popstate', () => {
  arrival = 'pop';
  notify();
});

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const here = currentAddress();
  if (to === here) return;
  if (options.replace) {
    // The same page under a new address (a search's query): it keeps where it came from.
    history.replaceState(history.state, '', to);
    arrival = 'replace';
  } else {
    scrollByAddress.set(here, window.scrollY);
    const state: EntryState = { from: here };
    history.pushState(state, '', to);
    arrival = 'push';
    window.scrollTo(0, 0);
  }
  notify();
}

/** True when the current page was reached with Back or Forward. */
export function arrivedByHistory(): boolean {
  return arrival === 'pop';
}

/** The in-app address the current page was opened from, or null (typed, reloaded, bookmarked). */
export function cameFrom(): string | null {
  const state = history.state as EntryState | null;
  return typeof state?.from === 'string' ? state.from : null;
}

/**
 * After Back or Forward: scroll to where the user was on this address. Call it once the
 * page's content is on screen again; does nothing after an ordinary navigation.
 */
export function restoreScroll(): void {
  if (!arrivedByHistory()) return;
  const y = scrollByAddress.get(currentAddress());
  if (y !== undefined) window.scrollTo(0, y);
}

/** The current path; re-renders the caller when it changes. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = (): void => setPath(location.pathname);
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return path;
}

interface LinkProps {
  href: string;
  class?: string;
  'aria-current'?: 'page' | undefined;
  /** Go back in history instead of adding an entry (a back link to the page just left). */
  back?: boolean;
  children: ComponentChildren;
}

/** An ordinary link (new tab, copy address all work) that navigates in place on a plain click. */
export function Link({ href, back = false, children, ...rest }: LinkProps): JSX.Element {
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (back) history.back();
    else navigate(href);
  };
  return (
    <a href={href} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
