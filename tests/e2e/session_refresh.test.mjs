// Journey: the short-lived access token never interrupts work — it is refreshed before it
// runs out, a call that meets a 401 is refreshed and retried once, and when the refresh
// token is no longer accepted the user is sent to sign in again with a word of why.

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

const isPath = (path) => (r) => new URL(r.url()).pathname === path;

test('access_token_is_refreshed_before_it_expires', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.clock.install();
    await page.goto('/');
    const user = await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    // expires_in is 900 s: the client refreshes a minute before, without any user action.
    const refreshed = page.waitForResponse(isPath('/api/v1/auth/refresh'));
    await page.clock.fastForward('14:30');
    const response = await refreshed;
    assert.equal(response.status(), 200);
    assert.equal((await response.json()).user.email, user.email);
    await page.getByRole('banner').getByText(user.name, { exact: true }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }));

test('a_401_is_refreshed_and_the_call_retried_once', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    // The first users call meets an expired token; the next ones reach the server.
    page.expectFailure('/api/v1/settings/users', 401);
    const authorizations = [];
    let first = true;
    await page.route('**/api/v1/settings/users?*', (route) => {
      authorizations.push(route.request().headers()['authorization']);
      if (!first) return route.continue();
      first = false;
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unauthorized', message: 'Token expired' } }),
      });
    });
    const refreshed = page.waitForResponse(isPath('/api/v1/auth/refresh'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    assert.equal((await refreshed).status(), 200);
    await page.getByRole('list', { name: 'Users' }).waitFor();
    assert.equal(authorizations.length, 2, 'one retry');
    assert.notEqual(authorizations[0], authorizations[1], 'the retry carries the new access token');
    assert.match(authorizations[1], /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(page.consoleErrors, []);
  }));

test('a_rejected_refresh_ends_the_session', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    // Both tokens are gone (e.g. signed out elsewhere, or deactivated).
    page.expectFailure('/api/v1/settings/users', 401);
    const unauthorized = (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unauthorized', message: 'Not signed in' } }),
      });
    await page.route('**/api/v1/settings/users?*', unauthorized);
    await page.route('**/api/v1/auth/refresh', unauthorized);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();

    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');

    // Signing in again returns to the screen that was asked for.
    await page.unroute('**/api/v1/settings/users?*');
    await page.unroute('**/api/v1/auth/refresh');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/settings');
    assert.deepEqual(page.consoleErrors, []);
  }));
