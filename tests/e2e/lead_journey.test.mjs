// Journey: an agent creates a lead through the form, edits a custom field inline, adds a
// note and wins it; an admin then reads all of it in the lead's history. Also: a stale edit
// is refused with an explanation and a reload, and on a phone the lead page fits the screen
// and the new-lead form shows an e-mail error beside the field.

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

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-7);

/** Creates a lead through the API as `email`; resolves the lead and that user's token. */
async function apiLead(email, body) {
  const { token } = await stack.login(email);
  const r = await stack.api('POST', '/api/v1/leads', { token, json: body });
  assert.equal(r.status, 201, `POST /api/v1/leads: ${r.text}`);
  return { lead: r.body, token };
}

test('agent_creates_edits_notes_and_wins_a_lead_and_admin_sees_the_history', async (t) => {
  const n = unique();
  const lastName = `Journey${n}`;
  const phone = `+1 555 31${n.slice(0, 1)} ${n.slice(1)}`;
  let leadId;

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/');
    const agent = await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New lead' }).click();
    await page.getByRole('heading', { name: 'New lead', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/leads/new');

    // Typing an e-mail another lead already has offers it as a possible duplicate.
    const email = page.getByLabel('E-mail 1');
    await email.fill('chloe.okafor2@example.org');
    await page.getByText('Possible duplicate: Chloe Okafor').waitFor();
    await email.fill(`quinn.${n}@example.net`);
    await page.getByText('Possible duplicate: Chloe Okafor').waitFor({ state: 'detached' });

    await page.getByLabel('First name').fill('Quinn');
    await page.getByLabel('Last name').fill(lastName);
    await page.getByLabel('Phone 1').fill(phone);
    await page.getByLabel('Street').fill('12 Elm St');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Postal code').fill('62704');
    await page.getByLabel('Lead type').selectOption({ label: 'New patient' });
    await page.getByLabel('Source').selectOption({ label: 'Referral' });
    // The type's custom fields are there with their defaults.
    assert.ok(await page.getByRole('radio', { name: 'Phone' }).isChecked(), 'Preferred contact defaults to Phone');
    assert.ok(await page.getByLabel('Consent to contact').isChecked(), 'Consent defaults to ticked');
    await page.getByLabel('Insurance').selectOption('Aetna');
    await page.getByRole('checkbox', { name: 'Whitening' }).check();
    await page.getByLabel('Notes on Whitening').fill('Wants it before a wedding');

    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/leads'),
      page.getByRole('button', { name: 'Create lead' }).click(),
    ]);
    assert.equal(created.status(), 201, await created.text());
    leadId = (await created.json()).id;
    await page.getByRole('heading', { name: `Quinn ${lastName}`, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/leads/${leadId}`);

    const demographics = page.getByRole('region', { name: 'Demographics' });
    await demographics.getByText(phone).waitFor();
    await demographics.getByText(`quinn.${n}@example.net`).waitFor();
    await page.getByRole('region', { name: 'Products' }).getByText('Wants it before a wedding').waitFor();

    // Edit a custom field inline.
    const custom = page.getByRole('region', { name: 'Custom fields' });
    await custom.getByText('Aetna').waitFor();
    await custom.getByRole('button', { name: 'Edit Custom fields' }).click();
    await custom.getByLabel('Insurance').selectOption('Cigna');
    const [patched] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/leads/${leadId}`),
      custom.getByRole('button', { name: 'Save' }).click(),
    ]);
    assert.equal(patched.status(), 200, await patched.text());
    assert.deepEqual(JSON.parse(patched.request().postData()), { custom: { insurance: 'Cigna' } }, 'only the changed value is sent');
    assert.equal(patched.request().headers()['if-match'], '"v1"');
    await custom.getByText('Cigna').waitFor();
    await custom.getByRole('button', { name: 'Edit Custom fields' }).waitFor();

    // Add a note.
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByLabel('New note').fill('Called back, she wants the earliest slot.');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.getByText('Called back, she wants the earliest slot.').waitFor();
    assert.equal(await notes.getByLabel('New note').inputValue(), '', 'the note box is emptied');

    // Edit the note: the earlier text stays readable.
    await notes.getByRole('button', { name: /^Edit note/ }).click();
    await notes.getByLabel('Edit note', { exact: true }).fill('Called back, she wants the earliest slot on Monday.');
    await notes.getByRole('button', { name: 'Save note' }).click();
    await notes.getByText('Called back, she wants the earliest slot on Monday.').waitFor();
    await notes.getByText('Earlier versions (1)').click();
    await notes.getByText('Called back, she wants the earliest slot.', { exact: true }).waitFor();

    // The history loads when opened, and follows what happens while it is open.
    const history = page.getByRole('region', { name: 'History' });
    const show = history.getByRole('button', { name: 'Show history' });
    assert.equal(await show.getAttribute('aria-expanded'), 'false');
    await show.click();
    await history.getByRole('button', { name: 'Hide history' }).waitFor();
    await history.getByText('Added a note').waitFor();

    // Win it.
    const actions = page.getByRole('region', { name: 'Actions' });
    assert.deepEqual(await actions.getByRole('button').allTextContents(), ['Accept', 'Win', 'Lose', 'Archive'], 'a new lead of mine can be accepted');
    await actions.getByRole('button', { name: 'Win' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark the lead as won' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Win' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').getByText('The lead is won.').waitFor();
    await page.getByRole('region', { name: 'Lead information' }).getByText('Won', { exact: true }).waitFor();
    assert.deepEqual(await actions.getByRole('button').allTextContents(), ['Complete', 'Convert to account', 'Archive']);

    await history.getByText('Won the lead').waitFor();
    assert.equal(agent.role, 'agent');
    assert.deepEqual(page.consoleErrors, []);
  });

  assert.deepEqual(stack.sql(`SELECT state, last_name FROM leads WHERE id = ${leadId}`), [['won', lastName]]);
  assert.equal(
    stack.sqlValue(
      `SELECT v.value_text FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.lead_id = ${leadId} AND f.field_key = 'insurance'`,
    ),
    'Cigna',
  );

  // Someone else, in another browser context, sees what happened.
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto(`/leads/${leadId}`);
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: `Quinn ${lastName}`, level: 1 }).waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('button', { name: 'Show history' }).click();
    await history.getByText('Won the lead').waitFor();
    const items = history.getByRole('listitem');
    const text = (await items.allTextContents()).join('\n');
    assert.match(text, /Ada Agent\s*Edited the lead\s*Insurance: Aetna\s*→\s*changed to\s*Cigna/, 'the custom field edit, before and after');
    assert.match(text, /Ada Agent\s*Added a note/, 'the note');
    assert.match(text, /Ada Agent\s*Won the lead.*State: New\s*→\s*changed to\s*Won/s, 'the win');
    assert.match(text, /Created the lead/);
    assert.deepEqual(page.consoleErrors, []);
  });
});

test('stale_edit_shows_the_conflict_and_reload_shows_the_other_change', async (t) => {
  const n = unique();
  const { lead, token } = await apiLead('agent@example.com', { first_name: 'Stale', last_name: `Edit${n}`, emails: [`stale.${n}@example.net`] });

  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure(`/api/v1/leads/${lead.id}`, 412);
    await page.goto(`/leads/${lead.id}`);
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: `Stale Edit${n}`, level: 1 }).waitFor();

    const info = page.getByRole('region', { name: 'Lead information' });
    await info.getByRole('button', { name: 'Edit Lead information' }).click();
    await info.getByLabel('Probability to win (0–100 %)').fill('40');

    // Meanwhile someone else changes the lead.
    const other = await stack.api('PATCH', `/api/v1/leads/${lead.id}`, {
      token,
      headers: { 'If-Match': '"v1"' },
      json: { probability: 75 },
    });
    assert.equal(other.status, 200, other.text);

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      info.getByRole('button', { name: 'Save' }).click(),
    ]);
    assert.equal(refused.status(), 412);
    const alert = info.getByRole('alert');
    await alert.getByText('This lead changed since you opened it.').waitFor();
    await alert.getByRole('button', { name: 'Reload' }).click();

    await info.getByText('75 %').waitFor();
    await info.getByRole('button', { name: 'Edit Lead information' }).waitFor();
    assert.equal(await page.getByText('This lead changed since you opened it.').count(), 0);
    assert.equal(stack.sqlValue(`SELECT probability FROM leads WHERE id = ${lead.id}`), '75', 'the other change stands');
    assert.deepEqual(page.consoleErrors, []);
  });
});

test('phone_lead_page_fits_and_new_lead_form_shows_the_email_error_beside_the_field', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    page.expectFailure('/api/v1/leads', 400);
    // A lead with long values everywhere: the page must still fit 360 px.
    const n = unique();
    const { lead } = await apiLead('agent@example.com', {
      first_name: 'Maximiliana-Josephina',
      last_name: `Vanderbergh-Oppenheimer${n}`,
      phones: ['+1 (555) 010-4477 / 12', '+44 20 7946 0958'],
      emails: [`maximiliana.josephina.vanderbergh-oppenheimer.${n}@a-very-long-domain-name.example.com`],
      address: { street: '1234 Extraordinarily Long Boulevard Name Apartment 56B', city: 'Springfield', postal_code: '62704', country: 'US' },
      probability: 60,
      target_amount: '123456789.50',
      products: [{ product_id: 1, notes: 'Asked about financing over twenty-four months with no deposit whatsoever' }],
      custom: { history: 'Penicillin allergy; anxious about needles; prefers morning appointments' },
    });

    await page.goto(`/leads/${lead.id}`);
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: /^Maximiliana-Josephina/, level: 1 }).waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('button', { name: 'Show history' }).click();
    await history.getByText('Created the lead').waitFor();
    assert.ok((await scrollWidth(page)) <= 360, `lead page scrollWidth ${await scrollWidth(page)} > 360`);

    // With forms open as well.
    await page.getByRole('button', { name: 'Edit Demographics' }).click();
    await page.getByRole('button', { name: 'Edit Key dates' }).click();
    await page.getByRole('button', { name: 'Edit Custom fields' }).click();
    await page.getByLabel('Date of birth').waitFor();
    assert.ok((await scrollWidth(page)) <= 360, `lead page with open forms scrollWidth ${await scrollWidth(page)} > 360`);

    await page.goto('/leads/new');
    await page.getByRole('heading', { name: 'New lead', level: 1 }).waitFor();
    await page.getByLabel('Last name').fill(`Phone${n}`);
    await page.getByLabel('Phone 1').fill('+1 555 010 9999');
    await page.getByLabel('E-mail 1').fill('not-an-email');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/leads'),
      page.getByRole('button', { name: 'Create lead' }).click(),
    ]);
    assert.equal(refused.status(), 400);
    const input = page.getByLabel('E-mail 1');
    await page.locator('#new-emails-error').getByText('Enter valid e-mail addresses.').waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.match(await input.getAttribute('aria-describedby'), /new-emails-error/, 'the error is tied to the field');
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'focus moves to the field in error');
    // Beside the field: the message sits right below the e-mail input, not elsewhere on the page.
    const inputBox = await input.boundingBox();
    const errorBox = await page.locator('#new-emails-error').boundingBox();
    assert.ok(errorBox.y >= inputBox.y + inputBox.height && errorBox.y - (inputBox.y + inputBox.height) < 80, 'the error is just below the e-mail input');
    assert.ok((await scrollWidth(page)) <= 360, `new-lead form scrollWidth ${await scrollWidth(page)} > 360`);
    assert.equal(new URL(page.url()).pathname, '/leads/new', 'the form stays');
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM leads WHERE last_name = 'Phone${n}'`), '0');
    assert.deepEqual(page.consoleErrors, []);
  }));
