// Journey (issue 11): an admin creates a task definition, a weekly schedule (reading its
// preview) and a recurring rule in the settings; after `worker --once --now` the agent signs
// in on a 360 px phone, sees the task on the home screen, opens it, reads the Contact
// message, sets it pending with a note, then completed, and the home screen no longer
// lists it.

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

const DAY = 86400_000;
/** The next Monday at least two days ahead, as "YYYY-MM-DD". */
function nextMonday() {
  let d = new Date(Date.now() + 2 * DAY);
  while (d.getUTCDay() !== 1) d = new Date(d.getTime() + DAY);
  return d.toISOString().slice(0, 10);
}
const MONDAY = nextMonday();
const DEFINITION = 'First visit booking call';
const CONTACT = 'Call the patient to welcome them and book the first visit.';
const PENDING = 'Waiting for the patient to choose a date.';

async function openSection(page, label) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
}

test('admin_sets_up_a_weekly_task_and_the_agent_works_it_on_a_phone', async (t) => {
  await withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/settings/task-definitions');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Task definitions', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add task definition' }).first().click();
    const defForm = page.getByRole('form', { name: 'Add task definition' });
    await defForm.getByLabel('Name').fill(DEFINITION);
    await defForm.getByLabel('Contact message').fill(CONTACT);
    await defForm.getByLabel('Pending message').fill(PENDING);
    await defForm.getByLabel('Complete message').fill('The patient is booked.');
    await defForm.getByRole('button', { name: 'Add task definition' }).click();
    await page.locator('.settings-item-name', { hasText: DEFINITION }).waitFor();

    await openSection(page, 'Recurring schedules');
    await page.getByRole('button', { name: 'Add schedule' }).first().click();
    const schedForm = page.getByRole('form', { name: 'Add schedule' });
    await schedForm.getByLabel('Name').fill('Monday welcome calls');
    await schedForm.getByLabel('First date and time').fill(`${MONDAY}T09:00`);
    await schedForm.getByLabel('Time zone').fill('UTC');
    await schedForm.getByRole('status').filter({ hasText: 'every week on Monday at 09:00, next:' }).waitFor();
    await schedForm.getByRole('button', { name: 'Add schedule' }).click();
    await page.locator('.settings-item-name', { hasText: 'Monday welcome calls' }).waitFor();

    await openSection(page, 'Task rules');
    await page.getByRole('button', { name: 'Add task rule' }).first().click();
    const ruleForm = page.getByRole('form', { name: 'Add task rule' });
    await ruleForm.getByLabel('Name').fill('Welcome every Monday');
    await ruleForm.getByLabel('Task definition').selectOption({ label: DEFINITION });
    await ruleForm.getByLabel('When').selectOption('recurring');
    await ruleForm.getByLabel('Schedule').selectOption({ label: 'Monday welcome calls (every week on Monday at 09:00)' });
    await ruleForm.getByLabel('Assign to').selectOption('user');
    await ruleForm.getByLabel('User').selectOption({ label: 'Ada Agent' });
    await ruleForm.getByRole('button', { name: 'Add task rule' }).click();
    await page.locator('.settings-item-name', { hasText: 'Welcome every Monday' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  });

  const run = await stack.leadmap(['worker', '--once', '--now', `${MONDAY}T10:00:00Z`], { timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM tasks t JOIN task_definitions d ON d.id = t.definition_id WHERE d.name = '${DEFINITION}'`), '1');

  await withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/');
    await signIn(page, 'agent@example.com');
    const panel = page.getByRole('region', { name: 'My Current Tasks' });
    const link = panel.getByRole('link', { name: DEFINITION });
    await link.waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'the home screen fits the phone');
    await link.tap();
    await page.getByRole('heading', { name: DEFINITION, level: 1 }).waitFor();
    await page.getByText(CONTACT).waitFor();

    // Pending needs a note: the error is shown beside the note field.
    await page.getByRole('button', { name: 'Set pending' }).tap();
    await page.getByText('a pending task needs a note').waitFor();
    await page.getByLabel('Note').fill('Left a voicemail, will call back Tuesday.');
    await page.getByRole('button', { name: 'Set pending' }).tap();
    await page.getByRole('status').filter({ hasText: 'Task set to Pending.' }).waitFor();
    await page.getByText(PENDING).waitFor();
    assert.equal(
      stack.sqlValue(`SELECT CONCAT(stage, '|', note) FROM tasks t JOIN task_definitions d ON d.id = t.definition_id WHERE d.name = '${DEFINITION}'`),
      'pending|Left a voicemail, will call back Tuesday.',
    );

    await page.getByRole('button', { name: 'Mark completed' }).tap();
    await page.getByRole('status').filter({ hasText: 'Task set to Completed.' }).waitFor();
    await page.getByText('The patient is booked.').waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'the task page fits the phone');

    await page.getByRole('link', { name: 'Back to My Current Tasks' }).tap();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await panel.getByText(/no open or pending tasks|Nothing to do/).or(panel.getByRole('list')).first().waitFor();
    assert.equal(await panel.getByRole('link', { name: DEFINITION }).count(), 0, 'a completed task leaves the list');
    assert.deepEqual(page.consoleErrors, []);
  });
});
