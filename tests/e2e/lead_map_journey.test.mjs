// Journey (issue 10, end to end): an admin builds a map in the editor with one step of each
// of the eight types over two tracks and reorders two steps with the keyboard; an agent on a
// 360 px phone puts a lead on that map and completes every step from the lead page — the
// date on the practice's clock, not the browser's — logs a call attempt that does not reach
// the lead and finds the call on the home screen's "Calls due", then reaches the lead and
// sees the end point; the map's funnel shows the lead at the end point. A step saved after
// someone else changed the lead is refused (412) with a way to reload, and saves after it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, scrollWidth, signIn, withPage } from './lib/browser.mjs';
import { addStep, moveByKeyboard } from './lib/map_editor.mjs';

let stack;
let browser;
let mapId;
let lead;
const MAP = 'Veneers';

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Does `act` and waits for the step, map or attempt write it causes to succeed. */
async function saved(page, act) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/leads\/\d+\/(steps|map)/.test(new URL(r.url()).pathname) && r.request().method() !== 'GET'),
    act(),
  ]);
  assert.ok(response.ok(), `${response.request().method()} ${response.url()} answered ${response.status()}: ${await response.text()}`);
}

const currentTrack = (map) => map.locator('li[aria-current="step"] h3');

test('admin_builds_a_map_with_one_step_of_each_type_and_reorders_two_by_keyboard', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/settings/maps');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Lead maps', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Create map' }).click();
    const form = page.getByRole('form', { name: 'Create map' });
    await form.getByLabel('Name').fill(MAP);
    await form.getByLabel('First track').fill('Intake');
    await form.getByRole('button', { name: 'Create map' }).click();
    await page.getByRole('heading', { name: `Map ${MAP}`, level: 2 }).waitFor();
    mapId = Number(new URL(page.url()).pathname.split('/').at(-1));

    const intake = page.getByRole('group', { name: 'Track Intake', exact: true });
    const plan = await addStep(intake, 'Plan', 'Dropdown');
    await plan.getByLabel('Option 1', { exact: true }).fill('Four veneers');
    await plan.getByRole('button', { name: 'Add option' }).click();
    await plan.getByLabel('Option 2', { exact: true }).fill('Eight veneers');
    const shade = await addStep(intake, 'Shade', 'Radio buttons');
    await shade.getByLabel('Option 1', { exact: true }).fill('BL1');
    await shade.getByRole('button', { name: 'Add option' }).click();
    await shade.getByLabel('Option 2', { exact: true }).fill('A1');
    await addStep(intake, 'Consent signed', 'Checkbox');
    await addStep(intake, 'Consult date', 'Date and time');

    await page.getByLabel('New track name').fill('Treatment');
    await page.getByRole('button', { name: 'Add track' }).click();
    const treatment = page.getByRole('group', { name: 'Track Treatment', exact: true });
    const chance = await addStep(treatment, 'Chance', 'Mirror of a lead field');
    await chance.getByLabel('Bound field').selectOption('probability');
    const video = await addStep(treatment, 'Watch the video', 'Video');
    await video.getByLabel('Video').selectOption({ label: 'Braces explained' });
    const fitting = await addStep(treatment, 'Fitting', 'Schedule');
    await fitting.getByLabel('Schedule kind').selectOption({ label: 'Meeting' });
    const call = await addStep(treatment, 'Follow-up call', 'Call');
    await call.getByLabel('Call attempts').fill('2');
    await call.getByLabel('Minutes between attempts').fill('0');

    // Plan goes below Shade by keyboard alone.
    await moveByKeyboard(page, intake.getByRole('button', { name: 'Move step Plan', exact: true }), 'ArrowDown', 'step Plan', 2);
    assert.deepEqual((await intake.locator('.map-step-title').allTextContents()).slice(0, 2), ['Shade', 'Plan']);

    await page.getByRole('button', { name: 'Save map' }).click();
    await page.getByRole('status').filter({ hasText: 'Map saved.' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }).then(() => {
    const steps = stack.sql(
      `SELECT t.name, s.name, s.type, s.required FROM map_steps s JOIN map_tracks t ON t.id = s.track_id WHERE t.map_id = ${mapId} AND s.active = 1 AND t.active = 1 ORDER BY t.position, s.position`,
    );
    assert.deepEqual(steps, [
      ['Intake', 'Shade', 'radio', '1'],
      ['Intake', 'Plan', 'dropdown', '1'],
      ['Intake', 'Consent signed', 'checkbox', '1'],
      ['Intake', 'Consult date', 'date', '1'],
      ['Treatment', 'Chance', 'mirror', '1'],
      ['Treatment', 'Watch the video', 'video', '1'],
      ['Treatment', 'Fitting', 'schedule', '1'],
      ['Treatment', 'Follow-up call', 'call', '1'],
    ]);
  }));

test('agent_on_a_phone_walks_a_lead_through_every_step_type_to_the_end_point', async (t) => {
  assert.ok(mapId, 'the map of the first test');
  // The practice is in Chicago; the browser is not.
  stack.sql("UPDATE call_log_settings SET time_zone = 'America/Chicago' WHERE id = 1");
  const { token } = await stack.login('agent@example.com');
  const n = String(Date.now()).slice(-6);
  const created = await stack.api('POST', '/api/v1/leads', {
    token,
    json: { first_name: 'Vera', last_name: `Journey${n}`, phones: [`+1 312 555 ${n.slice(-4)}`] },
  });
  assert.equal(created.status, 201, created.text);
  lead = created.body;
  const name = `Vera Journey${n}`;

  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto(`/leads/${lead.id}`);
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    await map.getByText('This lead is on no map.').waitFor();
    await map.getByRole('button', { name: 'Put on a map' }).click();
    await map.getByLabel('Map', { exact: true }).selectOption({ label: MAP });
    await saved(page, () => map.getByRole('button', { name: 'Put on this map' }).click());
    await currentTrack(map).getByText('Intake').waitFor();

    // Intake: radio, dropdown, checkbox, date.
    await saved(page, () => map.getByRole('group', { name: /^Shade/ }).getByLabel('A1').check());
    await saved(page, () => map.getByLabel(/^Plan/).selectOption({ label: 'Eight veneers' }));
    await saved(page, () => map.getByLabel(/^Consent signed/).check());
    const date = map.getByLabel(/^Consult date/);
    await map.getByText('Practice time (America/Chicago)').waitFor();
    await date.fill('2026-12-01T09:30');
    await saved(page, () => map.getByRole('button', { name: 'Save Consult date' }).click());
    await currentTrack(map).getByText('Treatment').waitFor();
    assert.equal(await map.getByLabel(/^Consult date/).inputValue(), '2026-12-01T09:30', 'the control keeps the practice time');

    // Treatment: mirror, video, schedule, call.
    await map.getByRole('textbox', { name: /^Chance/ }).fill('70');
    await saved(page, () => map.getByRole('button', { name: 'Save Chance' }).click());
    await saved(page, () => map.getByRole('button', { name: 'Mark shown: Watch the video' }).click());
    const fitting = map.getByRole('group', { name: /Fitting/ });
    await fitting.getByLabel('Date and time').fill('2026-12-20T15:00');
    await saved(page, () => map.getByRole('button', { name: 'Save Fitting' }).click());
    const call = map.getByRole('form', { name: 'Log an attempt for Follow-up call' });
    await call.getByLabel('Outcome').selectOption({ label: 'No answer' });
    await call.getByLabel('Note (optional)').fill('Voicemail full');
    await saved(page, () => call.getByRole('button', { name: 'Log attempt' }).click());
    const log = map.getByRole('list', { name: 'Attempts logged for Follow-up call' });
    await log.getByText(/No answer · .+ — Voicemail full/).waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'the lead page fits 360 px');

    // The next attempt is due at once (no spacing): it is on the home screen.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    const due = page.getByRole('region', { name: 'Calls due' });
    const row = due.getByRole('listitem').filter({ hasText: name });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${MAP}: Follow-up call · attempt 2 of 2`));
    assert.equal(await row.getByRole('link', { name: /^\+1 312 555/ }).getAttribute('href'), `tel:+1312555${n.slice(-4)}`);
    assert.ok((await scrollWidth(page)) <= 360, 'home fits 360 px');
    // My Current Tasks lists the due call beside the tasks
    await page.getByRole('link', { name: 'All your tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await due.getByRole('listitem').filter({ hasText: name }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await row.getByRole('link', { name }).click();

    await map.getByRole('form', { name: 'Log an attempt for Follow-up call' }).getByLabel('Outcome').selectOption({ label: 'Reached' });
    await saved(page, () => map.getByRole('form', { name: 'Log an attempt for Follow-up call' }).getByRole('button', { name: 'Log attempt' }).click());
    await map.getByText('End point reached').waitFor();
    assert.equal(await map.locator('li[aria-current="step"]').count(), 0, 'no current track at the end point');
    assert.equal(await map.getByRole('form', { name: 'Log an attempt for Follow-up call' }).count(), 0, 'a complete call takes no more attempts');
    assert.equal(await log.getByRole('listitem').count(), 2);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await due.getByRole('heading', { name: 'Calls due' }).waitFor();
    await due.locator('.calls-due-list, p.muted').first().waitFor();
    assert.equal(await due.getByText(name).count(), 0, 'a complete call is no longer due');
    assert.deepEqual(page.consoleErrors, []);
  });

  assert.deepEqual(stack.sql(`SELECT completed_at IS NOT NULL FROM lead_maps WHERE lead_id = ${lead.id}`), [['1']]);
  assert.deepEqual(
    stack.sql(`SELECT s.name, v.value_time FROM lead_step_values v JOIN map_steps s ON s.id = v.step_id WHERE v.lead_id = ${lead.id} AND s.type IN ('date', 'schedule') ORDER BY s.name`),
    [
      ['Consult date', '2026-12-01 15:30:00.000000'],
      ['Fitting', '2026-12-20 21:00:00.000000'],
    ],
    '09:30 and 15:00 in Chicago (UTC-6 in December)',
  );
  assert.deepEqual(stack.sql(`SELECT probability FROM leads WHERE id = ${lead.id}`), [['70']]);
  assert.deepEqual(stack.sql(`SELECT outcome, note FROM lead_call_attempts WHERE lead_id = ${lead.id} ORDER BY id`), [
    ['no_answer', 'Voicemail full'],
    ['reached', null],
  ]);
});

test('the_funnel_shows_the_lead_at_the_end_point', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    assert.ok(lead, 'the lead of the journey');
    await page.goto(`/maps/${mapId}`);
    await signIn(page, 'supervisor@example.com');
    const funnel = page.getByRole('region', { name: `Funnel of ${MAP}` });
    await funnel.locator('canvas').waitFor();
    const table = funnel.getByRole('table', { name: 'Leads per track' });
    const cell = (track) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: track, exact: true }) }).getByRole('cell').first();
    assert.equal(await cell('End point').textContent(), '1');
    assert.equal(await cell('Intake').textContent(), '0');
    assert.equal(await cell('Treatment').textContent(), '0');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('a_step_saved_after_someone_else_changed_the_lead_offers_a_reload', async (t) => {
  assert.ok(mapId, 'the map of the first test');
  const { token } = await stack.login('agent@example.com');
  const created = await stack.api('POST', '/api/v1/leads', { token, json: { first_name: 'Rita', last_name: `Race${String(Date.now()).slice(-6)}`, emails: [`rita${Date.now()}@example.org`] } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  const onMap = await stack.api('PUT', `/api/v1/leads/${id}/map`, { token, json: { map_id: mapId }, headers: { 'If-Match': `"v${created.body.version}"` } });
  assert.equal(onMap.status, 200, onMap.text);
  const consent = stack.sqlValue(`SELECT s.id FROM map_steps s JOIN map_tracks t ON t.id = s.track_id WHERE t.map_id = ${mapId} AND s.name = 'Consent signed'`);

  await withPage(t, browser, stack.url, 'phone', async (page) => {
    page.expectFailure(`/api/v1/leads/${id}/steps/${consent}`, 412);
    await page.goto(`/leads/${id}`);
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    await currentTrack(map).getByText('Intake').waitFor();

    // a colleague edits the lead while it is open here
    const edit = await stack.api('PATCH', `/api/v1/leads/${id}`, { token, json: { probability: 20 }, headers: { 'If-Match': `"v${onMap.body.version}"` } });
    assert.equal(edit.status, 200, edit.text);

    // click, not check(): the refused save leaves the box as it was
    await map.getByLabel(/^Consent signed/).click();
    const alert = map.getByRole('alert').filter({ hasText: 'Someone changed this lead since you loaded it' });
    await alert.waitFor();
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM lead_step_values WHERE lead_id = ${id} AND step_id = ${consent}`), '0', 'nothing saved over the other change');
    await alert.getByRole('button', { name: 'Reload the lead' }).click();
    await page.getByRole('region', { name: 'Lead information' }).getByText('20').first().waitFor();
    const box = map.getByLabel(/^Consent signed/);
    assert.equal(await box.isChecked(), false, 'the refused change is not shown as saved');
    await saved(page, () => box.check());
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.equal(stack.sqlValue(`SELECT done FROM lead_step_values WHERE lead_id = ${id} AND step_id = ${consent}`), '1');
});
