// Accessibility: axe-core (WCAG 2.0 / 2.1, A and AA) on every screen a user works with, at
// 1280 and at 360 px: sign-in, Home, the lead search, a new lead, a lead record (with an
// edit form open, on a map with its map picker open, and read-only from the Lead Bank),
// the call-log tabs, the calendar in each of its views, and every settings screen (a
// lead map's editor and funnel among them). Any violation fails, the calendar
// included; nothing is excluded.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { axeViolations, describeViolations } from './lib/axe.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

const SETTINGS = [
  'users', 'groups', 'units', 'custom-fields', 'lead-types', 'statuses', 'categories', 'priorities',
  'importance-levels', 'sources', 'lost-reasons', 'products', 'competitors', 'call-log', 'maps', 'maps/1',
  'map-videos',
];

let stack;
let browser;
let leadId;
/** A demo lead part way along its map: the lead map section with every control. */
let mapLeadId;
/** A Lead Bank lead that agent2 may only claim: its page shows read-only with Claim. */
let bankLeadId;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  leadId = Number(stack.sqlValue(
    `SELECT l.id FROM leads l JOIN users u ON u.id = l.owner_id WHERE u.email = 'agent@example.com'
     AND l.archived_at IS NULL ORDER BY l.id LIMIT 1`,
  ));
  mapLeadId = Number(stack.sqlValue('SELECT lead_id FROM lead_maps WHERE completed_at IS NULL ORDER BY lead_id LIMIT 1'));
  const agent2 = Number(stack.sqlValue(`SELECT id FROM users WHERE email = 'agent2@example.com'`));
  bankLeadId = Number(stack.sqlValue(
    `SELECT l.id FROM leads l WHERE l.call_state IN ('abandoned', 'available') AND l.archived_at IS NULL
       AND (l.owner_id IS NULL OR l.owner_id <> ${agent2})
       AND NOT EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ${agent2})
       AND NOT EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = ${agent2} AND uu.unit_id = l.unit_id)
     ORDER BY l.id LIMIT 1`,
  ));
  assert.ok(leadId && mapLeadId && bankLeadId, 'the demo data has the leads this file visits');
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Waits until the screen has settled: its heading shown, no request in flight, nothing loading. */
async function settled(page, heading) {
  await page.getByRole('heading', { name: heading, level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'));
}

async function assertNoViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
}

async function visit(page, path, heading, where = path) {
  await page.goto(path);
  await settled(page, heading);
  await assertNoViolations(page, where);
}

for (const viewport of ['desktop', 'phone']) {
  test(`every_screen_passes_axe_wcag21_aa_${viewport}`, (t) =>
    withPage(t, browser, stack.url, viewport, async (page) => {
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await assertNoViolations(page, 'sign-in');
      await signIn(page, 'admin@example.com');
      await settled(page, 'Home');
      await assertNoViolations(page, 'home');

      await visit(page, '/leads', 'Leads');
      await visit(page, '/leads?q=a', 'Leads', 'lead search results');
      await visit(page, '/leads/new', 'New lead');
      await page.goto(`/leads/${leadId}`);
      await settled(page, /./);
      await page.locator('.lead-record h1').waitFor();
      await page.waitForLoadState('networkidle');
      await assertNoViolations(page, 'a lead record');
      await page.getByRole('button', { name: 'Edit Demographics' }).click();
      await page.getByRole('form', { name: 'Edit Demographics' }).waitFor();
      await assertNoViolations(page, 'a lead record with its Demographics form open');
      await page.goto(`/leads/${mapLeadId}`);
      await settled(page, /./);
      const map = page.getByRole('region', { name: 'Lead map' });
      await map.locator('li[aria-current="step"]').waitFor();
      await page.waitForLoadState('networkidle');
      await assertNoViolations(page, 'a lead record on a map');
      await map.getByRole('button', { name: 'Move to another map' }).click();
      await map.getByLabel('Map', { exact: true }).waitFor();
      await assertNoViolations(page, 'the lead map with its map picker open');

      await visit(page, '/call-log', 'Call log', 'To Be Scheduled');
      await visit(page, '/call-log/schedule', 'Call log', 'Schedule');
      await visit(page, '/call-log/lead-bank', 'Call log', 'Lead Bank');
      await page.goto('/call-log/calendar');
      await settled(page, 'Call log');
      const calendar = page.getByRole('region', { name: 'Follow-up calendar' });
      await calendar.getByRole('button', { name: /^Next/ }).waitFor();
      await page.waitForLoadState('networkidle');
      await assertNoViolations(page, 'the calendar');
      await calendar.getByRole('button', { name: /^Next/ }).click();
      await page.waitForLoadState('networkidle');
      await assertNoViolations(page, 'the calendar, next period');
      if (viewport === 'desktop') {
        for (const view of ['Month', 'Day']) {
          await calendar.getByRole('tab', { name: `${view} view` }).click();
          await page.waitForLoadState('networkidle');
          await assertNoViolations(page, `the calendar, ${view} view`);
        }
      }

      for (const slug of SETTINGS) await visit(page, `/settings/${slug}`, 'Settings', `settings: ${slug}`);
      await visit(page, '/maps', 'Lead maps', 'map funnels');
      await visit(page, '/maps/1', 'Lead maps', 'a map funnel');
      assert.deepEqual(page.consoleErrors, []);
    }));

  test(`a_lead_bank_lead_seen_read_only_passes_axe_${viewport}`, (t) =>
    withPage(t, browser, stack.url, viewport, async (page) => {
      await page.goto(`/leads/${bankLeadId}`);
      await signIn(page, 'agent2@example.com');
      await page.getByRole('region', { name: 'In the Lead Bank' }).waitFor();
      await page.waitForLoadState('networkidle');
      await assertNoViolations(page, 'a Lead Bank lead, read-only');
      await page.getByRole('button', { name: /^Claim / }).first().click();
      await page.getByRole('group', { name: /when will you follow up\?$/ }).waitFor();
      await assertNoViolations(page, 'the claim picker on the lead page');
      assert.deepEqual(page.consoleErrors, []);
    }));
}
