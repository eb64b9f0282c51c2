// Journey: an admin creates a user with a unit and the archive.reactivate permission; the
// new user signs in in a second browser; the admin deactivates them and their very next
// API call fails, so they end up at the sign-in page (and stay there after a reload).
// Also: the admin resets a password, and cannot deactivate themselves.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, openPage, signIn, withPage } from './lib/browser.mjs';

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

async function openUsers(page) {
  await page.goto('/settings');
  await signIn(page, 'admin@example.com');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('list', { name: 'Users' }).waitFor();
}

function userRow(page, name) {
  return page.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: name });
}

test('created_user_signs_in_and_is_locked_out_once_deactivated', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (admin) => {
    const email = 'nora.nurse@example.com';
    const password = 'nurse-pass-42';
    await openUsers(admin);

    await admin.getByRole('button', { name: 'Add user' }).click();
    const form = admin.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Name').fill('Nora Nurse');
    await form.getByLabel('E-mail').fill(email);
    await form.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await form.getByLabel('Group').selectOption({ label: 'North Clinic' });
    await form.getByLabel('Password', { exact: true }).fill(password);
    await form.getByRole('group', { name: 'Units' }).getByLabel('Sales').check();
    await form.getByLabel('Can reactivate archived leads').check();
    await form.getByRole('button', { name: 'Add user' }).click();
    await admin.getByText('User “Nora Nurse” added.').waitFor();

    const row = userRow(admin, 'Nora Nurse');
    const text = await row.textContent();
    for (const part of [email, 'Supervisor', 'North Clinic', 'Sales', 'Can reactivate archived leads']) {
      assert.ok(text.includes(part), `the row shows ${part}: ${text}`);
    }
    const id = stack.sqlValue(`SELECT id FROM users WHERE email = '${email}'`);
    assert.deepEqual(stack.sql(`SELECT role, active FROM users WHERE id = ${id}`), [['supervisor', '1']]);
    assert.deepEqual(stack.sql(`SELECT n.name FROM user_units uu JOIN units n ON n.id = uu.unit_id WHERE uu.user_id = ${id}`), [
      ['Sales'],
    ]);
    assert.deepEqual(stack.sql(`SELECT permission FROM user_permissions WHERE user_id = ${id}`), [['archive.reactivate']]);

    // The new user signs in in a browser of their own.
    const nora = await openPage(browser, stack.url, 'phone');
    try {
      await nora.goto('/');
      const signedIn = await signIn(nora, email, password);
      assert.equal(signedIn.role, 'supervisor');
      assert.deepEqual(signedIn.permissions, ['archive.reactivate']);
      await nora.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await nora.getByRole('banner').getByText('Nora Nurse', { exact: true }).waitFor();

      // The admin deactivates them, after confirming.
      await row.getByRole('button', { name: 'Deactivate Nora Nurse' }).click();
      const dialog = admin.getByRole('dialog', { name: 'Deactivate user “Nora Nurse”?' });
      await dialog.getByText('signed out at once').waitFor();
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      await admin.getByText('User “Nora Nurse” deactivated.').waitFor();
      await row.getByText('Inactive', { exact: true }).waitFor();
      assert.equal(stack.sqlValue(`SELECT active FROM users WHERE id = ${id}`), '0');

      // Nora's next API call fails: her access token no longer works and the refresh is refused.
      const [failed] = await Promise.all([
        nora.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/call-log'),
        nora.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call log' }).click(),
      ]);
      assert.equal(failed.status(), 401);
      await nora.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await nora.getByText('Your session has ended. Sign in again.').waitFor();
      assert.equal(new URL(nora.url()).pathname, '/login');

      // A reload does not bring the session back.
      const [refresh] = await Promise.all([
        nora.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/refresh'),
        nora.reload(),
      ]);
      assert.equal(refresh.status(), 401);
      await nora.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

      // Nor does signing in again.
      await nora.getByLabel('E-mail').fill(email);
      await nora.getByLabel('Password').fill(password);
      await nora.getByRole('button', { name: 'Sign in' }).click();
      await nora.getByText('The e-mail address or password is not right.').waitFor();
      assert.deepEqual(
        nora.consoleErrors.filter((e) => e.startsWith('uncaught')),
        [],
      );
    } finally {
      await nora.context().close();
    }

    // Reactivated, Nora can sign in again.
    await row.getByRole('button', { name: 'Reactivate Nora Nurse' }).click();
    await row.getByRole('button', { name: 'Deactivate Nora Nurse' }).waitFor();
    assert.equal(stack.sqlValue(`SELECT active FROM users WHERE id = ${id}`), '1');
    assert.equal((await stack.login(email, password)).status, 200);
    assert.deepEqual(admin.consoleErrors, []);
  }));

test('admin_edits_a_user_and_resets_their_password', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await openUsers(page);
    const row = userRow(page, 'Ben Agent');
    await row.getByRole('button', { name: 'Edit Ben Agent' }).click();
    const form = page.getByRole('form', { name: 'Edit user Ben Agent' });
    await form.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await form.getByRole('group', { name: 'Units' }).getByLabel('Front Desk').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('User “Ben Agent” saved.').waitFor();
    assert.deepEqual(stack.sql("SELECT role FROM users WHERE email = 'agent2@example.com'"), [['supervisor']]);
    assert.equal(
      stack.sqlValue(
        "SELECT GROUP_CONCAT(n.name ORDER BY n.name) FROM user_units uu JOIN units n ON n.id = uu.unit_id JOIN users u ON u.id = uu.user_id WHERE u.email = 'agent2@example.com'",
      ),
      'Front Desk,Sales',
    );

    // Too short: said beside the field, nothing sent.
    await row.getByRole('button', { name: 'Reset password for Ben Agent' }).click();
    const reset = page.getByRole('form', { name: 'Reset password of Ben Agent' });
    await reset.getByLabel('New password').fill('short');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByText('Use at least 8 characters.').waitFor();
    await reset.getByLabel('New password').fill('a-brand-new-secret');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('New password set for Ben Agent.').waitFor();
    assert.equal((await stack.login('agent2@example.com', 'a-brand-new-secret')).status, 200);
    assert.equal((await stack.login('agent2@example.com')).status, 401, 'the old password no longer works');

    // The signed-in admin has no Deactivate button on their own row, and cannot change their role.
    const me = userRow(page, 'Alex Admin');
    assert.equal(await me.getByRole('button', { name: /Deactivate/ }).count(), 0);
    await me.getByRole('button', { name: 'Edit Alex Admin' }).click();
    assert.equal(await page.getByRole('form', { name: 'Edit user Alex Admin' }).getByLabel('Role').isDisabled(), true);
    assert.deepEqual(page.consoleErrors, []);
  }));
