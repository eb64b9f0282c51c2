// Journey: the life-cycle actions on the lead page. Losing asks for a lost reason and
// archiving for a reason (each error beside its field); an agent without the
// archive.reactivate permission is not offered Reactivate; a user with it reactivates the
// archived lead and then the lost one.

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

const actionButtons = (page) => page.getByRole('region', { name: 'Actions' }).getByRole('button').allTextContents();

test('lose_needs_a_lost_reason_archive_a_reason_and_reactivate_the_permission', async (t) => {
  const n = String(Date.now()).slice(-6);
  const { token } = await stack.login('agent@example.com');
  const created = await stack.api('POST', '/api/v1/leads', {
    token,
    json: { first_name: 'Lana', last_name: `Lifecycle${n}`, phones: [`+1 555 42${n}`] },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure(`/api/v1/leads/${id}/actions/lose`, 400);
    page.expectFailure(`/api/v1/leads/${id}/actions/archive`, 400);
    await page.goto(`/leads/${id}`);
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: `Lana Lifecycle${n}`, level: 1 }).waitFor();

    // Lose without a reason: the dialog says why, beside the field.
    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Lose' }).click();
    const lose = page.getByRole('dialog', { name: 'Mark the lead as lost' });
    await lose.getByRole('button', { name: 'Lose' }).click();
    await lose.locator('#action-lost-reason-error').getByText('Say why the lead was lost.').waitFor();
    assert.equal(await lose.getByLabel('Lost reason').getAttribute('aria-invalid'), 'true');
    await lose.getByLabel('Lost reason').selectOption({ label: 'Too expensive' });
    await lose.getByRole('button', { name: 'Lose' }).click();
    await lose.waitFor({ state: 'hidden' });
    const info = page.getByRole('region', { name: 'Lead information' });
    await info.getByText('Too expensive').waitFor();
    await page.getByRole('status').getByText('The lead is lost.').waitFor();
    assert.deepEqual(await actionButtons(page), ['Archive'], 'no Reactivate without the permission');
    await page.getByText('Reactivating this lead needs the archive.reactivate permission.').waitFor();

    // Archive without a reason, then with one.
    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Archive' }).click();
    const archive = page.getByRole('dialog', { name: 'Archive the lead' });
    await archive.getByRole('button', { name: 'Archive' }).click();
    await archive.locator('#action-reason-error').getByText('Say why the lead is archived.').waitFor();
    await archive.getByLabel('Why is the lead archived?').fill('Moved abroad');
    await archive.getByRole('button', { name: 'Archive' }).click();
    await archive.waitFor({ state: 'hidden' });
    await info.getByText('Moved abroad').waitFor();
    assert.deepEqual(await actionButtons(page), [], 'nothing to do with an archived lead without the permission');

    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql(`SELECT state, archived_at IS NOT NULL, archive_reason FROM leads WHERE id = ${id}`), [['lost', '1', 'Moved abroad']]);

  const keeper = await stack.addUser({ name: 'Kim Keeper', role: 'admin', permissions: ['archive.reactivate'] });
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto(`/leads/${id}`);
    await signIn(page, keeper.email, keeper.password);
    await page.getByRole('heading', { name: `Lana Lifecycle${n}`, level: 1 }).waitFor();
    assert.deepEqual(await actionButtons(page), ['Reactivate']);

    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Reactivate' }).click();
    let dialog = page.getByRole('dialog', { name: 'Reactivate the lead' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(stack.sqlValue(`SELECT archived_at IS NOT NULL FROM leads WHERE id = ${id}`), '1', 'Esc changed nothing');

    // Unarchived it is still lost; reactivating again reopens it.
    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Reactivate' }).click();
    await dialog.getByRole('button', { name: 'Reactivate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').getByText('The lead is active again.').waitFor();
    assert.deepEqual(await actionButtons(page), ['Reactivate', 'Archive']);

    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Reactivate' }).click();
    dialog = page.getByRole('dialog', { name: 'Reactivate the lead' });
    await dialog.getByLabel('Status').selectOption({ label: 'Consultation booked' });
    await dialog.getByRole('button', { name: 'Reactivate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Lead information' }).getByText('Consultation booked').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('button', { name: 'Show history' }).click();
    await history.getByText('Reactivated the lead').first().waitFor();
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql(`SELECT state, archived_at IS NULL FROM leads WHERE id = ${id}`), [['in_progress', '1']]);
});
