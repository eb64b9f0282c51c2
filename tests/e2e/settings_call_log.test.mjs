// Journey: an admin edits the call-log thresholds and business calendar; a rule the
// server enforces (abandoned after past due) shows beside its field; and a save over
// another admin's newer change is refused with a way to reload.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
let token; // the admin's access token for checks through the API

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  ({ token } = await stack.login('admin@example.com'));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openCallLogSettings(page) {
  await page.goto('/settings/call-log');
  await signIn(page, 'admin@example.com');
  await page.getByRole('heading', { name: 'Call log', level: 2 }).waitFor();
  const form = page.getByRole('form', { name: 'Call-log settings' });
  await form.getByLabel('Past due after (days)').waitFor();
  return form;
}

async function settingsFromApi() {
  const r = await stack.api('GET', '/api/v1/settings/call-log', { token });
  assert.equal(r.status, 200);
  return r.body;
}

test('admin_edits_call_log_thresholds_and_business_calendar', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    const form = await openCallLogSettings(page);
    assert.equal(await form.getByLabel('Past due after (days)').inputValue(), '2', 'shows the stored values');

    await form.getByLabel('Past due after (days)').fill('4');
    await form.getByLabel('Abandoned after (days)').fill('6');
    await form.getByLabel('Available after (days)').fill('10');
    await form.getByLabel('Count business days only').check();
    await form.getByLabel('Time zone').fill('America/Chicago');
    const days = form.getByRole('group', { name: 'Open weekdays' });
    await days.getByLabel('Friday').uncheck();
    await days.getByLabel('Saturday').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Call-log settings saved.').waitFor();

    const saved = await settingsFromApi();
    assert.deepEqual(
      { ...saved, version: undefined },
      {
        past_due_days: 4,
        abandoned_days: 6,
        available_days: 10,
        business_days: true,
        time_zone: 'America/Chicago',
        open_days: [1, 2, 3, 4, 6],
        version: undefined,
      },
    );
    assert.deepEqual(stack.sql('SELECT past_due_days, abandoned_days, available_days FROM call_log_settings'), [['4', '6', '10']]);

    // A second save in the same form uses the new version (no false conflict).
    await form.getByLabel('Available after (days)').fill('12');
    const [second] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/settings/call-log' && r.request().method() === 'PUT'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    assert.equal(second.status(), 200);
    assert.equal((await settingsFromApi()).available_days, 12);

    // Reloaded, the screen shows what was stored.
    await page.reload();
    await form.getByLabel('Time zone').waitFor();
    assert.equal(await form.getByLabel('Time zone').inputValue(), 'America/Chicago');
    assert.equal(await form.getByLabel('Count business days only').isChecked(), true);
    assert.equal(await days.getByLabel('Friday').isChecked(), false);
    assert.deepEqual(page.consoleErrors, []);
  }));

test('abandoned_not_after_past_due_and_unknown_time_zone_show_beside_their_fields', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/settings/call-log', 400);
    const form = await openCallLogSettings(page);
    const before = await settingsFromApi();

    // Checked in the browser first.
    await form.getByLabel('Past due after (days)').fill('5');
    await form.getByLabel('Abandoned after (days)').fill('5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Must be more days than past due.').waitFor();
    const abandoned = form.getByLabel('Abandoned after (days)');
    assert.equal(await abandoned.getAttribute('aria-invalid'), 'true');
    assert.equal(await abandoned.evaluate((el) => el === document.activeElement), true);

    // Only the server knows its time zones: its answer shows beside Time zone.
    await abandoned.fill('7');
    await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Use a time zone name like America/Chicago.').waitFor();
    assert.equal(await form.getByLabel('Time zone').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await settingsFromApi(), before, 'nothing was stored');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('saving_over_a_newer_change_is_refused_and_offers_a_reload', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/settings/call-log', 412);
    const form = await openCallLogSettings(page);

    // Another admin saves in between.
    const current = await settingsFromApi();
    const other = await stack.api('PUT', '/api/v1/settings/call-log', {
      token,
      json: { ...current, past_due_days: 1, abandoned_days: 30 },
    });
    assert.equal(other.status, 200);

    await form.getByLabel('Available after (days)').fill('9');
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Another admin changed these settings' });
    await alert.waitFor();
    assert.equal((await settingsFromApi()).abandoned_days, 30, 'the other change stands');

    await alert.getByRole('button', { name: 'Reload settings' }).click();
    await page.getByRole('form', { name: 'Call-log settings' }).getByLabel('Abandoned after (days)').waitFor();
    assert.equal(await page.getByLabel('Abandoned after (days)').inputValue(), '30');
    assert.equal(await page.getByLabel('Past due after (days)').inputValue(), '1');
    assert.equal(await alert.count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  }));
