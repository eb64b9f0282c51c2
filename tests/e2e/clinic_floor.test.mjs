// Journey: an agent working leads one after another on a 360×740 phone. A Lead Bank lead
// opened from the bank is read-only with Claim at the top until claimed; Back from a lead
// puts the call log where it was; three call-log rows fit on a screen; what has focus
// stays clear of the sticky header and the bottom bar; the main controls are 44×44 to tap.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
/** The leads this file adds to agent@example.com's To Be Scheduled tab: [{id, name}]. */
const floorLeads = [];

const AGENT = 'agent@example.com';
const AGENT2 = 'agent2@example.com';
const TAP = 44;
/** Enough leads that the To Be Scheduled tab needs a second page (50 a page). */
const FLOOR_LEADS = 60;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const { token } = await stack.login(AGENT);
  for (let i = 0; i < FLOOR_LEADS; i++) {
    const n = String(i).padStart(2, '0');
    const r = await stack.api('POST', '/api/v1/leads', {
      token,
      json: { first_name: 'Floor', last_name: `Lead ${n}`, phones: [`+1 555 700 00${n}`], emails: [`floor${n}@example.org`] },
    });
    assert.equal(r.status, 201, r.text);
    floorLeads.push({ id: r.body.id, name: `Floor Lead ${n}` });
  }
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function userId(email) {
  return Number(stack.sqlValue(`SELECT id FROM users WHERE email = '${email}'`));
}

function rows(page) {
  return page.getByRole('list', { name: 'Leads' }).getByRole('listitem');
}

function leadRow(page, id) {
  return rows(page).filter({ has: page.locator(`a[href="/leads/${id}"]`) });
}

/** The band of the window the sticky header and the bottom bar leave free. */
function freeBand(page) {
  return page.evaluate(() => ({
    top: document.querySelector('.topbar').getBoundingClientRect().bottom,
    bottom: document.querySelector('.mainnav').getBoundingClientRect().top,
  }));
}

/** The focused element's box and a description of it. */
function focusedBox(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, what: `${el.tagName} ${el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40)}` };
  });
}

async function assertFocusClear(page, where) {
  const band = await freeBand(page);
  const box = await focusedBox(page);
  assert.ok(
    box.top >= band.top - 0.5 && box.bottom <= band.bottom + 0.5,
    `${where}: the focused ${box.what} (${box.top}–${box.bottom}) lies between the header (${band.top}) and the bottom bar (${band.bottom})`,
  );
}

async function assertTapSize(locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is on the page`);
  assert.ok(box.width >= TAP && box.height >= TAP, `${what} is at least ${TAP}×${TAP} (${box.width}×${box.height})`);
}

/**
 * A Lead Bank lead agent2 sees only through the bank: not theirs, not on its team, not in
 * one of their units (agent2 is an agent, so no group rule applies).
 */
function bankLeadHiddenFrom(viewer) {
  const [id, name] = stack.sql(
    `SELECT l.id, TRIM(CONCAT(l.first_name, ' ', l.last_name)) FROM leads l
     WHERE l.call_state IN ('abandoned', 'available') AND l.archived_at IS NULL
       AND (l.owner_id IS NULL OR l.owner_id <> ${viewer})
       AND NOT EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ${viewer})
       AND NOT EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = ${viewer} AND uu.unit_id = l.unit_id)
       AND EXISTS (SELECT 1 FROM lead_phones p WHERE p.lead_id = l.id)
     ORDER BY l.id LIMIT 1`,
  )[0];
  return { id: Number(id), name };
}

async function openCallLog(page, email, path = '/call-log') {
  await page.goto(path);
  await signIn(page, email);
  await page.getByRole('heading', { name: 'Call log', level: 1 }).waitFor();
  await rows(page).first().waitFor();
}

test('lead_bank_lead_opened_by_another_agent_is_read_only_with_claim_until_claimed', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    const agent2 = userId(AGENT2);
    const lead = bankLeadHiddenFrom(agent2);
    assert.ok(lead.id, 'the demo data has a Lead Bank lead agent2 may only claim');

    await openCallLog(page, AGENT2, '/call-log/lead-bank');
    await leadRow(page, lead.id).getByRole('link', { name: lead.name }).tap();
    await page.getByRole('heading', { name: lead.name, level: 1 }).waitFor();

    const bank = page.getByRole('region', { name: 'In the Lead Bank' });
    await bank.waitFor();
    assert.match(await bank.textContent(), /in the Lead Bank since /);
    const claim = bank.getByRole('button', { name: `Claim ${lead.name}` });
    await assertTapSize(claim, 'Claim on the lead page');
    // Read-only: no Edit, no life-cycle actions, no note box.
    await page.getByRole('region', { name: 'Notes' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0, 'no Edit button');
    for (const action of ['Accept', 'Win', 'Lose', 'Archive']) {
      assert.equal(await page.getByRole('button', { name: action, exact: true }).count(), 0, `no ${action}`);
    }
    assert.equal(await page.getByLabel('New note').count(), 0, 'no note box');
    assert.equal(await page.getByRole('link', { name: 'Back to Lead Bank' }).count(), 1, 'the back link returns to the Lead Bank');

    // Claim with a quick-schedule choice: the page becomes editable without a reload.
    await claim.tap();
    await bank.getByRole('group', { name: `Claim ${lead.name}: when will you follow up?` }).waitFor();
    await assertFocusClear(page, 'the claim picker just opened');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/leads/${lead.id}/actions/claim`),
      bank.getByRole('button', { name: /^Tomorrow 9:00/ }).tap(),
    ]);
    assert.equal(response.status(), 200, await response.text());
    await page.getByRole('status').getByText('You claimed this lead.').waitFor();
    await page.getByRole('button', { name: 'Edit Demographics' }).waitFor();
    assert.equal(await bank.count(), 0, 'the Lead Bank banner is gone');
    const [owner, state] = stack.sql(`SELECT owner_id, call_state FROM leads WHERE id = ${lead.id}`)[0];
    assert.equal(Number(owner), agent2);
    assert.equal(state, 'scheduled');

    await page.getByLabel('New note').fill('Called from the floor after claiming.');
    const [added] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/leads/${lead.id}/notes` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add note' }).tap(),
    ]);
    assert.equal(added.status(), 201, 'a change is accepted after the claim');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('back_from_a_lead_restores_the_call_log_scroll_and_loaded_pages', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await openCallLog(page, AGENT);
    await page.getByRole('button', { name: 'Show more' }).tap();
    await page.waitForFunction(() => document.querySelectorAll('.calllog-list > li').length > 50);
    const loaded = await rows(page).count();

    // Scroll well down the second page, then open a lead by its link.
    const target = rows(page).nth(loaded - 5);
    await target.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 100));
    const y = await page.evaluate(() => window.scrollY);
    assert.ok(y > 2000, `the list is scrolled far down (${y})`);
    const link = target.getByRole('link').first();
    const href = await link.getAttribute('href');
    await link.tap();
    await page.waitForURL((url) => url.pathname === href);
    await page.locator('.lead-record h1').waitFor();

    // The back link names the tab the lead came from and returns there, as it was.
    const back = page.getByRole('link', { name: 'Back to To Be Scheduled' });
    await assertTapSize(back, 'the back link');
    await back.tap();
    await page.waitForURL((url) => url.pathname === '/call-log');
    await rows(page).nth(loaded - 1).waitFor();
    assert.equal(await rows(page).count(), loaded, 'the loaded pages are still there');
    let again = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(again - y) <= 5, `the back link restores the scroll position (${y} → ${again})`);

    // The browser's Back does the same.
    await target.getByRole('link').first().tap();
    await page.waitForURL((url) => url.pathname === href);
    await page.locator('.lead-record h1').waitFor();
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/call-log');
    await rows(page).nth(loaded - 1).waitFor();
    again = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(again - y) <= 5, `Back restores the scroll position (${y} → ${again})`);

    // From the lead search, the back link returns to the search with its query.
    await page.goto('/leads?q=Floor');
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    const result = page.locator('.lead-result-name').first();
    await assertTapSize(result, 'a lead name in the search results');
    await result.tap();
    await page.locator('.lead-record h1').waitFor();
    const toSearch = page.getByRole('link', { name: 'Back to Leads' });
    assert.equal(await toSearch.getAttribute('href'), '/leads?q=Floor');
    await toSearch.tap();
    await page.waitForURL((url) => url.pathname === '/leads' && url.search === '?q=Floor');
    assert.equal(await page.getByRole('searchbox', { name: 'Name, phone or e-mail' }).inputValue(), 'Floor');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('three_call_log_rows_fit_on_a_phone_screen', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    for (const path of ['/call-log', '/call-log/lead-bank']) {
      if (path === '/call-log') await openCallLog(page, AGENT);
      else {
        await page.getByRole('navigation', { name: 'Call log tabs' }).getByRole('link', { name: /^Lead Bank/ }).tap();
        await page.getByRole('heading', { name: 'Lead Bank', level: 2 }).waitFor();
        await rows(page).first().waitFor();
      }
      const band = await freeBand(page);
      const boxes = await rows(page).evaluateAll((items) =>
        items.slice(0, 6).map((li) => {
          const r = li.getBoundingClientRect();
          return { top: r.top, height: r.height };
        }),
      );
      assert.ok(boxes.length >= 4, `${path} lists enough rows to measure`);
      // Three consecutive rows, gaps included, within the band the bars leave free.
      for (let i = 0; i + 3 < boxes.length; i++) {
        const span = boxes[i + 2].top + boxes[i + 2].height - boxes[i].top;
        assert.ok(span <= band.bottom - band.top, `${path}: rows ${i + 1}–${i + 3} take ${span}px of ${band.bottom - band.top}`);
      }
      // Nothing lost: every row keeps its state label, phone link (when it has one) and action.
      for (let i = 0; i < 3; i++) {
        const row = rows(page).nth(i);
        assert.equal(await row.locator('.calllog-badge').count(), 1, `${path} row ${i + 1} has its state label`);
        assert.ok((await row.locator('a[href^="tel:"]').count()) + (await row.getByText('No phone').count()) >= 1);
        assert.equal(await row.getByRole('button', { name: /^(Schedule|Reschedule|Claim) / }).count(), 1);
      }
    }
    assert.deepEqual(page.consoleErrors, []);
  }));

test('focus_stays_clear_of_the_header_and_bottom_bar', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await openCallLog(page, AGENT);
    const band = await freeBand(page);

    // A row whose Schedule button sits just under the bottom bar: tapping it opens the
    // picker, and the focused "Tomorrow 9:00" is brought clear of the bar.
    const row = rows(page).nth(6);
    const button = row.getByRole('button', { name: /^Schedule / });
    await page.waitForLoadState('networkidle');
    await button.evaluate((el, barTop) => window.scrollBy(0, el.getBoundingClientRect().bottom - (barTop + 10)), band.bottom);
    const under = await button.boundingBox();
    assert.ok(
      under.y < band.bottom && under.y + under.height > band.bottom,
      `the Schedule button (${under.y}–${under.y + under.height}) is partly under the bar (${band.bottom})`,
    );
    await page.mouse.click(under.x + under.width / 2, under.y + 5);
    await row.getByRole('group', { name: /^Schedule a follow-up with / }).waitFor();
    assert.match((await focusedBox(page)).what, /Tomorrow 9:00/);
    await page.waitForTimeout(100); // one frame for the reveal
    await assertFocusClear(page, 'after Schedule');
    const picker = await row.locator('.calllog-picker').boundingBox();
    assert.ok(picker.y + picker.height <= band.bottom + 0.5, 'the whole picker is above the bar');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(50);
      await assertFocusClear(page, `tabbing the picker (${i + 1})`);
    }

    // Tabbing through the edit form of a lead, down and back up.
    const lead = floorLeads[0];
    await page.goto(`/leads/${lead.id}`);
    await page.getByRole('heading', { name: lead.name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit Demographics' }).tap();
    const form = page.getByRole('form', { name: 'Edit Demographics' });
    await form.waitFor();
    await page.waitForTimeout(50);
    await assertFocusClear(page, 'the form just opened');
    let sawEmail = false;
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(50);
      await assertFocusClear(page, `Tab ${i + 1} in the edit form`);
      sawEmail ||= (await page.evaluate(() => document.activeElement.type)) === 'email';
    }
    assert.ok(sawEmail, 'the tabbing reached the e-mail input');
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Shift+Tab');
      await page.waitForTimeout(50);
      await assertFocusClear(page, `Shift+Tab ${i + 1} in the edit form`);
    }
    assert.deepEqual(page.consoleErrors, []);
  }));

test('main_controls_are_at_least_44_by_44', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await openCallLog(page, AGENT);
    const row = leadRow(page, floorLeads[1].id);
    await row.waitFor();
    await assertTapSize(row.getByRole('link', { name: floorLeads[1].name }), 'a lead name in a call-log row');
    await assertTapSize(row.locator('a[href^="tel:"]'), 'a phone link in a call-log row');
    await assertTapSize(row.getByRole('button', { name: `Schedule ${floorLeads[1].name}` }), 'Schedule');

    await page.getByRole('navigation', { name: 'Call log tabs' }).getByRole('link', { name: /^Lead Bank/ }).tap();
    await page.getByRole('heading', { name: 'Lead Bank', level: 2 }).waitFor();
    await assertTapSize(rows(page).first().getByRole('button', { name: /^Claim / }), 'Claim in a Lead Bank row');

    await page.getByRole('navigation', { name: 'Call log tabs' }).getByRole('link', { name: /^Schedule/ }).tap();
    await page.getByRole('navigation', { name: 'Show the schedule as' }).getByRole('link', { name: 'Calendar' }).tap();
    const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
    await calendar.getByRole('button', { name: 'Next week' }).waitFor();
    for (const name of ['Previous week', 'Next week']) {
      await assertTapSize(calendar.getByRole('button', { name }), `the calendar's ${name} arrow`);
    }

    const lead = floorLeads[1];
    await page.goto(`/leads/${lead.id}`);
    await page.getByRole('heading', { name: lead.name, level: 1 }).waitFor();
    await assertTapSize(page.locator('.lead-back a'), 'the back link');
    await assertTapSize(page.getByRole('button', { name: 'Edit Demographics' }), 'Edit');
    await assertTapSize(page.getByRole('region', { name: 'Demographics' }).locator('a[href^="tel:"]'), 'the phone link on the lead page');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('settings_checkboxes_have_a_44_by_44_target', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/settings/call-log');
    await signIn(page, 'admin@example.com');
    const form = page.getByRole('form', { name: 'Call-log settings' });
    const box = form.getByLabel('Count business days only');
    await box.waitFor();
    const boxes = [box, ...(await form.getByRole('group', { name: 'Open weekdays' }).getByRole('checkbox').all())];
    for (const checkbox of boxes) {
      // The box with its label: a row at least 44×44 that contains the box, every point of
      // which hits the box or its label (so a tap anywhere in it toggles the box).
      const target = await checkbox.evaluate((input) => {
        input.parentElement.scrollIntoView({ block: 'center' });
        const rowBox = input.parentElement.getBoundingClientRect();
        const inputBox = input.getBoundingClientRect();
        const label = document.querySelector(`label[for="${input.id}"]`);
        const points = [
          [rowBox.left + 1, rowBox.top + 1],
          [rowBox.right - 1, rowBox.top + 1],
          [rowBox.left + 1, rowBox.bottom - 1],
          [rowBox.right - 1, rowBox.bottom - 1],
          [inputBox.left + inputBox.width / 2, inputBox.top + inputBox.height / 2],
        ];
        return {
          width: rowBox.width,
          height: rowBox.height,
          contains: inputBox.left >= rowBox.left && inputBox.right <= rowBox.right && inputBox.top >= rowBox.top && inputBox.bottom <= rowBox.bottom,
          hits: points.map(([x, y]) => {
            const hit = document.elementFromPoint(x, y);
            return hit === input || hit === label;
          }),
        };
      });
      const name = await checkbox.getAttribute('id');
      assert.ok(target.width >= TAP && target.height >= TAP, `${name}: target ${target.width}×${target.height}`);
      assert.ok(target.contains, `${name}: the target contains the box`);
      assert.deepEqual(target.hits, [true, true, true, true, true], `${name}: every corner of the target hits the box or its label`);
    }
    // A tap beside the box, on the row, toggles it.
    const before = await box.isChecked();
    const rowBox = await box.evaluate((input) => {
      input.parentElement.scrollIntoView({ block: 'center' });
      const r = input.parentElement.getBoundingClientRect();
      return { x: r.right - 4, y: r.top + r.height / 2 };
    });
    await page.mouse.click(rowBox.x, rowBox.y);
    assert.equal(await box.isChecked(), !before, 'tapping the row toggles the box');
    assert.deepEqual(page.consoleErrors, []);
  }));
