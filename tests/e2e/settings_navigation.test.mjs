// Journey: finding one's way around the settings. On a phone (360 px) the sections are a
// native select; every section opens, its forms open, and nothing scrolls sideways. On a
// desktop the sections are a list of links that mark the current one; an unknown section
// says so.

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

// [label in the navigation, path, heading of the screen, its "Add …" button or null, and
// what shows once its list has loaded when that is not an Edit button]
const SECTIONS = [
  ['Users', '/settings', 'Users', 'Add user'],
  ['Groups', '/settings/groups', 'Groups', 'Add group'],
  ['Units', '/settings/units', 'Units', 'Add unit'],
  ['Custom fields', '/settings/custom-fields', 'Custom fields', 'Add custom field'],
  ['Lead types', '/settings/lead-types', 'Lead types', 'Add lead type'],
  ['Statuses', '/settings/statuses', 'Statuses', 'Add status'],
  ['Categories', '/settings/categories', 'Categories', 'Add category'],
  ['Priority levels', '/settings/priorities', 'Priority levels', 'Add priority level'],
  ['Importance levels', '/settings/importance-levels', 'Importance levels', 'Add importance level'],
  ['Lead sources', '/settings/sources', 'Lead sources', 'Add lead source'],
  ['Lost reasons', '/settings/lost-reasons', 'Lost reasons', 'Add lost reason'],
  ['Products', '/settings/products', 'Products and services', 'Add product'],
  ['Competitors', '/settings/competitors', 'Competitors', 'Add competitor'],
  ['Call log', '/settings/call-log', 'Call log', null],
  ['Lead maps', '/settings/maps', 'Lead maps', 'Create map', (page) => page.getByRole('list', { name: 'Lead maps' }).getByRole('link', { name: 'Orthodontics' })],
  ['Map videos', '/settings/map-videos', 'Map videos', 'Add video'],
];

async function signInToSettings(page) {
  await page.goto('/');
  await signIn(page, 'admin@example.com');
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
}

test('phone_settings_navigation_works_without_horizontal_scroll', (t) =>
  withPage(t, browser, stack.url, 'phone', async (page) => {
    await signInToSettings(page);
    const nav = page.getByRole('navigation', { name: 'Settings' });
    const select = nav.getByLabel('Settings section');
    assert.equal(await select.isVisible(), true, 'a select on the phone');
    assert.equal(await nav.getByRole('link').count(), 0, 'the link list is hidden on the phone');
    assert.equal(await select.inputValue(), 'users');

    for (const [label, path, heading, addLabel, loaded] of SECTIONS) {
      await select.selectOption({ label });
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
      assert.equal(new URL(page.url()).pathname, path, `${label} is at ${path}`);
      if (addLabel) {
        await page.getByRole('button', { name: addLabel }).first().waitFor();
        // Wait for the list to load before measuring.
        await (loaded ? loaded(page) : page.getByRole('button', { name: /^Edit / }).first()).waitFor();
        await page.getByRole('button', { name: addLabel }).first().click();
        await page.getByRole('form', { name: addLabel }).waitFor();
      } else {
        await page.getByRole('form', { name: 'Call-log settings' }).waitFor();
      }
      assert.ok((await scrollWidth(page)) <= 360, `no horizontal scroll on ${path}`);
    }

    // An edit form with a rule editor and a dialog fit too.
    await select.selectOption({ label: 'Groups' });
    await page.getByRole('button', { name: 'Edit Main Clinic' }).click();
    await page.getByRole('form', { name: 'Edit group Main Clinic' }).getByRole('button', { name: 'Add rule' }).click();
    assert.ok((await scrollWidth(page)) <= 360, 'no horizontal scroll with the rule editor open');
    await page.getByRole('button', { name: 'Delete North Clinic' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete group “North Clinic”?' });
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, 'the dialog fits the screen');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Back and Forward follow the sections.
    await page.goBack();
    await page.getByRole('heading', { name: 'Map videos', level: 2 }).waitFor();
    assert.equal(await select.inputValue(), 'map-videos');
    assert.deepEqual(page.consoleErrors, []);
  }));

test('desktop_settings_navigation_marks_the_current_section', (t) =>
  withPage(t, browser, stack.url, 'desktop', async (page) => {
    await signInToSettings(page);
    const nav = page.getByRole('navigation', { name: 'Settings' });
    assert.equal(await nav.getByLabel('Settings section').isVisible(), false, 'no select on the desktop');
    assert.equal(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current'), 'page');

    for (const [label, path, heading] of SECTIONS) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
      assert.equal(new URL(page.url()).pathname, path);
      assert.equal(await nav.getByRole('link', { name: label, exact: true }).getAttribute('aria-current'), 'page');
      assert.equal(await nav.locator('[aria-current="page"]').count(), 1);
    }

    // A section that does not exist says so and offers the list.
    await page.goto('/settings/nonsense');
    await page.getByRole('heading', { name: 'No such settings section', level: 2 }).waitFor();
    assert.equal(await nav.locator('[aria-current="page"]').count(), 0);
    await page.getByRole('region', { name: 'No such settings section' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('list', { name: 'Users' }).waitFor();
    assert.deepEqual(page.consoleErrors, []);
  }));
