// The one <h1> of a screen: sets the document title, and is the element that receives
// focus after a client-side navigation (so screen readers announce the new screen).

import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';

/** `title`: the document title when it should say more than the heading (a tab's name). */
export function PageHeading({ children, title }: { children: string; title?: string }): JSX.Element {
  const documentTitle = title ?? children;
  useEffect(() => {
    document.title = `${documentTitle} · Leadmap`;
  }, [documentTitle]);
  return (
    <h1 class="page-heading" tabIndex={-1}>
      {children}
    </h1>
  );
}
