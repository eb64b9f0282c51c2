// Shared pieces of the browser journeys: Debian's Chromium through playwright-core, the
// two viewports, a console watcher, a screenshot on failure and the sign-in steps.
// (Not a test file: node --test only picks up *.test.mjs here.)

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../../lib/stack.mjs';

export const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// Chromium logs every 4xx/5xx response as a console error "Failed to load resource: the
// server responded with a status of N". Those are fine only where the journey expects them.
const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d+)/;

/**
 * A fresh context and page at `baseURL`. `page.consoleErrors` collects console errors and
 * uncaught exceptions, except failed responses listed in `expectedFailures`
 * ([{path, status}]): by default a 404 for the favicon, the 401 from
 * POST /api/v1/auth/refresh when the app starts without a session. Add more with
 * `page.expectFailure(path, status)`.
 */
export async function openPage(browser, baseURL, viewportName) {
  const context = await browser.newContext({ ...VIEWPORTS[viewportName], baseURL });
  const page = await context.newPage();
  const expected = [
    { path: '/favicon.svg', status: 404 },
    { path: '/favicon.ico', status: 404 },
    { path: '/api/v1/auth/refresh', status: 401 },
  ];
  page.consoleErrors = [];
  page.expectFailure = (path, status) => expected.push({ path, status });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const failed = FAILED_RESOURCE.exec(msg.text());
    if (failed) {
      const { pathname } = new URL(msg.location().url || baseURL, baseURL);
      const status = Number(failed[1]);
      if (expected.some((e) => e.path === pathname && e.status === status)) return;
    }
    page.consoleErrors.push(`${msg.text()} (${msg.location().url || 'page'})`);
  });
  page.on('pageerror', (err) => page.consoleErrors.push(`uncaught: ${err.message}`));
  return page;
}

function slug(text) {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 120);
}

/** Runs `fn(page)`; on failure saves a full-page screenshot to tests/artifacts/ and rethrows. */
export async function withPage(t, browser, baseURL, viewportName, fn) {
  const page = await openPage(browser, baseURL, viewportName);
  try {
    await fn(page);
  } catch (err) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}${slug(t.fullName ?? t.name)}-${viewportName}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    err.message += `\n  screenshot: ${file}`;
    throw err;
  } finally {
    await page.context().close();
  }
}

/** Fills the sign-in form like a user and returns the signed-in user from the API answer. */
export async function signIn(page, email, password = DEMO_PASSWORD) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  if (response.status() !== 200) {
    throw new Error(`POST /api/v1/auth/login for ${email} answered ${response.status()}: ${await response.text()}`);
  }
  const body = await response.json();
  return body.user;
}

/** The page width the document needs: more than the viewport means horizontal scrolling. */
export function scrollWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
