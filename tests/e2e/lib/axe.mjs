// axe-core inside the page under test: injected from the tests' node_modules with
// playwright-core (no CDN, no browser download) and run against WCAG 2.0 / 2.1 A and AA.
// (Not a test file: node --test only picks up *.test.mjs here.)
//
// Injection: page.addScriptTag would add an inline <script>, which the app's CSP
// (script-src 'self') refuses; a context with bypassCSP would let FullCalendar and the
// app behave unlike production. page.evaluate runs the source through the DevTools
// protocol, which the page's CSP does not govern, so the page is tested as served.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG levels the app promises: 2.0 and 2.1, A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the page as it is now and resolves its violations:
 * [{id, impact, help, nodes: [{target, summary}]}]. `exclude`: CSS selectors axe skips
 * (each needs a reason where it is passed).
 */
export async function axeViolations(page, { exclude = [] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, exclude: skip }) => {
      const context = skip.length ? { include: [document], exclude: skip.map((s) => [s]) } : document;
      const result = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    },
    { tags: WCAG_TAGS, exclude },
  );
}

/** One readable line per violating node, for an assertion message. */
export function describeViolations(violations) {
  return violations
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target}\n    ${(n.summary ?? '').replace(/\n/g, '\n    ')}`))
    .join('\n');
}
