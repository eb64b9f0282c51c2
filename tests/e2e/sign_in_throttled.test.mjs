// Journey: after repeated wrong passwords the sign-in screen says to wait, and for how long.
// (Its own file: the failures it provokes must not slow down any other journey's sign-in.)

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

test('too_many_attempts_shows_when_to_try_again', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    page.expectFailure('/api/v1/auth/login', 401);
    page.expectFailure('/api/v1/auth/login', 429);
    await page.goto('/');
    let last;
    // The per-account back-off starts after 5 failures; nginx may throttle even sooner.
    for (let i = 0; i < 8; i++) {
      await page.getByLabel('E-mail').fill('supervisor@example.com');
      await page.getByLabel('Password').fill(`wrong-${i}`);
      [last] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      if (last.status() === 429) break;
      assert.equal(last.status(), 401);
    }
    assert.equal(last.status(), 429, 'wrong passwords are throttled');
    const retryAfter = Number(last.headers()['retry-after']);
    assert.ok(retryAfter > 0, 'a 429 says when to try again (Retry-After)');

    const alert = page.getByRole('alert');
    await alert.getByText('Too many sign-in attempts.').waitFor();
    const wait = await alert.locator('.retry-after').textContent();
    assert.match(wait, /^Try again in \d+ (seconds?|minutes)\.$/);
    if (wait.includes('second')) {
      const shown = Number(/\d+/.exec(wait)[0]);
      assert.ok(shown <= retryAfter && shown >= retryAfter - 5, `shows ${shown}s for Retry-After ${retryAfter}s`);
    }
    assert.deepEqual(page.consoleErrors, []);
  }));
