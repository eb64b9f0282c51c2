// Journey: an agent finds leads by phone in any formatting, narrows the list by state and
// incompleteness, pages through it with "Load more", and a reload keeps the search.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, scrollWidth, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

for (const viewport of ['desktop', 'phone']) {
  test(`agent_searches_by_phone_filters_by_state_and_loads_more (${viewport})`, (t) =>
    withPage(t, browser, stack.url, viewport, async (page) => {
      await page.goto('/leads');
      const { token } = await stack.login('agent@example.com');
      const visible = (await stack.api('GET', '/api/v1/leads?limit=200', { token })).body.items;
      await signIn(page, 'agent@example.com');
      await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();

      const results = page.getByRole('region', { name: 'Results' });
      const rows = results.getByRole('listitem');
      await rows.first().waitFor();
      assert.equal(await rows.count(), Math.min(25, visible.length), 'the first page');
      assert.ok(visible.length > 25, 'the demo data has more than a page for this agent');
      await page.getByRole('button', { name: 'Load more' }).click();
      await rows.nth(25).waitFor();
      assert.equal(await rows.count(), Math.min(50, visible.length), 'the next page is added below');
      if (viewport === 'phone') assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll on /leads');

      // A phone number in another formatting finds the lead.
      const target = visible.find((l) => l.phones.length > 0);
      const digits = target.phones[0].replace(/\D/g, '').slice(-10);
      const typed = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
      await page.getByLabel('Name, phone or e-mail').fill(typed);
      await page.getByRole('button', { name: 'Search' }).click();
      await results.getByRole('link', { name: `${target.first_name} ${target.last_name}` }).waitFor();
      assert.equal(await rows.count(), 1, `only the lead with ${target.phones[0]}`);
      assert.equal(new URL(page.url()).searchParams.get('q'), typed, 'the search is in the address');

      // State and incompleteness filters.
      await page.getByLabel('Name, phone or e-mail').fill('');
      await page.getByLabel('State').selectOption({ label: 'Won' });
      await page.waitForURL((u) => u.searchParams.get('state') === 'won');
      const won = visible.filter((l) => l.state === 'won').length;
      await page.waitForFunction(
        (n) => document.querySelectorAll('.lead-results > li').length === n,
        Math.min(won, 25),
      );
      for (const text of await rows.allTextContents()) assert.match(text, /Won/, 'every result is won');

      await page.getByLabel('State').selectOption({ label: 'Any state' });
      await page.getByLabel('Completeness').selectOption({ label: 'Incomplete only' });
      const incomplete = visible.filter((l) => l.incomplete).length;
      await page.waitForFunction(
        (n) => document.querySelectorAll('.lead-results > li').length === n,
        Math.min(incomplete, 25),
      );
      for (const text of await rows.allTextContents()) assert.match(text, /Incomplete/, 'every result is incomplete');

      await page.reload();
      await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
      assert.equal(await page.getByLabel('Completeness').inputValue(), 'true', 'a reload keeps the filter');
      await rows.first().waitFor();
      for (const text of await rows.allTextContents()) assert.match(text, /Incomplete/);

      // A result opens the lead.
      const first = results.getByRole('link').first();
      const name = await first.textContent();
      await first.click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/leads\/\d+$/);
      assert.deepEqual(page.consoleErrors, []);
    }));
}
