// Journey: an agent schedules leads from To Be Scheduled (a one-tap shortcut, a typed time,
// all by keyboard), sees them move to the Schedule and onto the calendar, and subscribes
// to the calendar feed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { VIEWPORTS, launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;

// A desktop in a time zone away from UTC, so "Tomorrow 9:00" must be converted to UTC.
VIEWPORTS.desktopChicago = { ...VIEWPORTS.desktop, timezoneId: 'America/Chicago' };

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const AGENT = 'agent@example.com';

/** The agent's not-scheduled leads, lowest id first: [{id, name}]. */
function notScheduled() {
  return stack
    .sql(
      `SELECT l.id, TRIM(CONCAT(l.first_name, ' ', l.last_name)) FROM leads l JOIN users u ON u.id = l.owner_id
       WHERE u.email = '${AGENT}' AND l.call_state = 'not_scheduled' ORDER BY l.id`,
    )
    .map(([id, name]) => ({ id: Number(id), name }));
}

function leadRow(page, id) {
  return page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ has: page.locator(`a[href="/leads/${id}"]`) });
}

function tabLink(page, label) {
  return page.getByRole('navigation', { name: 'Call log tabs' }).getByRole('link', { name: new RegExp(`^${label}`) });
}

/** The number shown on a tab ("To Be Scheduled 9 leads" → 9). */
async function tabCount(page, label) {
  const text = await tabLink(page, label).textContent();
  const m = /(\d+)\s*leads?$/.exec(text.trim());
  assert.ok(m, `a count on the ${label} tab: ${text}`);
  return Number(m[1]);
}

/** Clicks the calendar's Next button until the week holding `iso` shows (weeks start on Monday). */
async function showWeekOf(page, iso) {
  const weeks = await page.evaluate((at) => {
    const monday = (d) => {
      const m = new Date(d.getFullYear(), d.getMonth(), d.getDate());
      m.setDate(m.getDate() - ((m.getDay() + 6) % 7));
      return m;
    };
    return Math.round((monday(new Date(at)) - monday(new Date())) / (7 * 86400000));
  }, iso);
  for (let i = 0; i < weeks; i++) await page.getByRole('button', { name: 'Next week' }).click();
}

test('agent_schedules_with_tomorrow_shortcut_and_sees_it_in_schedule_and_calendar', (t) =>
  withPage(t, browser, stack.url, 'desktopChicago', async (page) => {
    const lead = notScheduled()[0];
    assert.ok(lead, 'demo data gives the agent a not-scheduled lead');

    await page.goto('/');
    await signIn(page, AGENT);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call log' }).click();
    await page.getByRole('heading', { name: 'To Be Scheduled', level: 2 }).waitFor();
    assert.equal(await tabLink(page, 'To Be Scheduled').getAttribute('aria-current'), 'page');

    // Missed and past-due rows say so in words, not only in colour.
    await page.getByRole('list', { name: 'Leads' }).getByText('Missed', { exact: true }).first().waitFor();
    await page.getByRole('list', { name: 'Leads' }).getByText('Past due', { exact: true }).first().waitFor();

    const toBeScheduled = await tabCount(page, 'To Be Scheduled');
    const scheduled = await tabCount(page, 'Schedule');
    const row = leadRow(page, lead.id);
    await row.getByText('Not scheduled', { exact: true }).waitFor();

    const toggle = row.getByRole('button', { name: `Schedule ${lead.name}` });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const tomorrow = row.getByRole('button', { name: /^Tomorrow 9:00/ });
    assert.ok(await tomorrow.evaluate((el) => el === document.activeElement), 'the first shortcut takes focus');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/leads/${lead.id}/follow-up`),
      tomorrow.click(),
    ]);
    assert.equal(response.status(), 200, await response.text());

    await page.getByRole('status').getByText(`${lead.name} is scheduled for`).waitFor();
    await leadRow(page, lead.id).waitFor({ state: 'detached' });
    await page.waitForFunction(
      ([n]) => /(\d+)\s*leads?$/.exec(document.querySelector('.calllog-tabs li a')?.textContent?.trim() ?? '')?.[1] === String(n),
      [toBeScheduled - 1],
    );
    assert.equal(await tabCount(page, 'Schedule'), scheduled + 1);

    // Tomorrow 9:00 in Chicago, stored in UTC.
    const expected = await page.evaluate(() => {
      const now = new Date();
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0).toISOString().replace('.000Z', 'Z');
    });
    assert.notEqual(await page.evaluate(() => new Date().getTimezoneOffset()), 0, 'the browser is not on UTC');
    const [at, state] = stack.sql(
      `SELECT DATE_FORMAT(follow_up_at, '%Y-%m-%dT%H:%i:%sZ'), call_state FROM leads WHERE id = ${lead.id}`,
    )[0];
    assert.equal(at, expected);
    assert.equal(state, 'scheduled');

    await tabLink(page, 'Schedule').click();
    await page.getByRole('heading', { name: 'Schedule', level: 2 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/call-log/schedule');
    await leadRow(page, lead.id).getByText('Scheduled', { exact: true }).waitFor();

    await page.getByRole('navigation', { name: 'Show the schedule as' }).getByRole('link', { name: 'Calendar' }).click();
    assert.equal(new URL(page.url()).pathname, '/call-log/calendar');
    const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
    const week = calendar.getByRole('tab', { name: 'Week view' });
    await week.waitFor();
    assert.equal(await week.getAttribute('aria-selected'), 'true', 'a desktop opens on the week');
    await showWeekOf(page, expected);
    const event = calendar.locator(`a[href="/leads/${lead.id}"]`);
    await event.waitFor();
    assert.match(await event.textContent(), new RegExp(`Call ${lead.name}`), 'the week view shows the event title');

    // The lead record is another screen's business: check the console before leaving.
    assert.deepEqual(page.consoleErrors, []);
    await event.click();
    await page.waitForURL((url) => url.pathname === `/leads/${lead.id}`);
  }));

test('quick_schedule_works_by_keyboard_and_rejects_a_past_time', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    const lead = notScheduled()[0];
    await page.goto('/call-log');
    await signIn(page, AGENT);
    await page.getByRole('heading', { name: 'To Be Scheduled', level: 2 }).waitFor();

    const toggle = leadRow(page, lead.id).getByRole('button', { name: `Schedule ${lead.name}` });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const input = page.getByLabel('Or pick a date and time');
    await input.waitFor();

    // Escape closes the picker and gives focus back to the row's button.
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'detached' });
    assert.ok(await toggle.evaluate((el) => el === document.activeElement), 'focus returns to the Schedule button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Tomorrow 9:00'));

    // Shortcuts, then the input, then the submit button, in Tab order.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'Tab reaches the date and time input');
    await input.fill('2020-01-01T10:00');
    await page.keyboard.press('Enter');
    await page.getByText('Choose a time in the future.').waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(stack.sqlValue(`SELECT call_state FROM leads WHERE id = ${lead.id}`), 'not_scheduled');

    const when = await page.evaluate(() => {
      const d = new Date(Date.now() + 3 * 86400000);
      const pad = (n) => String(n).padStart(2, '0');
      return {
        local: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T14:30`,
        utc: new Date(d.getFullYear(), d.getMonth(), d.getDate(), 14, 30).toISOString().replace('.000Z', 'Z'),
      };
    });
    await input.fill(when.local);
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`${lead.name} is scheduled for`).waitFor();
    assert.equal(
      stack.sqlValue(`SELECT DATE_FORMAT(follow_up_at, '%Y-%m-%dT%H:%i:%sZ') FROM leads WHERE id = ${lead.id}`),
      when.utc,
    );
    assert.equal(await leadRow(page, lead.id).count(), 0, 'the lead left To Be Scheduled');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('calendar_feed_link_is_shown_once_answers_text_calendar_and_reset_replaces_it', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    await page.goto('/call-log/calendar');
    await signIn(page, AGENT);
    await page.getByText('You have no calendar link yet.').waitFor();
    await page.getByText(/Google Calendar.*Outlook.*Apple Calendar/).waitFor();
    await page.getByRole('button', { name: 'Make a link' }).click();
    const field = page.getByLabel('Calendar link');
    await field.waitFor();
    await page.getByText('Link made.', { exact: false }).waitFor();
    await page.getByText('Reset to see a new address.', { exact: false }).waitFor();
    const url = await field.inputValue();
    assert.match(url, new RegExp(`^${stack.url}/api/v1/calendar/[A-Za-z0-9_-]+\\.ics$`));

    const feed = await fetch(url);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    const ics = await feed.text();
    assert.match(ics, /^BEGIN:VCALENDAR/);
    const scheduled = stack.sqlValue(
      `SELECT TRIM(CONCAT('Call ', first_name, ' ', last_name)) FROM leads l JOIN users u ON u.id = l.owner_id
       WHERE u.email = '${AGENT}' AND l.call_state = 'scheduled' ORDER BY l.id LIMIT 1`,
    );
    assert.ok(ics.includes(`SUMMARY:${scheduled}`), `the feed lists "${scheduled}"`);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);

    // Shown once: after a reload the page says a link exists but cannot show it.
    await page.reload();
    await page.getByText('reset to see a new address', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Calendar link').count(), 0);
    assert.ok(!(await page.content()).includes(url.split('/').pop()), 'the address is nowhere on the page');

    await page.getByRole('button', { name: 'Reset link' }).click();
    await page.getByRole('button', { name: 'Yes, make a new link' }).click();
    await page.getByText('New link made.', { exact: false }).waitFor();
    const fresh = await page.getByLabel('Calendar link').inputValue();
    assert.notEqual(fresh, url);
    assert.equal((await fetch(url)).status, 404, 'the old link stops working');
    const again = await fetch(fresh);
    assert.equal(again.status, 200);
    assert.match(again.headers.get('content-type'), /^text\/calendar/);
    assert.deepEqual(page.consoleErrors, []);
  }));
