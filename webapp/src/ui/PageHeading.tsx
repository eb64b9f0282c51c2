// The one <h1> of a screen: sets the document title, and is the element that receives
// focus after a client-side navigation (so screen readers announce the new screen).

import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';

export function PageHeading({ children }: { children: string }): JSX.Element {
  useEffect(() => {
    document.title = `${children} · Leadmap`;
  }, [children]);
  return (
    <h1 class="page-heading" tabIndex={-1}>
      {children}
    </h1>
  );
}
