// Journey: an admin designs a lead map in the map editor — creates it, adds one step of
// each of the eight types and configures each, reorders two steps with the keyboard
// (dnd-kit's keyboard sensor: focus the handle, Space, ArrowDown, Space), saves, and the
// API holds the new order and each step's settings; a second track moves above the first
// the same way. A save whose map someone else changed meanwhile is refused with a way to
// reload; a step's error shows beside its control. The funnel draws a chart and a table of
// the same numbers, for admins under the editor and for supervisors at /maps. Rules and
// the video library are maintained beside the maps.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, scrollWidth, signIn, withPage } from './lib/browser.mjs';
import { addStep, moveByKeyboard } from './lib/map_editor.mjs';

let stack;
let browser;
let admin;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  admin = await stack.login('admin@example.com');
  assert.equal(admin.status, 200);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Signs in as the demo admin and opens Settings → Lead maps through the navigation. */
async function openMaps(page) {
  await page.goto('/');
  await signIn(page, 'admin@example.com');
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Lead maps', exact: true }).click();
  await page.getByRole('heading', { name: 'Lead maps', level: 2 }).waitFor();
}

async function createMap(page, name, firstTrack) {
  await page.getByRole('button', { name: 'Create map' }).click();
  const form = page.getByRole('form', { name: 'Create map' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('First track').fill(firstTrack);
  await form.getByRole('button', { name: 'Create map' }).click();
  await page.getByRole('heading', { name: `Map ${name}`, level: 2 }).waitFor();
  return Number(new URL(page.url()).pathname.split('/').at(-1));
}

async function mapOf(id) {
  const r = await stack.api('GET', `/api/v1/maps/${id}`, { token: admin.token });
  assert.equal(r.status, 200);
  return r.body;
}

test('admin_builds_a_map_with_every_step_type_and_reorders_by_keyboard', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openMaps(page);
    const id = await createMap(page, 'Whitening', 'Intake');
    const track = page.getByRole('group', { name: 'Track Intake', exact: true });

    const plan = await addStep(track, 'Plan', 'Dropdown');
    await plan.getByLabel('Option 1', { exact: true }).fill('Basic');
    await plan.getByRole('button', { name: 'Add option' }).click();
    await plan.getByLabel('Option 2', { exact: true }).fill('Premium');

    const shade = await addStep(track, 'Shade', 'Radio buttons');
    await shade.getByLabel('Option 1', { exact: true }).fill('A1');
    await shade.getByRole('button', { name: 'Add option' }).click();
    await shade.getByLabel('Option 2', { exact: true }).fill('B2');

    const consent = await addStep(track, 'Consent signed', 'Checkbox');
    await consent.getByLabel('Required').uncheck();
    await addStep(track, 'Consult date', 'Date and time');
    const mirror = await addStep(track, 'Chance', 'Mirror of a lead field');
    await mirror.getByLabel('Bound field').selectOption('probability');
    const video = await addStep(track, 'Watch the video', 'Video');
    await video.getByLabel('Video').selectOption({ label: 'Braces explained' });
    const schedule = await addStep(track, 'Fitting', 'Schedule');
    await schedule.getByLabel('Schedule kind').selectOption({ label: 'Meeting' });
    const call = await addStep(track, 'Follow-up call', 'Call');
    await call.getByLabel('Call attempts').fill('2');
    await call.getByLabel('Minutes between attempts').fill('60');

    // The preview follows the draft: every step with the control an agent will see.
    const preview = page.getByRole('region', { name: "Preview: the agent's view" });
    assert.ok((await preview.textContent()).includes('Consent signed: a checkbox (optional)'));

    // Plan moves below Shade with the keyboard alone.
    await moveByKeyboard(page, track.getByRole('button', { name: 'Move step Plan', exact: true }), 'ArrowDown', 'step Plan', 2);
    const names = await track.locator('.map-step-title').allTextContents();
    assert.deepEqual(names.slice(0, 2), ['Shade', 'Plan'], 'the order on screen changed');

    // A second track, moved above the first with the keyboard.
    await page.getByLabel('New track name').fill('Aftercare');
    await page.getByRole('button', { name: 'Add track' }).click();
    const aftercare = page.getByRole('group', { name: 'Track Aftercare', exact: true });
    await addStep(aftercare, 'Sensitivity check', 'Checkbox');
    await moveByKeyboard(page, page.getByRole('button', { name: 'Move track Aftercare', exact: true }), 'ArrowUp', 'track Aftercare', 1);

    await page.getByRole('button', { name: 'Save map' }).click();
    await page.getByRole('status').filter({ hasText: 'Map saved.' }).waitFor();

    const map = await mapOf(id);
    assert.equal(map.version, 2);
    assert.deepEqual(map.tracks.map((tr) => tr.name), ['Aftercare', 'Intake']);
    assert.deepEqual(map.tracks[0].steps.map((s) => s.name), ['Sensitivity check']);
    map.tracks.shift();
    const steps = map.tracks[0].steps;
    assert.deepEqual(
      steps.map((s) => [s.name, s.type]),
      [
        ['Shade', 'radio'],
        ['Plan', 'dropdown'],
        ['Consent signed', 'checkbox'],
        ['Consult date', 'date'],
        ['Chance', 'mirror'],
        ['Watch the video', 'video'],
        ['Fitting', 'schedule'],
        ['Follow-up call', 'call'],
      ],
    );
    assert.deepEqual(steps[0].options.map((o) => o.label), ['A1', 'B2']);
    assert.deepEqual(steps[1].options.map((o) => o.label), ['Basic', 'Premium']);
    assert.equal(steps[2].required, false);
    assert.equal(steps[4].bound_field, 'probability');
    assert.equal(steps[5].video_id, 1);
    assert.equal(steps[6].schedule_kind, 'meeting');
    assert.equal(steps[7].call_attempts, 2);
    assert.equal(steps[7].call_spacing_minutes, 60);

    // The funnel of the new map: a chart and the table, with the map's one track.
    const funnel = page.getByRole('region', { name: 'Funnel' });
    await funnel.locator('canvas').waitFor();
    const table = funnel.getByRole('table', { name: 'Leads per track' });
    await table.getByRole('rowheader', { name: 'Intake' }).waitFor();
    await table.getByRole('rowheader', { name: 'Aftercare' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }));

test('funnel_shows_leads_per_track_as_a_chart_and_a_table', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openMaps(page);
    await page.getByRole('link', { name: 'Orthodontics' }).click();
    await page.getByRole('heading', { name: 'Map Orthodontics', level: 2 }).waitFor();
    const funnel = page.getByRole('region', { name: 'Funnel' });
    const canvas = funnel.locator('canvas');
    await canvas.waitFor();
    // Chart.js has drawn: the canvas has a size and pixels that are not blank.
    await page.waitForFunction(() => {
      const c = document.querySelector('.funnel canvas');
      if (!c || c.width === 0) return false;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return data.some((v) => v !== 0);
    });

    const api = await stack.api('GET', '/api/v1/maps/1/funnel', { token: admin.token });
    assert.equal(api.status, 200);
    const table = funnel.getByRole('table', { name: 'Leads per track' });
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())),
    );
    let later = api.body.completed;
    const expected = [];
    for (const track of [...api.body.tracks].reverse()) {
      expected.unshift([track.name, String(track.leads), String(later)]);
      later += track.leads;
    }
    expected.push(['End point', String(api.body.completed), '–']);
    assert.deepEqual(rows, expected);
    assert.ok((await canvas.getAttribute('aria-label')).startsWith('Bar chart of leads per track'));
    assert.deepEqual(page.consoleErrors, []);
  }));

test('stale_save_asks_to_reload_and_step_errors_show_beside_the_control', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure(`/api/v1/maps/${2}`, 412);
    await openMaps(page);
    await page.getByRole('link', { name: 'Implants' }).click();
    await page.getByRole('heading', { name: 'Map Implants', level: 2 }).waitFor();
    const before = await mapOf(2);

    // Someone else saves the map meanwhile.
    const other = await stack.api('PUT', '/api/v1/maps/2', {
      token: admin.token,
      headers: { 'If-Match': `"v${before.version}"` },
      json: { name: before.name, active: before.active, tracks: before.tracks },
    });
    assert.equal(other.status, 200);

    await page.getByLabel('Map name').fill('Implants and bridges');
    await page.getByRole('button', { name: 'Save map' }).click();
    await page.getByText('Someone else changed this map; reload it').waitFor();
    assert.equal((await mapOf(2)).name, 'Implants', 'nothing was saved');
    await page.getByRole('button', { name: 'Reload the map' }).click();
    await page.getByLabel('Map name').waitFor();
    assert.equal(await page.getByLabel('Map name').inputValue(), 'Implants');

    // A dropdown with an empty option: the server's error lands beside the option.
    page.expectFailure('/api/v1/maps/2', 400);
    const track = page.getByRole('group', { name: /^Track / }).first();
    const step = await addStep(track, 'Material', 'Dropdown');
    await page.getByRole('button', { name: 'Save map' }).click();
    const option = step.getByLabel('Option 1', { exact: true });
    await step.locator('.field-error').first().waitFor();
    assert.equal(await option.getAttribute('aria-invalid'), 'true');
    assert.equal(await option.evaluate((el) => el === document.activeElement), true, 'focus moves to the field in error');
    assert.equal((await mapOf(2)).version, before.version + 1, 'the invalid map was not saved');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('phone_map_page_fits_360_px', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/settings/maps/1');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Map Orthodontics', level: 2 }).waitFor();
    await page.getByRole('region', { name: 'Funnel' }).locator('canvas').waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll on the map page');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('supervisor_reaches_a_funnel_from_home_and_an_agent_does_not', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    const supervisor = await stack.login('supervisor@example.com');
    const api = await stack.api('GET', '/api/v1/maps/1/funnel', { token: supervisor.token });
    assert.equal(api.status, 200);

    await page.goto('/');
    await signIn(page, 'supervisor@example.com');
    await page.getByRole('link', { name: /^Funnels/ }).click();
    await page.getByRole('link', { name: 'Orthodontics' }).click();
    await page.getByRole('heading', { name: 'Funnel of Orthodontics', level: 2 }).waitFor();
    const funnel = page.getByRole('region', { name: 'Funnel of Orthodontics' });
    await funnel.locator('canvas').waitFor();
    const table = funnel.getByRole('table', { name: 'Leads per track' });
    for (const track of api.body.tracks) {
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: track.name, exact: true }) });
      assert.equal(await row.getByRole('cell').first().textContent(), String(track.leads), track.name);
    }
    assert.equal(await page.getByRole('link', { name: 'Edit this map' }).count(), 0, 'only admins edit maps');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('agent_has_no_access_to_the_funnels', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/maps/1');
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'No access', level: 1 }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^Funnels/ }).count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_adds_and_deletes_an_assignment_rule_and_deletes_an_unused_map', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openMaps(page);
    await page.getByRole('button', { name: 'Add rule' }).click();
    const form = page.getByRole('form', { name: 'Add rule' });
    await form.getByLabel('Custom field').selectOption({ label: 'Service requested' });
    await form.getByLabel('Value').selectOption('Whitening');
    await form.getByLabel('Map').selectOption({ label: 'Implants' });
    await form.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('list', { name: 'Assignment rules' });
    const rule = rules.getByRole('listitem').filter({ hasText: 'Service requested is “Whitening” → Implants' });
    await rule.waitFor();
    assert.deepEqual(stack.sql("SELECT map_id FROM map_rules WHERE value = 'Whitening'"), [['2']]);
    await rule.getByRole('button', { name: /^Delete rule/ }).click();
    await page.getByRole('status').filter({ hasText: 'Rule deleted.' }).waitFor();
    await rule.waitFor({ state: 'detached' });
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM map_rules WHERE value = 'Whitening'"), '0');

    // A map no lead has been on can be deleted.
    const id = await createMap(page, 'Veneers', 'Consult');
    await page.getByRole('button', { name: 'Delete map' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete map “Veneers”?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Lead maps', level: 2 }).waitFor();
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM maps WHERE id = ${id}`), '0');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_adds_a_video_to_the_library_and_a_video_step_offers_it', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openMaps(page);
    await page.getByRole('link', { name: 'video library' }).click();
    await page.getByRole('heading', { name: 'Map videos', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add video' }).click();
    const form = page.getByRole('form', { name: 'Add video' });
    await form.getByLabel('Title').fill('Whitening at home');
    await form.getByLabel('Address (URL)').fill('https://videos.example.com/whitening');
    await form.getByLabel('Description').fill('Two minutes on trays and gels.');
    await form.getByRole('button', { name: 'Add video' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Whitening at home' }).waitFor();
    assert.deepEqual(stack.sql("SELECT url, active FROM map_videos WHERE title = 'Whitening at home'"), [
      ['https://videos.example.com/whitening', '1'],
    ]);

    await page.goto('/settings/maps/1');
    const step = page.getByRole('group', { name: 'Step Watch: braces explained', exact: true });
    await step.getByLabel('Video').locator('option', { hasText: 'Whitening at home' }).waitFor({ state: 'attached' });
    const choices = await step.getByLabel('Video').locator('option').allTextContents();
    assert.ok(choices.includes('Whitening at home'), choices.join(', '));
    assert.deepEqual(page.consoleErrors, []);
  }));
