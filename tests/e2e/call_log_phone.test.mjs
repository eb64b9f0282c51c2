// Journey: the call log on a 360 px phone: Home's call-log panels, the three tabs, quick
// scheduling from a row, and the calendar as an agenda list, all without sideways scrolling.

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

const AGENT = 'agent@example.com';

function leadRow(page, id) {
  return page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ has: page.locator(`a[href="/leads/${id}"]`) });
}

async function noSidewaysScroll(page, where) {
  const width = await scrollWidth(page);
  assert.ok(width <= 360, `no horizontal scroll on ${where} (scrollWidth ${width})`);
}

test('phone_tabs_quick_schedule_and_agenda_fit_360px', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const counts = Object.fromEntries(
      stack.sql(
        `SELECT call_state, COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id
         WHERE u.email = '${AGENT}' GROUP BY call_state`,
      ),
    );
    const toBeScheduled = ['not_scheduled', 'missed', 'past_due'].reduce((n, s) => n + Number(counts[s] ?? 0), 0);

    await page.goto('/');
    await signIn(page, AGENT);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const home = page.getByRole('region', { name: 'Call-log counts' });
    await home.getByRole('link', { name: new RegExp(`^${toBeScheduled}\\s*To Be Scheduled$`) }).waitFor();
    await page.getByRole('region', { name: "Today's schedule" }).getByRole('link', { name: 'Open your calendar' }).waitFor();
    await noSidewaysScroll(page, 'Home');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call log' }).click();
    await page.getByRole('heading', { name: 'To Be Scheduled', level: 2 }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Call log tabs' });
    for (const label of ['To Be Scheduled', 'Schedule', 'Lead Bank']) {
      const box = await tabs.getByRole('link', { name: new RegExp(`^${label}`) }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the ${label} tab is on screen`);
      assert.ok(box.height >= 44, `the ${label} tab is big enough to tap`);
    }
    assert.match(await tabs.getByRole('link', { name: /^To Be Scheduled/ }).textContent(), new RegExp(`${toBeScheduled}\\s*leads$`));
    await noSidewaysScroll(page, 'To Be Scheduled');

    const [id, name] = stack.sql(
      `SELECT l.id, TRIM(CONCAT(l.first_name, ' ', l.last_name)) FROM leads l JOIN users u ON u.id = l.owner_id
       WHERE u.email = '${AGENT}' AND l.call_state = 'past_due' ORDER BY l.id LIMIT 1`,
    )[0];
    const row = leadRow(page, id);
    await row.getByText('Past due', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Schedule ${name}` }).tap();
    await row.getByLabel('Or pick a date and time').waitFor();
    await noSidewaysScroll(page, 'an open quick-schedule panel');
    await row.getByRole('button', { name: /^Next Monday 9:00/ }).tap();
    await page.getByRole('status').getByText(`${name} is scheduled for`).waitFor();
    await leadRow(page, id).waitFor({ state: 'detached' });
    const at = stack.sqlValue(`SELECT DATE_FORMAT(follow_up_at, '%Y-%m-%dT%H:%i:%sZ') FROM leads WHERE id = ${id}`);

    await tabs.getByRole('link', { name: /^Lead Bank/ }).tap();
    await page.getByRole('heading', { name: 'Lead Bank', level: 2 }).waitFor();
    await page.getByRole('list', { name: 'Leads' }).getByRole('button', { name: /^Claim / }).first().waitFor();
    await noSidewaysScroll(page, 'Lead Bank');

    await tabs.getByRole('link', { name: /^Schedule/ }).tap();
    await leadRow(page, id).getByText('Scheduled', { exact: true }).waitFor();
    await noSidewaysScroll(page, 'Schedule');

    // The calendar on a phone is an agenda list; Next Monday is in next week's list.
    await page.getByRole('navigation', { name: 'Show the schedule as' }).getByRole('link', { name: 'Calendar' }).tap();
    const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
    await calendar.getByRole('button', { name: 'Next week' }).waitFor();
    assert.equal(await calendar.getByRole('tab', { name: 'Week view' }).count(), 0, 'no week grid on a phone');
    const thisWeekEnds = await page.evaluate(() => {
      const d = new Date();
      return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 7 - ((d.getDay() + 6) % 7)).toISOString();
    });
    assert.ok(at >= thisWeekEnds.slice(0, 19), `Next Monday (${at}) is after this week (${thisWeekEnds})`);
    await calendar.getByRole('button', { name: 'Next week' }).tap();
    const event = calendar.locator(`a[href="/leads/${id}"]`);
    await event.waitFor();
    assert.match(await event.textContent(), new RegExp(`Call ${name}`));
    await noSidewaysScroll(page, 'the agenda');
    await page.getByRole('heading', { name: 'Subscribe in your calendar app' }).waitFor();
    await page.getByRole('button', { name: /Make a link|Reset link/ }).waitFor();
    await noSidewaysScroll(page, 'the calendar page with the feed link');

    // The lead record is another screen's business: check the console before leaving.
    assert.deepEqual(page.consoleErrors, []);
    await event.tap();
    await page.waitForURL((url) => url.pathname === `/leads/${id}`);
  }));
