// Journey: an agent signs in, moves around, reloads, signs out — on a desktop and a phone.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

for (const viewport of ['desktop', 'phone']) {
  describe(viewport, () => {
    test('agent_signs_in_navigates_reloads_and_signs_out', (t) =>
      withPage(t, browser, stack.url, viewport, async (page) => {
        await page.goto('/');
        await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login', 'signed out, the app shows /login');

        const user = await signIn(page, 'agent@example.com');
        assert.equal(user.role, 'agent');
        await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/');
        const banner = page.getByRole('banner');
        await banner.getByText(user.name, { exact: true }).waitFor();
        await banner.getByText('Agent', { exact: true }).waitFor();
        await page.getByText(`Welcome, ${user.name}.`).waitFor();
        for (const section of ['My Current Tasks', "Today's schedule", 'Call-log counts']) {
          await page.getByRole('heading', { name: section, level: 2 }).waitFor();
        }

        const nav = page.getByRole('navigation', { name: 'Main' });
        assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Home', 'Call log', 'Leads', 'Lead Bank']);
        await nav.getByRole('link', { name: 'Leads' }).click();
        await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/leads');
        assert.equal(await nav.getByRole('link', { name: 'Leads' }).getAttribute('aria-current'), 'page');
        if (viewport === 'phone') assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll on /leads');

        await nav.getByRole('link', { name: 'Call log' }).click();
        await page.getByRole('heading', { name: 'Call log', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/call-log');
        await page.goBack();
        await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/leads', 'Back returns to the previous screen');

        await page.reload();
        await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
        await page.getByRole('banner').getByText(user.name, { exact: true }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/leads', 'a reload keeps the session and the screen');
        if (viewport === 'phone') assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll after reload');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login');
        await page.getByText('You have signed out.').waitFor();
        if (viewport === 'phone') assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll on /login');

        await page.reload();
        await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'still signed out after reload');
        await page.goto('/leads');
        await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/login', 'a signed-out visit to /leads lands on /login');

        assert.deepEqual(page.consoleErrors, []);
      }));
  });
}

test('phone_home_has_no_horizontal_scroll', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await page.goto('/');
    await signIn(page, 'agent@example.com');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    assert.ok((await scrollWidth(page)) <= 360, `scrollWidth ${await scrollWidth(page)} > 360`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const box = await nav.boundingBox();
    assert.ok(box && box.y + box.height <= 740 && box.y > 600, 'the navigation is a bar at the bottom of the screen');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('sign_in_and_navigation_work_by_keyboard', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    // The e-mail field has focus on arrival (wait for it: the app moves focus after it
    // renders); Tab moves to the password; Enter submits.
    const email = page.getByLabel('E-mail');
    await page.waitForFunction(() => document.activeElement?.getAttribute('type') === 'email' ||
      document.activeElement?.getAttribute('autocomplete') === 'username');
    assert.ok(await email.evaluate((el) => el === document.activeElement), 'the e-mail field has focus');
    await page.keyboard.type('agent@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo1234');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    const leads = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' });
    // Home has links of its own after the heading; the navigation comes first in the page,
    // so Shift+Tab from the heading reaches it quickest.
    for (let i = 0; i < 20 && !(await leads.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Shift+Tab');
    }
    assert.ok(await leads.evaluate((el) => el === document.activeElement), 'the keyboard reaches the Leads link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/leads');
    assert.ok(
      await page.getByRole('heading', { name: 'Leads', level: 1 }).evaluate((el) => el === document.activeElement),
      'focus moves to the new screen heading',
    );
    assert.deepEqual(page.consoleErrors, []);
  }));
