// Journey, continued (issue 9, items 6–9) on a 360×740 phone: after Add note the new note
// has focus and is announced; a refused save focuses the error summary; Escape cancels an
// inline edit; an incomplete lead names what it lacks; each call-log tab has its own
// title and the bottom bar offers nothing that is "not available yet"; the calendar's
// Today button is named Today and its hour grid is reachable by keyboard; Home counts
// missed and past-due leads without fetching a page of 200 rows.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
let token;

const AGENT = 'agent@example.com';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  ({ token } = await stack.login(AGENT));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function createLead(json) {
  const r = await stack.api('POST', '/api/v1/leads', { token, json });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function openLead(page, id, heading) {
  await page.goto(`/leads/${id}`);
  await signIn(page, AGENT);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** What has focus: its tag, role and text. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName, role: el.getAttribute('role'), text: el.textContent.trim() };
  });
}

test('add_note_moves_focus_to_the_new_note_and_announces_it', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const id = await createLead({ first_name: 'Noted', last_name: 'Lead', phones: ['+1 555 710 0001'] });
    await openLead(page, id, 'Noted Lead');
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByText('No notes yet.').waitFor();
    await notes.getByLabel('New note').fill('Asked for a call back on Friday.');
    await notes.getByRole('button', { name: 'Add note' }).tap();
    const item = notes.getByRole('listitem').filter({ hasText: 'Asked for a call back on Friday.' });
    await item.waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('lead-note'));
    assert.ok(await item.evaluate((el) => el === document.activeElement), 'the new note has focus');
    assert.equal(await notes.getByRole('status').textContent(), 'Note added.');
    assert.equal(await notes.getByLabel('New note').inputValue(), '', 'the note box is empty again');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('a_refused_save_focuses_the_error_summary', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const id = await createLead({ first_name: 'Refused', last_name: 'Save', phones: ['+1 555 710 0002'] });
    await openLead(page, id, 'Refused Save');
    await page.getByRole('button', { name: 'Edit Demographics' }).tap();
    const form = page.getByRole('form', { name: 'Edit Demographics' });
    await form.getByLabel('First name').fill('');
    await form.getByLabel('Last name').fill('');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/leads/${id}` && r.request().method() === 'PATCH'),
      form.getByRole('button', { name: 'Save' }).tap(),
    ]);
    assert.equal(response.status(), 400);
    const summary = form.getByRole('alert');
    await summary.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
    assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the error summary has focus');
    const box = await summary.boundingBox();
    const fields = await form.getByLabel('First name').boundingBox();
    assert.ok(box.y < fields.y, 'the summary sits above the fields, so Tab goes on into them');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).tag, 'INPUT', 'Tab from the summary reaches the first field');
    assert.equal(stack.sqlValue(`SELECT last_name FROM leads WHERE id = ${id}`), 'Save', 'nothing was saved');
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 400/.test(e)), []);
  }));

test('escape_cancels_an_inline_edit', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const id = await createLead({ first_name: 'Escape', last_name: 'Key', phones: ['+1 555 710 0003'] });
    const r = await stack.api('POST', `/api/v1/leads/${id}/notes`, { token, json: { body: 'First words.' } });
    assert.equal(r.status, 201, r.text);
    await openLead(page, id, 'Escape Key');

    // A section's form: Escape closes it unsaved and gives focus back to its Edit button.
    const edit = page.getByRole('button', { name: 'Edit Demographics' });
    await edit.tap();
    const form = page.getByRole('form', { name: 'Edit Demographics' });
    await form.getByLabel('First name').fill('Changed');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Edit Demographics');
    await page.getByRole('region', { name: 'Demographics' }).getByText('Escape', { exact: true }).waitFor();
    assert.equal(stack.sqlValue(`SELECT first_name FROM leads WHERE id = ${id}`), 'Escape', 'nothing was saved');

    // A note's edit form does the same.
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByRole('button', { name: /^Edit note from / }).tap();
    await notes.getByLabel('Edit note', { exact: true }).fill('Other words.');
    await page.keyboard.press('Escape');
    await notes.getByLabel('Edit note', { exact: true }).waitFor({ state: 'detached' });
    await notes.getByText('First words.').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Edit note from '));
    assert.equal(stack.sqlValue(`SELECT body FROM lead_notes WHERE lead_id = ${id}`), 'First words.');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('an_incomplete_lead_names_what_it_lacks', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const noAddress = await createLead({ first_name: 'Nomad', last_name: 'Lead', phones: ['+1 555 710 0004'] });
    const noPhone = await createLead({
      first_name: 'Mailonly',
      last_name: 'Lead',
      emails: ['mailonly@example.org'],
      address: { street: '1 Main St', city: 'Springfield', postal_code: '12345' },
    });
    const noPostcode = await createLead({
      last_name: 'Almost',
      phones: ['+1 555 710 0005'],
      address: { street: '2 Main St', city: 'Springfield' },
    });
    await openLead(page, noAddress, 'Nomad Lead');
    await page.getByText('Incomplete: needs street, city and postal code', { exact: true }).waitFor();
    for (const [id, name, text] of [
      [noPhone, 'Mailonly Lead', 'Incomplete: needs phone'],
      [noPostcode, 'Almost', 'Incomplete: needs postal code'],
    ]) {
      await page.goto(`/leads/${id}`);
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.getByText(text, { exact: true }).waitFor();
    }
    assert.equal(await page.getByText(/needs name/).count(), 0, 'a lead with a name is not said to need one');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('each_call_log_tab_has_its_own_title_and_the_bottom_bar_has_no_unbuilt_screen', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/call-log');
    await signIn(page, AGENT);
    await page.getByRole('heading', { name: 'To Be Scheduled', level: 2 }).waitFor();
    const titles = { 'To Be Scheduled': await page.title() };
    const tabs = page.getByRole('navigation', { name: 'Call log tabs' });
    for (const [link, heading] of [['Schedule', 'Schedule'], ['Lead Bank', 'Lead Bank']]) {
      await tabs.getByRole('link', { name: new RegExp(`^${link}`) }).tap();
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
      titles[link] = await page.title();
    }
    await tabs.getByRole('link', { name: /^Schedule/ }).tap();
    await page.getByRole('navigation', { name: 'Show the schedule as' }).getByRole('link', { name: 'Calendar' }).tap();
    await page.getByRole('heading', { name: 'Schedule: calendar', level: 2 }).waitFor();
    titles.Calendar = await page.title();
    assert.deepEqual(titles, {
      'To Be Scheduled': 'To Be Scheduled · Call log · Leadmap',
      Schedule: 'Schedule · Call log · Leadmap',
      'Lead Bank': 'Lead Bank · Call log · Leadmap',
      Calendar: 'Calendar · Call log · Leadmap',
    });

    // The bottom bar: every slot opens a working screen; the Lead Bank took Tasks' slot.
    const bar = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await bar.getByRole('link').allTextContents(), ['Home', 'Call log', 'Leads', 'Lead Bank']);
    await bar.getByRole('link', { name: 'Lead Bank' }).tap();
    await page.getByRole('heading', { name: 'Lead Bank', level: 2 }).waitFor();
    assert.equal(await bar.getByRole('link', { name: 'Lead Bank' }).getAttribute('aria-current'), 'page');
    assert.equal(await bar.getByRole('link', { name: 'Call log' }).getAttribute('aria-current'), null, 'one current entry');
    await page.getByRole('list', { name: 'Leads' }).getByRole('button', { name: /^Claim / }).first().waitFor();
    assert.equal(await page.getByText('Not available yet').count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  }));

test('calendar_today_button_is_named_today_and_its_hour_grid_takes_the_keyboard', async (t) => {
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/call-log/calendar');
    await signIn(page, AGENT);
    const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
    const today = calendar.getByRole('button', { name: /^Today/ });
    await today.waitFor();
    assert.equal(await today.textContent(), 'Today');
    assert.match(await today.getAttribute('aria-label'), /^Today/, 'the name starts with the visible text');
    assert.equal(await calendar.getByRole('button', { name: 'This Week', exact: true }).count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  });
  // The hour grid scrolls inside the day and week views, which show from 48rem up.
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/call-log/calendar');
    await signIn(page, AGENT);
    const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
    await calendar.getByRole('tab', { name: 'Week view' }).waitFor();
    const scroller = await calendar.evaluateHandle((root) =>
      [...root.querySelectorAll('div')].find((el) => /auto|scroll/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight),
    );
    assert.ok(await scroller.evaluate((el) => el instanceof HTMLElement), 'the week view has a scrolling hour grid');
    assert.ok(await scroller.evaluate((el) => el.querySelector('[tabindex="0"]') !== null || el.tabIndex === 0), 'the grid has a tab stop');
    // Tab from the Today button reaches the grid; the arrow keys then scroll it.
    await calendar.getByRole('button', { name: /^Today/ }).focus();
    let inside = false;
    for (let i = 0; i < 30 && !inside; i++) {
      await page.keyboard.press('Tab');
      inside = await scroller.evaluate((el) => el.contains(document.activeElement));
    }
    assert.ok(inside, 'Tab reaches the hour grid');
    const top = await scroller.evaluate((el) => el.scrollTop);
    await page.keyboard.press('PageDown');
    // Scrolling may be smooth: wait for it to move rather than for a fixed time.
    await page.waitForFunction(({ el, from }) => el.scrollTop > from, { el: scroller, from: top });
    assert.ok((await scroller.evaluate((el) => el.scrollTop)) > top, 'PageDown scrolls the hour grid');
    assert.deepEqual(page.consoleErrors, []);
  });
});

test('home_counts_missed_and_past_due_without_fetching_200_rows', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const callLog = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/api/v1/call-log') callLog.push(url.searchParams.get('limit'));
    });
    await page.goto('/');
    await signIn(page, AGENT);
    const counts = page.getByRole('region', { name: 'Call-log counts' });
    const detail = counts.locator('.calllog-home-detail');
    await detail.waitFor();
    const [missed, pastDue] = stack.sql(
      `SELECT (SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = '${AGENT}' AND l.call_state = 'missed'),
              (SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = '${AGENT}' AND l.call_state = 'past_due')`,
    )[0];
    assert.ok(Number(pastDue) > 0, 'the demo agent has past-due leads to count');
    assert.equal(await detail.textContent(), `${missed} missed, ${pastDue} past due`);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(callLog, ['1'], 'one call-log request, for one row');
    assert.deepEqual(page.consoleErrors, []);
  }));
