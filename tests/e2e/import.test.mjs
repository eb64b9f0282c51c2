// Journey: an agent imports a small CSV with one bad row and one duplicate through the
// wizard, sees both reported before importing, imports, watches the progress to the end
// and finds the imported lead through the search box by its phone typed another way.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

let stack;
let browser;
let existing;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const { token } = await stack.login('agent@example.com');
  const r = await stack.api('POST', '/api/v1/leads', { token, json: { first_name: 'Ivo', last_name: 'Already', phones: ['+1 555 640 0001'] } });
  assert.equal(r.status, 201, r.text);
  existing = r.body;
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const CSV = ['First name,Last name,Phone,City', 'Greta,Goodrow,555-640-1234,Lakeside', ',,,Nowhere', 'Ivan,Again,(555) 640-0001,'].join('\n');

test('agent_imports_a_csv_sees_the_bad_row_and_the_duplicate_and_finds_the_new_lead', async (t) => {
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/leads');
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import leads', level: 1 }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({ name: 'clinic.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Upload' }).click();

    await page.getByRole('heading', { name: '2. Which column fills which field?' }).waitFor();
    // the headers were matched to fields
    assert.equal(await page.getByLabel('Field for column Phone').inputValue(), 'phone');
    assert.equal(await page.getByLabel('Field for column City').inputValue(), 'city');
    await page.getByRole('button', { name: 'Check the rows' }).click();

    await page.getByRole('heading', { name: '3. Check before importing' }).waitFor();
    assert.match(await page.getByRole('status').first().textContent(), /1 of 3 rows will be imported\. 1 with errors and 1 duplicates will be skipped/);
    const errors = page.locator('.import-errors li');
    assert.equal(await errors.count(), 1);
    assert.match(await errors.first().textContent(), /^Row 2: .*name/i);
    const dup = page.locator('.import-duplicates li');
    assert.match(await dup.first().textContent(), /^Row 3: same phone or e-mail as lead/);
    assert.equal(await dup.first().getByRole('link').getAttribute('href'), `/leads/${existing.id}`);

    await page.getByRole('button', { name: 'Import 1 rows' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByRole('progressbar').getAttribute('value'), '100');
    await page.getByText('Imported 1 leads. Skipped 1 rows with errors and 1 duplicates.').waitFor();

    await page.getByRole('link', { name: 'Go to the leads' }).click();
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    await page.getByLabel('Name, phone or e-mail').fill('(555) 640.1234');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: /Greta Goodrow/ }).waitFor();
  });
});
