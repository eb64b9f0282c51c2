// Any path the app does not know, and screens the user's role may not open.

import type { JSX } from 'preact';
import { Link } from './router';
import { PageHeading } from './ui/PageHeading';

export function NotFoundPage({ forbidden = false }: { forbidden?: boolean }): JSX.Element {
  return (
    <>
      <PageHeading>{forbidden ? 'No access' : 'Page not found'}</PageHeading>
      <p>{forbidden ? 'Your role does not give you access to this page.' : 'There is no page at this address.'}</p>
      <p>
        <Link href="/">Go to Home</Link>
      </p>
    </>
  );
}
