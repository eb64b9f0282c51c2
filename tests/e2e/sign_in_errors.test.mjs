// Journey: sign-in mistakes are explained where they happen.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { launchBrowser, withPage } from './lib/browser.mjs';

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

test('wrong_password_shows_an_error_and_stays_signed_out', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/auth/login', 401);
    await page.goto('/');
    await page.getByLabel('E-mail').fill('agent2@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(response.status(), 401);
    assert.equal((await response.json()).error.code, 'invalid_credentials');

    const alert = page.getByRole('alert');
    await alert.getByText('The e-mail address or password is not right.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared');
    assert.ok(
      await page.getByLabel('Password').evaluate((el) => el === document.activeElement),
      'focus is back on the password',
    );
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  }));

test('empty_fields_show_errors_next_to_the_fields', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const email = page.getByLabel('E-mail');
    const password = page.getByLabel('Password');
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    // Each message is tied to its field, so it is announced with it.
    const emailError = await email.getAttribute('aria-describedby');
    const passwordError = await password.getAttribute('aria-describedby');
    assert.equal(await page.locator(`#${emailError}`).textContent(), 'Enter your e-mail address.');
    assert.equal(await page.locator(`#${passwordError}`).textContent(), 'Enter your password.');
    assert.ok(await email.evaluate((el) => el === document.activeElement), 'focus goes to the first field in error');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('server_field_errors_show_next_to_the_field', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/auth/login', 400);
    await page.goto('/');
    await page.getByLabel('E-mail').fill('not-an-address');
    await page.getByLabel('Password').fill('whatever');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    const body = await response.json();
    assert.equal(response.status(), 400, 'an address without @ is a validation error (contract)');
    assert.equal(body.error.code, 'validation_failed');
    assert.ok(body.error.fields?.email, 'the server names the e-mail field');
    const email = page.getByLabel('E-mail');
    const errorId = await email.getAttribute('aria-describedby');
    assert.equal(await page.locator(`#${errorId}`).textContent(), body.error.fields.email);
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(page.consoleErrors, []);
  }));
