// An honest "not built yet" panel: says what the section will hold, nothing more.

import type { JSX } from 'preact';

export function Placeholder({ title, children }: { title: string; children: string }): JSX.Element {
  return (
    <section class="panel" aria-labelledby={`ph-${slug(title)}`}>
      <h2 id={`ph-${slug(title)}`}>{title}</h2>
      <p class="muted">{children}</p>
    </section>
  );
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
