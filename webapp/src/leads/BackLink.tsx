// The lead page's back link: to the screen the user opened the lead from (a call-log tab,
// the lead search with its query, Home), through history so that screen comes back as it
// was; to the lead search when the page was opened some other way.

import type { JSX } from 'preact';
import { cameFrom, Link } from '../router';

interface Target {
  href: string;
  label: string;
  back: boolean;
}

const PLACES: readonly [RegExp, string][] = [
  [/^\/$/, 'Home'],
  [/^\/call-log\/?$/, 'To Be Scheduled'],
  [/^\/call-log\/schedule\/?$/, 'Schedule'],
  [/^\/call-log\/calendar\/?$/, 'Calendar'],
  [/^\/call-log\/lead-bank\/?$/, 'Lead Bank'],
  [/^\/leads\/?(\?.*)?$/, 'Leads'],
];

function target(): Target {
  const from = cameFrom();
  const place = from === null ? undefined : PLACES.find(([pattern]) => pattern.test(from));
  return from !== null && place ? { href: from, label: place[1], back: true } : { href: '/leads', label: 'Leads', back: false };
}

export function BackLink(): JSX.Element {
  const { href, label, back } = target();
  return (
    <p class="lead-back">
      <Link href={href} back={back}>
        <span class="visually-hidden">Back to </span>
        {label}
      </Link>
    </p>
  );
}
