// Journey: an admin maintains the settings lists — adds a status and a custom field and
// sees them listed, is told beside the field when a name or key exists already,
// deactivates and reactivates a source, edits a group's geographic rules and a unit's
// members, and adds a lead type with the keyboard only. Every change is checked in the DB.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, signIn, withPage } from './lib/browser.mjs';

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

/** Signs in as the demo admin and opens /settings/<slug> through the settings navigation. */
async function openSection(page, label) {
  await page.goto('/');
  await signIn(page, 'admin@example.com');
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
}

/** The error shown for a control: the text of the element its aria-describedby names last. */
async function errorOf(control) {
  assert.equal(await control.getAttribute('aria-invalid'), 'true', 'the control is marked invalid');
  const ids = (await control.getAttribute('aria-describedby')).split(' ');
  return control.page().locator(`[id="${ids.at(-1)}"]`).textContent();
}

test('admin_adds_a_status_and_sees_it_under_its_state', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Statuses');
    await page.getByRole('button', { name: 'Add status' }).click();
    const form = page.getByRole('form', { name: 'Add status' });
    await form.getByLabel('Name').fill('Qualified');
    await form.getByLabel('Life-cycle state').selectOption({ label: 'In progress' });
    await form.getByLabel('Colour').fill('#ff9800');
    await form.getByRole('button', { name: 'Add status' }).click();
    await page.getByText('Status “Qualified” added.').waitFor();
    assert.equal(await form.count(), 0, 'the add form closes');

    const row = page.getByRole('list', { name: 'In progress statuses' }).getByRole('listitem').filter({ hasText: 'Qualified' });
    await row.waitFor();
    assert.ok((await row.textContent()).includes('#ff9800'), 'listed with its colour');
    assert.equal(await page.getByRole('list', { name: 'New statuses' }).getByRole('listitem').filter({ hasText: 'Qualified' }).count(), 0);
    assert.deepEqual(stack.sql("SELECT state, color, active FROM statuses WHERE name = 'Qualified'"), [
      ['in_progress', '#ff9800', '1'],
    ]);

    // After a reload it is still there (it came from the server, not only from the form).
    await page.reload();
    await page.getByRole('list', { name: 'In progress statuses' }).getByRole('listitem').filter({ hasText: 'Qualified' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }));

test('duplicate_status_name_shows_the_error_beside_the_name', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/settings/statuses', 400);
    await openSection(page, 'Statuses');
    await page.getByRole('button', { name: 'Add status' }).click();
    const form = page.getByRole('form', { name: 'Add status' });
    await form.getByLabel('Name').fill('Won');
    await form.getByLabel('Life-cycle state').selectOption({ label: 'Won' });
    await form.getByRole('button', { name: 'Add status' }).click();

    const name = form.getByLabel('Name');
    await form.getByText('This name exists already.').waitFor();
    assert.equal(await errorOf(name), 'This name exists already.');
    assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'focus moves to the field in error');
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM statuses WHERE name = 'Won'"), '1', 'nothing was added');

    // Fixing the name clears the way: the status is added.
    await name.fill('Won – paid in full');
    await form.getByRole('button', { name: 'Add status' }).click();
    await page.getByRole('list', { name: 'Won statuses' }).getByRole('listitem').filter({ hasText: 'Won – paid in full' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_adds_a_dropdown_custom_field_for_one_lead_type', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Custom fields');
    await page.getByRole('button', { name: 'Add custom field' }).click();
    const form = page.getByRole('form', { name: 'Add custom field' });
    await form.getByLabel('Label').fill('Treatment plan');
    assert.equal(await form.getByLabel('Key').inputValue(), 'treatment_plan', 'the key follows the label');
    await form.getByLabel('Type').selectOption({ label: 'Dropdown' });
    await form.getByLabel('Options').fill('Basic\nPremium\nDeluxe');
    await form.getByLabel('Default value').selectOption('Premium');
    await form.getByRole('group', { name: 'Applies to lead types' }).getByLabel('Orthodontics').check();
    await form.getByRole('button', { name: 'Add custom field' }).click();
    await page.getByText('Custom field “Treatment plan” added.').waitFor();

    const item = page.getByRole('list', { name: 'Custom fields' }).getByRole('listitem').filter({ hasText: 'treatment_plan' });
    const text = await item.textContent();
    assert.ok(text.includes('Treatment plan'), text);
    assert.ok(text.includes('Dropdown'), text);
    assert.ok(text.includes('Options: Basic, Premium, Deluxe'), text);
    assert.ok(text.includes('Default: Premium'), text);
    assert.ok(text.includes('Applies to: Orthodontics'), text);

    const [[id, type, options, fallback]] = stack.sql(
      "SELECT id, type, options, default_value FROM custom_fields WHERE field_key = 'treatment_plan'",
    );
    assert.equal(type, 'dropdown');
    assert.deepEqual(JSON.parse(options), ['Basic', 'Premium', 'Deluxe']);
    assert.equal(JSON.parse(fallback), 'Premium');
    assert.deepEqual(
      stack.sql(`SELECT l.name FROM custom_field_types t JOIN lookups l ON l.id = t.type_id WHERE t.field_id = ${id}`),
      [['Orthodontics']],
    );
    assert.deepEqual(page.consoleErrors, []);
  }));

test('duplicate_custom_field_key_shows_the_error_beside_the_key', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/settings/custom-fields', 400);
    await openSection(page, 'Custom fields');
    await page.getByRole('button', { name: 'Add custom field' }).click();
    const form = page.getByRole('form', { name: 'Add custom field' });
    await form.getByLabel('Label').fill('Insurance');
    await form.getByRole('button', { name: 'Add custom field' }).click();
    await form.getByText('This name exists already.').waitFor();
    assert.equal(await errorOf(form.getByLabel('Key')), 'This name exists already.');
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM custom_fields WHERE field_key = 'insurance'"), '1');

    // A dropdown without options is caught before asking the server, beside Options.
    await form.getByLabel('Key').fill('insurance_2');
    await form.getByLabel('Type').selectOption({ label: 'Radio buttons' });
    await form.getByRole('button', { name: 'Add custom field' }).click();
    assert.equal(await errorOf(form.getByLabel('Options')), 'List at least one option, one per line.');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_deactivates_and_reactivates_a_source_after_confirming', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Lead sources');
    const list = page.getByRole('list', { name: 'Lead sources' });
    const row = list.getByRole('listitem').filter({ hasText: 'Walk-in' });

    // Cancel leaves it alone.
    await row.getByRole('button', { name: 'Deactivate Walk-in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate lead source “Walk-in”?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(stack.sqlValue("SELECT active FROM lookups WHERE kind = 'source' AND name = 'Walk-in'"), '1');

    await row.getByRole('button', { name: 'Deactivate Walk-in' }).click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('Lead source “Walk-in” deactivated.').waitFor();
    await row.getByText('Inactive', { exact: true }).waitFor();
    assert.equal(stack.sqlValue("SELECT active FROM lookups WHERE kind = 'source' AND name = 'Walk-in'"), '0');

    await row.getByRole('button', { name: 'Reactivate Walk-in' }).click();
    await row.getByRole('button', { name: 'Deactivate Walk-in' }).waitFor();
    assert.equal(stack.sqlValue("SELECT active FROM lookups WHERE kind = 'source' AND name = 'Walk-in'"), '1');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_edits_a_groups_geographic_rules_inline', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Groups');
    await page.getByRole('button', { name: 'Edit North Clinic' }).click();
    const form = page.getByRole('form', { name: 'Edit group North Clinic' });
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.getByLabel('Rule 2: match').selectOption({ label: 'Region is' });
    await form.getByLabel('Rule 2: value').fill('WI');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Group “North Clinic” saved.').waitFor();
    await page.getByRole('list', { name: 'Rules of North Clinic' }).getByText('Region is WI').waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Edit North Clinic' }).evaluate((el) => el === document.activeElement),
      true,
      'focus is back on the row’s Edit button',
    );
    assert.deepEqual(
      stack.sql(
        "SELECT r.kind, r.value FROM group_rules r JOIN org_groups g ON g.id = r.group_id WHERE g.name = 'North Clinic' ORDER BY r.position",
      ),
      [
        ['postal_prefix', '627'],
        ['region', 'WI'],
      ],
    );
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_edits_a_units_members_and_cannot_delete_a_unit_in_use', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Units');
    await page.getByRole('button', { name: 'Edit Sales' }).click();
    const form = page.getByRole('form', { name: 'Edit unit Sales' });
    await form.getByRole('group', { name: 'Members' }).getByLabel('Ada Agent').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Unit “Sales” saved.').waitFor();
    const row = page.getByRole('list', { name: 'Units' }).getByRole('listitem').filter({ hasText: 'Sales' });
    await row.getByText('Ada Agent').waitFor();
    const members = () =>
      stack
        .sql("SELECT u.email FROM user_units uu JOIN users u ON u.id = uu.user_id JOIN units n ON n.id = uu.unit_id WHERE n.name = 'Sales'")
        .map(([email]) => email)
        .sort();
    assert.deepEqual(members(), ['agent2@example.com', 'agent@example.com']);

    // Sales has leads assigned: deleting it is refused, the dialog says why, nothing changes.
    page.expectFailure(`/api/v1/settings/units/${stack.sqlValue("SELECT id FROM units WHERE name = 'Sales'")}`, 409);
    await row.getByRole('button', { name: 'Delete Sales' }).click();
    const refuse = page.getByRole('dialog', { name: 'Delete unit “Sales”?' });
    await refuse.getByRole('button', { name: 'Delete' }).click();
    await refuse.getByRole('alert').getByText('Still in use').waitFor();
    await refuse.getByRole('button', { name: 'Cancel' }).click();
    await refuse.waitFor({ state: 'hidden' });
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM units WHERE name = 'Sales'"), '1');
    assert.deepEqual(members(), ['agent2@example.com', 'agent@example.com'], 'the members stay');

    // A new, unused unit can be deleted.
    await page.getByRole('button', { name: 'Add unit' }).click();
    const add = page.getByRole('form', { name: 'Add unit' });
    await add.getByLabel('Name').fill('Night shift');
    await add.getByRole('button', { name: 'Add unit' }).click();
    await page.getByText('Unit “Night shift” added.').waitFor();
    await page.getByRole('button', { name: 'Delete Night shift' }).click();
    await page.getByRole('dialog', { name: 'Delete unit “Night shift”?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Unit “Night shift” deleted.').waitFor();
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM units WHERE name = 'Night shift'"), '0');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('admin_adds_a_lead_type_with_the_keyboard_only', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openSection(page, 'Lead types');
    const add = page.getByRole('button', { name: 'Add lead type' });
    // the button waits for the list (a new item's default position comes after the last)
    await add.and(page.locator('button:enabled')).waitFor();
    await add.focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Add lead type' });
    const name = form.getByLabel('Name');
    await name.waitFor();
    assert.equal(await name.evaluate((el) => el === document.activeElement), true, 'the form takes the focus');
    await page.keyboard.type('Cosmetic dentistry');
    await page.keyboard.press('Enter');
    await page.getByText('Lead type “Cosmetic dentistry” added.').waitFor();
    assert.equal(await add.evaluate((el) => el === document.activeElement), true, 'focus returns to Add lead type');
    // It goes after the others (position 4 after the demo's 1–3).
    assert.deepEqual(stack.sql("SELECT position, active FROM lookups WHERE kind = 'lead_type' AND name = 'Cosmetic dentistry'"), [
      ['4', '1'],
    ]);

    // Escape closes an edit form without saving and gives the focus back.
    const edit = page.getByRole('button', { name: 'Edit Cosmetic dentistry' });
    await edit.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Edit lead type Cosmetic dentistry' }).getByLabel('Name').waitFor();
    await page.keyboard.type(' (changed)');
    await page.keyboard.press('Escape');
    await edit.waitFor();
    assert.equal(await edit.evaluate((el) => el === document.activeElement), true);
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM lookups WHERE name LIKE '%(changed)'"), '0');
    assert.deepEqual(page.consoleErrors, []);
  }));
