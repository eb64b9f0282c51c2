// Journey: the admin screens for tasks explain what is wrong next to the field that caused
// it — a weekly schedule with no weekday, an end date before the start, a rule without a
// task definition — and the schedule preview follows the choices live ("every 2nd
// Tuesday at 09:00, next: …"), also on a phone without sideways scrolling.

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

test('schedule_and_rule_errors_show_beside_their_fields_and_the_preview_follows_the_choices', async (t) => {
  await withPage(t, browser, stack.url, 'phone', async (page) => {
    page.expectFailure('/api/v1/settings/task-recurrences/preview', 400);
    page.expectFailure('/api/v1/settings/task-recurrences', 400);
    page.expectFailure('/api/v1/settings/task-rules', 400);
    await page.goto('/settings/task-recurrences');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Recurring schedules', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add schedule' }).first().click();
    const form = page.getByRole('form', { name: 'Add schedule' });
    const preview = form.getByRole('status');
    await form.getByLabel('Name').fill('Second Tuesday review');
    await form.getByLabel('Repeats').selectOption('monthly');
    await form.getByLabel('On', { exact: true }).selectOption('nth');
    await form.getByLabel('Which').selectOption('2');
    await form.getByLabel('Weekday').selectOption('TU');
    await form.getByLabel('First date and time').fill('2031-12-01T09:00');
    await form.getByLabel('Time zone').fill('America/Chicago');
    await preview.filter({ hasText: 'every 2nd Tuesday at 09:00, next: 9 Dec, 13 Jan, 10 Feb' }).waitFor();

    // An end date before the start: the preview says so, and so does the save, beside the field.
    await form.getByLabel('Ends').selectOption('until');
    await form.getByLabel('Last date').fill('2031-11-01');
    await preview.filter({ hasText: 'before the start' }).waitFor();
    await form.getByRole('button', { name: 'Add schedule' }).click();
    const untilField = form.getByLabel('Last date');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    assert.equal(await untilField.getAttribute('aria-invalid'), 'true');
    assert.match(await form.locator('.field--invalid').first().innerText(), /before the start/);

    // Weekly with every weekday unticked.
    await form.getByLabel('Ends').selectOption('never');
    await form.getByLabel('Repeats').selectOption('weekly');
    await form.getByLabel('Monday').uncheck();
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await form.getByText('Choose at least one weekday.').waitFor();
    await form.getByLabel('Tuesday').check();
    await preview.filter({ hasText: 'every week on Tuesday at 09:00' }).waitFor();
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await page.locator('.settings-item-name', { hasText: 'Second Tuesday review' }).waitFor();
    assert.ok((await scrollWidth(page)) <= 360, 'the schedules screen fits the phone');
    assert.equal(stack.sqlValue("SELECT rrule FROM task_recurrences WHERE name = 'Second Tuesday review'"), 'FREQ=WEEKLY;INTERVAL=1;BYDAY=TU');

    // A rule cannot be saved without a task definition.
    await page.goto('/settings/task-rules');
    await page.getByRole('heading', { name: 'Task rules', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Add task rule' }).first().click();
    const ruleForm = page.getByRole('form', { name: 'Add task rule' });
    await ruleForm.getByLabel('Name').fill('Orphan rule');
    await ruleForm.getByRole('button', { name: 'Add task rule' }).click();
    await ruleForm.getByText('Choose the task definition this rule creates.').waitFor();
    assert.equal(await ruleForm.getByLabel('Task definition').getAttribute('aria-invalid'), 'true');
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM task_rules WHERE name = 'Orphan rule'"), '0');

    // With a definition it saves, and it only fires for the leads its filters name.
    const definition = stack.sqlValue('SELECT name FROM task_definitions WHERE active = 1 ORDER BY id LIMIT 1');
    const [sourceId, source] = stack.sql("SELECT id, name FROM lookups WHERE kind = 'source' AND active = 1 ORDER BY id LIMIT 1")[0];
    await ruleForm.getByLabel('Task definition').selectOption({ label: definition });
    await ruleForm.getByLabel('Only leads from source').selectOption({ label: source });
    await ruleForm.getByRole('button', { name: 'Add task rule' }).click();
    await page.locator('.settings-item-name', { hasText: 'Orphan rule' }).waitFor();
    assert.deepEqual(stack.sql("SELECT filter_source_id, filter_type_id FROM task_rules WHERE name = 'Orphan rule'"), [[sourceId, null]]);
    assert.ok((await scrollWidth(page)) <= 360, 'the rules screen fits the phone');
    assert.deepEqual(page.consoleErrors, []);
  });
});
