// Journey: an agent opens leads by address and the app stays frugal with the API. The first
// lead page opens with at most three calls (the settings bundle, the lead, its notes), the
// next with at most two (the bundle is held), and the history loads only when opened. When an
// admin renames a status (through the API, or in the settings screens), the next lead opened
// shows the new name, in the lead and in the lists the page offers.
//
// The first two need GET /api/v1/settings/bundle: against a server without it (404) they are
// skipped, saying so (the app then falls back to one request per list).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sleep, startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
let bundleMissing = false;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const { token } = await stack.login('agent@example.com');
  const r = await stack.api('GET', '/api/v1/settings/bundle', { token });
  bundleMissing = r.status === 404;
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const NO_BUNDLE = 'GET /api/v1/settings/bundle answers 404 on this server';

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-7);

/** Creates a lead through the API as the agent. */
async function apiLead(body) {
  const { token } = await stack.login('agent@example.com');
  const r = await stack.api('POST', '/api/v1/leads', { token, json: body });
  assert.equal(r.status, 201, `POST /api/v1/leads: ${r.text}`);
  return r.body;
}

/**
 * Records every request the page makes to /api/v1/ as "METHOD /path" (query left off).
 * `take()` hands over what was recorded since the last take; `idle()` waits until no API
 * request has started for `ms`, so late calls are counted too.
 */
function watchApi(page) {
  let calls = [];
  let lastAt = Date.now();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/v1/')) return;
    calls.push(`${req.method()} ${url.pathname}`);
    lastAt = Date.now();
  });
  return {
    take() {
      const out = calls;
      calls = [];
      return out;
    },
    async idle(ms = 750) {
      while (Date.now() - lastAt < ms) await sleep(50);
    },
  };
}

/** Goes to `path` inside the app, as following a link or the browser's back button does. */
async function openByAddress(page, path) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** Waits until the lead page shows the lead and its notes have loaded. */
async function leadPageShown(page, heading) {
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await page.getByRole('region', { name: 'Notes' }).getByText('No notes yet.').waitFor();
}

/** Signs the agent in at / and waits for the home page to settle. */
async function signInAtHome(page, api) {
  await page.goto('/');
  await signIn(page, 'agent@example.com');
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await api.idle();
  api.take();
}

test('lead_page_opens_with_three_calls_and_the_next_with_two', async (t) => {
  if (bundleMissing) {
    t.skip(NO_BUNDLE);
    return;
  }
  const n = unique();
  const first = await apiLead({ first_name: 'Calls', last_name: `First${n}`, emails: [`calls.first.${n}@example.net`] });
  const second = await apiLead({ first_name: 'Calls', last_name: `Second${n}`, emails: [`calls.second.${n}@example.net`] });

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    const api = watchApi(page);
    await signInAtHome(page, api);

    await openByAddress(page, `/leads/${first.id}`);
    await leadPageShown(page, `Calls First${n}`);
    await api.idle();
    const opening = api.take();
    assert.ok(opening.length <= 3, `the first lead page made ${opening.length} API calls: ${opening.join(', ')}`);
    assert.deepEqual(
      [...opening].sort(),
      ['GET /api/v1/leads/' + first.id, `GET /api/v1/leads/${first.id}/notes`, 'GET /api/v1/settings/bundle'].sort(),
    );

    await openByAddress(page, `/leads/${second.id}`);
    await leadPageShown(page, `Calls Second${n}`);
    await api.idle();
    const next = api.take();
    assert.ok(next.length <= 2, `the second lead page made ${next.length} API calls: ${next.join(', ')}`);
    assert.deepEqual(next.sort(), [`GET /api/v1/leads/${second.id}`, `GET /api/v1/leads/${second.id}/notes`].sort());

    // The history costs one call, when the user asks for it.
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('button', { name: 'Show history' }).click();
    await history.getByText('Created the lead').waitFor();
    await api.idle();
    assert.deepEqual(api.take(), [`GET /api/v1/leads/${second.id}/history`]);
    assert.deepEqual(page.consoleErrors, []);
  });
});

test('status_renamed_by_an_admin_shows_on_the_next_lead_opened', async (t) => {
  if (bundleMissing) {
    t.skip(NO_BUNDLE);
    return;
  }
  const n = unique();
  const admin = await stack.login('admin@example.com');
  const created = await stack.api('POST', '/api/v1/settings/statuses', {
    token: admin.token,
    json: { name: `Waiting ${n}`, state: 'new', color: '#336699' },
  });
  assert.equal(created.status, 201, created.text);
  const status = created.body;
  const first = await apiLead({ first_name: 'Rename', last_name: `First${n}`, status_id: status.id, emails: [`rename.first.${n}@example.net`] });
  const second = await apiLead({ first_name: 'Rename', last_name: `Second${n}`, status_id: status.id, emails: [`rename.second.${n}@example.net`] });

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    const api = watchApi(page);
    await signInAtHome(page, api);

    await openByAddress(page, `/leads/${first.id}`);
    await leadPageShown(page, `Rename First${n}`);
    const info = page.getByRole('region', { name: 'Lead information' });
    await info.getByText(`Waiting ${n}`).waitFor();
    await api.idle();
    api.take();

    // Meanwhile an admin renames the status.
    const renamed = await stack.api('PATCH', `/api/v1/settings/statuses/${status.id}`, {
      token: admin.token,
      json: { name: `Called back ${n}` },
    });
    assert.equal(renamed.status, 200, renamed.text);

    await openByAddress(page, `/leads/${second.id}`);
    await leadPageShown(page, `Rename Second${n}`);
    await info.getByText(`Called back ${n}`).waitFor();
    // The lists the page offers have the new name too: the bundle was loaded again.
    await info.getByRole('button', { name: 'Edit Lead information' }).click();
    await info.getByLabel('Status').locator('option', { hasText: `Called back ${n}` }).waitFor({ state: 'attached' });
    assert.equal(await info.getByLabel('Status').locator('option', { hasText: `Waiting ${n}` }).count(), 0);
    await info.getByRole('button', { name: 'Cancel' }).click();
    await api.idle();
    const calls = api.take();
    assert.ok(calls.includes('GET /api/v1/settings/bundle'), `the bundle is asked for again: ${calls.join(', ')}`);
    assert.ok(calls.length <= 3, `the lead page after the rename made ${calls.length} API calls: ${calls.join(', ')}`);
    assert.deepEqual(page.consoleErrors, []);
  });
});

// This one needs no bundle: a save in the settings screens drops the lists the lead pages
// hold, whichever way they were loaded.
test('status_renamed_in_settings_shows_on_the_next_lead_the_admin_opens', async (t) => {
  const n = unique();
  const admin = await stack.login('admin@example.com');
  const created = await stack.api('POST', '/api/v1/settings/statuses', {
    token: admin.token,
    json: { name: `Pending ${n}`, state: 'new', color: '#996633' },
  });
  assert.equal(created.status, 201, created.text);
  const lead = await apiLead({ first_name: 'Settings', last_name: `Rename${n}`, status_id: created.body.id, emails: [`settings.rename.${n}@example.net`] });

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await openByAddress(page, `/leads/${lead.id}`);
    await leadPageShown(page, `Settings Rename${n}`);
    const info = page.getByRole('region', { name: 'Lead information' });
    await info.getByText(`Pending ${n}`).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Statuses', exact: true }).click();
    await page.getByRole('button', { name: `Edit Pending ${n}` }).click();
    const form = page.getByRole('form', { name: `Edit status Pending ${n}` });
    await form.getByLabel('Name').fill(`Booked ${n}`);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Status “Booked ${n}” saved.`).waitFor();

    await openByAddress(page, `/leads/${lead.id}`);
    await leadPageShown(page, `Settings Rename${n}`);
    await info.getByText(`Booked ${n}`).waitFor();
    await info.getByRole('button', { name: 'Edit Lead information' }).click();
    const status = info.getByLabel('Status');
    await status.locator('option', { hasText: `Booked ${n}` }).waitFor({ state: 'attached' });
    assert.equal(await status.locator('option', { hasText: `Pending ${n}` }).count(), 0, 'the lists were loaded again');
    assert.deepEqual(page.consoleErrors, []);
  });
});
