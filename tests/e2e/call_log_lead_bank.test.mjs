// Journey: two agents at the Lead Bank. One claims a lead and finds it on their Schedule;
// the other, still looking at the old list, tries the same lead and is told someone was
// first, and the list refreshes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

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

const LOST = 'This lead is no longer in the Lead Bank; someone claimed it first.';

function leadRow(page, id) {
  return page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ has: page.locator(`a[href="/leads/${id}"]`) });
}

function userId(email) {
  return Number(stack.sqlValue(`SELECT id FROM users WHERE email = '${email}'`));
}

/**
 * A Lead Bank lead (abandoned or available) that `viewer` may still see once someone else
 * has claimed it (`stillVisible`: it is in the viewer's unit) or may not (no unit, and the
 * viewer is not on its team).
 */
function bankLead(viewer, { stillVisible }) {
  const unit = stack.sqlValue(`SELECT unit_id FROM user_units WHERE user_id = ${viewer} LIMIT 1`);
  const where = stillVisible
    ? `l.unit_id = ${unit}`
    : `l.unit_id IS NULL AND NOT EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ${viewer})`;
  const [id, name] = stack.sql(
    `SELECT l.id, TRIM(CONCAT(l.first_name, ' ', l.last_name)) FROM leads l
     WHERE l.call_state IN ('abandoned', 'available') AND l.archived_at IS NULL AND ${where}
     ORDER BY l.id LIMIT 1`,
  )[0];
  return { id: Number(id), name };
}

async function openLeadBank(page, email) {
  await page.goto('/call-log/lead-bank');
  await signIn(page, email);
  await page.getByRole('heading', { name: 'Lead Bank', level: 2 }).waitFor();
  await page.getByRole('list', { name: 'Leads' }).waitFor();
}

async function claim(page, lead, shortcut) {
  const row = leadRow(page, lead.id);
  await row.getByRole('button', { name: `Claim ${lead.name}` }).click();
  await row.getByRole('group', { name: `Claim ${lead.name}: when will you follow up?` }).waitFor();
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/leads/${lead.id}/actions/claim`),
    row.getByRole('button', { name: new RegExp(`^${shortcut}`) }).click(),
  ]);
  return response;
}

test('agent2_claims_a_lead_bank_lead_and_it_appears_in_their_schedule_while_a_late_claim_is_refused', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (first) =>
    withPage(t, browser, stack.url, 'desktop', async (second) => {
      const agent = userId('agent@example.com');
      const agent2 = userId('agent2@example.com');
      // A late claim gets 409 not_in_lead_bank while the loser may still see the lead, and
      // (today) 404 once they may not: the page must say the same in both cases.
      const visible = bankLead(agent, { stillVisible: true });
      const hidden = bankLead(agent, { stillVisible: false });
      assert.notEqual(visible.id, hidden.id);

      // Both agents look at the Lead Bank at the same time.
      await openLeadBank(first, 'agent@example.com');
      await openLeadBank(second, 'agent2@example.com');
      for (const lead of [visible, hidden]) {
        await leadRow(first, lead.id).waitFor();
        await leadRow(second, lead.id).waitFor();
      }
      const bankBefore = Number(stack.sqlValue(`SELECT COUNT(*) FROM leads WHERE call_state IN ('abandoned', 'available')`));
      for (const lead of [visible, hidden]) {
        for (const status of [404, 409]) first.expectFailure(`/api/v1/leads/${lead.id}/actions/claim`, status);
      }

      for (const lead of [visible, hidden]) {
        // agent2 claims it, "In 2 days 9:00" …
        const won = await claim(second, lead, 'In 2 days 9:00');
        assert.equal(won.status(), 200, await won.text());
        await second.getByRole('status').getByText(`You claimed ${lead.name}.`).waitFor();
        await leadRow(second, lead.id).waitFor({ state: 'detached' });
        const [owner, state] = stack.sql(`SELECT owner_id, call_state FROM leads WHERE id = ${lead.id}`)[0];
        assert.equal(Number(owner), agent2);
        assert.equal(state, 'scheduled');

        // … and the first agent, whose list still shows it, is too late.
        const lost = await claim(first, lead, 'Tomorrow 9:00');
        assert.ok([404, 409].includes(lost.status()), `a late claim is refused: ${lost.status()}`);
        await first.getByRole('status').getByText(LOST).waitFor();
        await leadRow(first, lead.id).waitFor({ state: 'detached' });
        assert.equal(Number(stack.sqlValue(`SELECT owner_id FROM leads WHERE id = ${lead.id}`)), agent2, 'still agent2’s');
      }

      const tabs = second.getByRole('navigation', { name: 'Call log tabs' });
      assert.match(await tabs.getByRole('link', { name: /^Lead Bank/ }).textContent(), new RegExp(`${bankBefore - 2}\\s*leads$`));
      await second.getByRole('status').getByRole('link', { name: 'See your Schedule' }).click();
      await second.getByRole('heading', { name: 'Schedule', level: 2 }).waitFor();
      for (const lead of [visible, hidden]) {
        await leadRow(second, lead.id).getByText('Scheduled', { exact: true }).waitFor();
      }
      assert.deepEqual(first.consoleErrors, []);
      assert.deepEqual(second.consoleErrors, []);
    }),
  ));
