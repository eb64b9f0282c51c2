// Client-side path routes with history.pushState (nginx serves index.html for every
// app path). A tiny hand-rolled router: five screens do not need a library.

import type { ComponentChildren, JSX, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  if (!options.replace) window.scrollTo(0, 0);
  notify();
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
  children: ComponentChildren;
}

/** An ordinary link (new tab, copy address all work) that navigates in place on a plain click. */
export function Link({ href, children, ...rest }: LinkProps): JSX.Element {
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
