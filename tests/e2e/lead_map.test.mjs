// Journey: an agent on a 360 px phone walks demo leads through their maps from the lead page.
// Lead 22 (Orthodontics, first track) gets a dropdown, a video, a mirror, a checkbox, a date,
// a schedule and a call step done and reaches the end point; lead 26 (Implants) gets its
// radio step and enters its next track. A lead on no map is put on one, then moved to
// another after a confirmation. A refused value shows beside its step; a Lead Bank lead shows
// its map without controls. Together the two demo maps use all eight step types.

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

/** Does `act` and waits for the API's answer to the step, map or attempt write it causes. */
async function saved(page, act) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/leads\/\d+\/(steps|map)/.test(new URL(r.url()).pathname) && r.request().method() !== 'GET'),
    act(),
  ]);
  assert.ok(response.ok(), `${response.request().method()} ${response.url()} answered ${response.status()}: ${await response.text()}`);
}

const currentTrack = (map) => map.locator('li[aria-current="step"] h3');

/** Every button, select, text and date input of the map is at least 44 px tall (--tap). */
async function assertTapTargets(map) {
  const small = await map.locator('button, select, input[type="text"], input[type="datetime-local"], .lead-choice').evaluateAll((els) =>
    els
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height > 0 && box.height < 44)
      .map(({ el, box }) => `${el.outerHTML.slice(0, 80)} is ${box.height} px tall`),
  );
  assert.deepEqual(small, []);
}

test('agent_completes_every_step_type_and_the_lead_reaches_the_end_point', async (t) => {
  assert.equal(stack.sqlValue('SELECT COUNT(*) FROM lead_maps WHERE lead_id = 22 AND completed_at IS NULL'), '1');
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/leads/22');
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    await map.getByText('Orthodontics').first().waitFor();
    assert.equal(await currentTrack(map).innerText().then((s) => s.startsWith('Consultation')), true);
    await assertTapTargets(map);

    // Consultation: dropdown, video, mirror (the lead's probability).
    await saved(page, () => map.getByLabel('Treatment option').selectOption({ label: 'Clear aligners' }));
    await saved(page, () => map.getByRole('button', { name: 'Mark shown: Watch: braces explained' }).click());
    await map.getByText('Shown', { exact: true }).waitFor();
    await map.getByRole('textbox', { name: /^Probability/ }).fill('60');
    await saved(page, () => map.getByRole('button', { name: 'Save Probability' }).click());
    await currentTrack(map).getByText('Records').waitFor();
    await page.getByRole('region', { name: 'Lead information' }).getByText('60').first().waitFor();

    // Records: checkbox, date.
    await saved(page, () => map.getByLabel('X-rays taken').check());
    await map.getByLabel('Scan date (required)').fill('2026-12-01T09:30');
    await saved(page, () => map.getByRole('button', { name: 'Save Scan date' }).click());
    await currentTrack(map).getByText('Treatment').waitFor();

    // Treatment: schedule (a phone call), then a call attempt that reaches the lead.
    const fitting = map.getByRole('group', { name: /Fitting appointment/ });
    await fitting.getByLabel('Date and time').fill('2026-12-20T15:00');
    await fitting.getByLabel('Kind').selectOption({ label: 'Phone call' });
    await saved(page, () => map.getByRole('button', { name: 'Save Fitting appointment' }).click());
    const call = map.getByRole('form', { name: 'Log an attempt for Post-fitting check-in' });
    await call.getByLabel('Outcome').selectOption({ label: 'Reached' });
    await call.getByLabel('Note (optional)').fill('Happy with the fit');
    await saved(page, () => call.getByRole('button', { name: 'Log attempt' }).click());

    await map.getByText('End point reached').waitFor();
    assert.equal(await map.locator('li[aria-current="step"]').count(), 0, 'no current track at the end point');
    assert.ok((await scrollWidth(page)) <= 360, 'the page fits 360 px');
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql('SELECT completed_at IS NOT NULL FROM lead_maps WHERE lead_id = 22'), [['1']]);
  assert.deepEqual(stack.sql('SELECT probability FROM leads WHERE id = 22'), [['60']]);
  assert.deepEqual(
    stack.sql("SELECT kind FROM lead_events e JOIN map_steps s ON s.id = e.step_id WHERE e.lead_id = 22 AND s.name = 'Fitting appointment'"),
    [['phone_call']],
  );
  assert.deepEqual(
    stack.sql("SELECT outcome, note FROM lead_call_attempts a JOIN map_steps s ON s.id = a.step_id WHERE a.lead_id = 22 AND s.name = 'Post-fitting check-in'"),
    [['reached', 'Happy with the fit']],
  );
});

test('radio_step_completes_a_track_the_lead_enters_the_next_and_keyboard_changes_save', async (t) => {
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/leads/26');
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    await currentTrack(map).getByText('Assessment').waitFor();
    const density = map.getByRole('group', { name: /Bone density/ });
    await saved(page, () => density.getByLabel('Borderline').check());
    await currentTrack(map).getByText('Plan').waitFor();
    assert.equal(await density.getByLabel('Borderline').isChecked(), true);

    // By keyboard: the arrow moves the choice, it is saved, and focus stays on the radio.
    await density.getByLabel('Borderline').focus();
    await saved(page, () => page.keyboard.press('ArrowDown'));
    assert.equal(await density.getByLabel('Needs a graft').isChecked(), true);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('value')), '3');
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql("SELECT t.name FROM lead_maps m JOIN map_tracks t ON t.id = m.current_track_id WHERE m.lead_id = 26"), [['Plan']]);
  assert.deepEqual(stack.sql("SELECT v.value_num = 3 FROM lead_step_values v JOIN map_steps s ON s.id = v.step_id WHERE v.lead_id = 26 AND s.name = 'Bone density'"), [['1']]);
});

test('refused_mirror_value_shows_its_error_beside_the_step', async (t) => {
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    page.expectFailure('/api/v1/leads/26/steps/9', 400);
    await page.goto('/leads/26');
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    const budget = map.getByRole('textbox', { name: /^Budget/ });
    await budget.fill('a lot');
    await map.getByRole('button', { name: 'Save Budget' }).click();
    const step = map.locator('.lead-map-step').filter({ has: page.getByRole('textbox', { name: /^Budget/ }) });
    await step.getByRole('alert').waitFor();
    assert.match(await step.getByRole('alert').innerText(), /\S/);
    await budget.fill('2500');
    await saved(page, () => map.getByRole('button', { name: 'Save Budget' }).click());
    assert.equal(await step.getByRole('alert').count(), 0, 'the error goes once the value is saved');
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql("SELECT v.value_num = 2500 FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.lead_id = 26 AND f.field_key = 'budget'"), [['1']]);
});

test('lead_bank_lead_shows_its_map_and_end_point_without_controls', async (t) => {
  // Lead 25 is in the Lead Bank with no owner, team or unit, at the end of Orthodontics.
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/leads/25');
    await signIn(page, 'agent2@example.com');
    await page.getByRole('region', { name: 'In the Lead Bank' }).waitFor();
    const map = page.getByRole('region', { name: 'Lead map' });
    await map.getByText('End point reached').waitFor();
    await map.getByText('Treatment option (required) · done: Retainer').waitFor();
    assert.equal(await map.locator('button, select, input, textarea').count(), 0, 'no controls before a claim');
    assert.deepEqual(page.consoleErrors, []);
  });
});

test('agent_puts_a_lead_on_a_map_then_moves_it_after_confirming', async (t) => {
  const n = String(Date.now()).slice(-6);
  const { token } = await stack.login('agent@example.com');
  const created = await stack.api('POST', '/api/v1/leads', {
    token,
    json: { first_name: 'Mara', last_name: `Mapless${n}`, phones: [`+1 555 77${n}`] },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.map, null);
  const id = created.body.id;

  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto(`/leads/${id}`);
    await signIn(page, 'agent@example.com');
    const map = page.getByRole('region', { name: 'Lead map' });
    await map.getByText('This lead is on no map.').waitFor();

    await map.getByRole('button', { name: 'Put on a map' }).click();
    await map.getByLabel('Map', { exact: true }).selectOption({ label: 'Implants' });
    await saved(page, () => map.getByRole('button', { name: 'Put on this map' }).click());
    await currentTrack(map).getByText('Assessment').waitFor();

    await map.getByRole('button', { name: 'Move to another map' }).click();
    await map.getByLabel('Map', { exact: true }).selectOption({ label: 'Orthodontics' });
    await map.getByRole('button', { name: 'Move', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Move to another map' });
    await confirm.getByText('Move this lead from Implants to Orthodontics?').waitFor();
    await saved(page, () => confirm.getByRole('button', { name: 'Move', exact: true }).click());
    await confirm.waitFor({ state: 'hidden' });
    await currentTrack(map).getByText('Consultation').waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'the page fits 360 px');
    assert.deepEqual(page.consoleErrors, []);
  });
  assert.deepEqual(stack.sql(`SELECT m.name FROM lead_maps l JOIN maps m ON m.id = l.map_id WHERE l.lead_id = ${id}`), [['Orthodontics']]);
});
