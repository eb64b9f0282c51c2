// Journey: an agent finds leads by phone in any formatting, narrows the list by state and
// incompleteness, pages through it with "Load more", and a reload keeps the search; a
// supervisor filters with chips, saves the search shared with the group, exports it as CSV,
// and an agent of the group opens the shared search beside the list.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, openPage, scrollWidth, signIn, withPage } from './lib/browser.mjs';

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
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await results.getByRole('link', { name: `${target.first_name} ${target.last_name}` }).waitFor();
      assert.equal(await rows.count(), 1, `only the lead with ${target.phones[0]}`);
      assert.equal(new URL(page.url()).searchParams.get('q'), typed, 'the search is in the address');

      // State and incompleteness filters.
      await page.getByLabel('Name, phone or e-mail').fill('');
      await page.getByLabel('State', { exact: true }).selectOption({ label: 'Won' });
      await page.waitForURL((u) => u.searchParams.get('state') === 'won');
      const won = visible.filter((l) => l.state === 'won').length;
      await page.waitForFunction(
        (n) => document.querySelectorAll('.lead-results > li').length === n,
        Math.min(won, 25),
      );
      for (const text of await rows.allTextContents()) assert.match(text, /Won/, 'every result is won');

      await page.getByLabel('State', { exact: true }).selectOption({ label: 'Any state' });
      await page.getByLabel('Completeness', { exact: true }).selectOption({ label: 'Incomplete only' });
      const incomplete = visible.filter((l) => l.incomplete).length;
      await page.waitForFunction(
        (n) => document.querySelectorAll('.lead-results > li').length === n,
        Math.min(incomplete, 25),
      );
      for (const text of await rows.allTextContents()) assert.match(text, /Incomplete/, 'every result is incomplete');

      await page.reload();
      await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
      assert.equal(await page.getByLabel('Completeness', { exact: true }).inputValue(), 'true', 'a reload keeps the filter');
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

test('supervisor_filters_with_chips_saves_a_shared_search_and_exports_it', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/leads');
    const { token } = await stack.login('supervisor@example.com');
    await signIn(page, 'supervisor@example.com');
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    const results = page.getByRole('region', { name: 'Results' });
    const rows = results.getByRole('listitem');
    await rows.first().waitFor();

    // A phone typed with its country code finds a lead stored without it.
    const n = String(process.pid % 10000).padStart(4, '0');
    const made = await stack.api('POST', '/api/v1/leads', { token, json: { first_name: 'Dialled', last_name: `Withcode${n}`, phones: [`(555) 017-${n}`] } });
    assert.equal(made.status, 201, made.text);
    await page.getByLabel('Name, phone or e-mail').fill(`+1 555 017${n}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await results.getByRole('link', { name: `Dialled Withcode${n}` }).waitFor();
    await page.getByLabel('Name, phone or e-mail').fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => !u.searchParams.has('q'));

    // Filters become chips; sorting by name orders the list. The pair of filters: the most
    // common state and call-log state among the supervisor's group's leads.
    const STATE = { new: 'New', in_progress: 'In progress', won: 'Won', lost: 'Lost', completed: 'Completed' };
    const CALL = { not_scheduled: 'Not scheduled', scheduled: 'Scheduled', missed: 'Missed', past_due: 'Past due', abandoned: 'Abandoned', available: 'Available', archived: 'Archived' };
    const [state, call] = stack.sql(`SELECT state, call_state FROM leads WHERE group_id = (SELECT group_id FROM users WHERE email = 'supervisor@example.com')
      GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2 LIMIT 1`)[0];
    await page.getByLabel('State', { exact: true }).selectOption({ label: STATE[state] });
    await page.getByText('More filters').click();
    await page.getByLabel('Call log', { exact: true }).selectOption({ label: CALL[call] });
    const chips = page.getByRole('list', { name: 'Active filters' });
    await chips.getByText(`State: ${STATE[state]}`).waitFor();
    await chips.getByText(`Call log: ${CALL[call]}`).waitFor();
    await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Name (A–Z)' });
    await page.waitForURL((u) => u.searchParams.get('sort') === 'name' && u.searchParams.get('call_state') === call);
    const want = (await stack.api('GET', `/api/v1/leads?state=${state}&call_state=${call}&sort=name&limit=25`, { token })).body.items;
    assert.ok(want.length > 0, 'the demo data has such leads');
    await page.waitForFunction((n) => document.querySelectorAll('.lead-results > li').length === n, want.length);
    assert.deepEqual(
      await results.locator('.lead-result-name').allTextContents(),
      want.map((l) => `${l.first_name ?? ''} ${l.last_name ?? ''}`.trim()),
      'the page shows what the API answers, in name order',
    );

    // Export the search: the file holds the same leads.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'leads.csv');
    const csv = await readFile(await file.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    let total = 0;
    for (let after = null, first = true; first || after; first = false) {
      const p = await stack.api('GET', `/api/v1/leads?state=${state}&call_state=${call}&limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`, { token });
      total += p.body.items.length;
      after = p.body.next;
    }
    assert.equal(lines.length - 1, total, 'one row per lead the search finds');
    assert.match(lines[0], /^\uFEFF?id,first_name,last_name/);

    // Save it, shared with the group.
    const name = `Busy leads ${process.pid}`;
    await page.getByLabel('Save this search as').fill(name);
    await page.getByLabel('Share with my group').check();
    await page.getByRole('button', { name: 'Save search' }).click();
    const saved = page.getByRole('complementary', { name: 'Saved searches' });
    await saved.getByRole('button', { name, exact: true }).waitFor();
    assert.equal(stack.sqlValue(`SELECT query FROM saved_searches WHERE name = '${name}'`), `state=${state}&call_state=${call}&sort=name`);

    // Removing a chip widens the search.
    await chips.getByRole('button', { name: `Remove filter Call log: ${CALL[call]}` }).click();
    await page.waitForURL((u) => !u.searchParams.has('call_state'));

    assert.deepEqual(page.consoleErrors, []);

    // An agent of the group sees the shared search and opens it.
    const other = await openPage(browser, stack.url, 'desktop');
    try {
      await other.goto('/leads');
      await signIn(other, 'agent@example.com');
      const theirs = other.getByRole('complementary', { name: 'Saved searches' });
      await theirs.getByRole('button', { name, exact: true }).click();
      await other.waitForURL((u) => u.searchParams.get('call_state') === call && u.searchParams.get('sort') === 'name');
      await other.getByRole('list', { name: 'Active filters' }).getByText(`Call log: ${CALL[call]}`).waitFor();
      assert.equal(await theirs.getByRole('button', { name: `Delete saved search ${name}` }).count(), 0, 'only its owner deletes it');
      await theirs.getByRole('listitem').filter({ has: other.getByRole('button', { name, exact: true }) }).getByText('Shared by Sam Supervisor').waitFor();
      assert.deepEqual(other.consoleErrors, []);
    } finally {
      await other.context().close();
    }
  }));
