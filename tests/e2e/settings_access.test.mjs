// Journey: Settings is for admins — they see the users list; agents do not see the screen.

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

const DEMO_EMAILS = ['admin@example.com', 'supervisor@example.com', 'agent@example.com', 'agent2@example.com'];

for (const viewport of ['desktop', 'phone']) {
  test(`admin_sees_settings_with_the_users_list (${viewport})`, (t) =>
    withPage(t, browser, stack.url, viewport, async (page) => {
      await page.goto('/');
      const user = await signIn(page, 'admin@example.com');
      assert.equal(user.role, 'admin');
      await page.getByRole('banner').getByText('Admin', { exact: true }).waitFor();

      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/settings');

      const list = page.getByRole('list', { name: 'Users' });
      await list.waitFor();
      const text = await list.textContent();
      for (const email of DEMO_EMAILS) assert.ok(text.includes(email), `the users list shows ${email}`);
      assert.ok(text.includes(user.name), 'and the admin by name');
      if (viewport === 'phone') assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll on /settings');

      await page.reload();
      await page.getByRole('list', { name: 'Users' }).waitFor();
      assert.deepEqual(page.consoleErrors, []);
    }));
}

test('agent_does_not_see_settings', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/');
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Settings' }).count(), 0, 'no Settings link for an agent');

    // Typing the address does not help: the screen says so and asks the API for nothing.
    let asked = false;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/v1/settings/')) asked = true;
    });
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'No access', level: 1 }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Settings' }).count(), 0);
    assert.equal(await page.getByRole('list', { name: 'Users' }).count(), 0);
    assert.equal(asked, false);
    assert.deepEqual(page.consoleErrors, []);
  }));
