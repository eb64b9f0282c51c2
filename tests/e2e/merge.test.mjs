// Journey: an agent creating a lead whose phone another lead has is told so and can open
// it or create the lead anyway; and an agent merges two leads on the merge screen,
// picking the surviving value of a differing field, after which the merged-away lead
// sends its readers to the survivor.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
let token;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  ({ token } = await stack.login('agent@example.com'));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-6);

async function apiLead(body) {
  const r = await stack.api('POST', '/api/v1/leads?allow_duplicate=true', { token, json: body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('new_lead_with_a_known_phone_lists_the_existing_lead_and_creates_it_anyway', async (t) => {
  const n = unique();
  const existing = await apiLead({ first_name: 'Hanna', last_name: `Known${n}`, phones: [`+1 555 72${n.slice(0, 1)} ${n.slice(1, 5)}`] });
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/leads/new');
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'New lead', level: 1 }).waitFor();
    await page.getByLabel('First name').fill('Hannah');
    await page.getByLabel('Last name').fill(`Again${n}`);
    // the same number typed another way
    await page.getByLabel('Phone 1').fill(`(555) 72${n.slice(0, 1)}-${n.slice(1, 5)}`);
    await page.getByRole('button', { name: 'Create lead' }).click();
    const found = page.getByRole('region', { name: 'This lead may exist already' });
    await found.waitFor();
    const link = found.getByRole('link', { name: `Hanna Known${n}` });
    assert.equal(await link.getAttribute('href'), `/leads/${existing.id}`);
    assert.match(await found.textContent(), /same phone/);
    await found.getByRole('button', { name: 'Create anyway' }).click();
    await page.getByRole('heading', { name: `Hannah Again${n}`, level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/leads\/\d+$/);
    assert.notEqual(new URL(page.url()).pathname, `/leads/${existing.id}`);
  });
});

test('agent_merges_two_leads_picking_a_value_per_differing_field', async (t) => {
  const n = unique();
  const keep = await apiLead({ first_name: 'Marta', last_name: `Keeper${n}`, emails: [`marta.${n}@example.org`] });
  const other = await apiLead({
    first_name: 'Marta',
    last_name: `Otherside${n}`,
    emails: [`m.other.${n}@example.org`],
    address: { street: '9 Birch Rd', city: 'Riverton', postal_code: '55501' },
  });
  const note = await stack.api('POST', `/api/v1/leads/${other.id}/notes`, { token, json: { body: `Met at the fair ${n}` } });
  assert.equal(note.status, 201, note.text);

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto(`/leads/${keep.id}`);
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: `Marta Keeper${n}`, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Merge another lead into this one' }).click();
    await page.getByRole('heading', { name: 'Merge leads', level: 1 }).waitFor();
    await page.getByLabel('Name, phone or e-mail').fill(`m.other.${n}@example.org`);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Merge Marta Otherside${n} into this lead` }).click();

    // two columns; the differing last name offers both values, the same first name none
    const table = page.getByRole('table');
    await table.waitFor();
    assert.equal(await page.getByRole('radio', { name: `Keeper${n} for Last name` }).isChecked(), true, 'the survivor\'s value by default');
    await page.getByRole('radio', { name: `Otherside${n} for Last name` }).check();
    assert.equal(await page.getByRole('radio', { name: /Riverton.* for Address/ }).isChecked(), true, 'an empty value gives way');
    await page.getByRole('radio', { name: 'Keep both for E-mails' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: /for First name/ }).count(), 0);
    await page.getByRole('button', { name: 'Merge leads' }).click();

    await page.getByRole('heading', { name: `Marta Otherside${n}`, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/leads/${keep.id}`);
    await page.getByText(`Met at the fair ${n}`).waitFor();

    // the merged-away lead's address now opens the survivor
    await page.goto(`/leads/${other.id}`);
    await page.getByRole('heading', { name: `Marta Otherside${n}`, level: 1 }).waitFor();
    await page.waitForURL((url) => url.pathname === `/leads/${keep.id}`);
  });

  const gone = await stack.api('GET', `/api/v1/leads/${other.id}`, { token });
  assert.equal(gone.status, 301);
  assert.equal(gone.headers.get('location'), `/api/v1/leads/${keep.id}`);
  const merged = (await stack.api('GET', `/api/v1/leads/${keep.id}`, { token })).body;
  assert.deepEqual(merged.emails.sort(), [`m.other.${n}@example.org`, `marta.${n}@example.org`].sort());
  assert.equal(merged.address.city, 'Riverton');
});
