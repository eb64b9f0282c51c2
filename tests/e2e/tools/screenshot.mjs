#!/usr/bin/env node
// Signs in to a running Leadmap and saves a PNG of a screen, for the README.
//
//   node tests/e2e/tools/screenshot.mjs URL [--email E] [--path /] [--out docs/screenshot.png]
//                                          [--width 1280] [--height 800]
//
// Example: make run DETACH=1 && node tests/e2e/tools/screenshot.mjs http://127.0.0.1:8080
// (Run from the repo with tests/ dependencies installed: make test-deps.)

import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser, signIn } from '../lib/browser.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string', default: 'agent@example.com' },
    password: { type: 'string', default: 'demo1234' },
    path: { type: 'string', default: '/' },
    out: { type: 'string', default: 'docs/screenshot.png' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
  },
});
const url = positionals[0];
if (!url) {
  console.error('usage: node tests/e2e/tools/screenshot.mjs URL [--email E] [--path /] [--out FILE]');
  process.exit(2);
}

const out = resolve(REPO, values.out);
const browser = await launchBrowser();
try {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: Number(values.width), height: Number(values.height) },
  });
  const page = await context.newPage();
  await page.goto('/');
  await signIn(page, values.email, values.password);
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
  if (values.path !== '/') {
    await page.goto(values.path);
    await page.getByRole('banner').waitFor();
    await page.getByRole('heading', { level: 1 }).waitFor();
  }
  // Let loading states settle before the picture.
  await page.waitForLoadState('networkidle');
  await page.locator('.loading').waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  await mkdir(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`saved ${values.out}`);
} finally {
  await browser.close();
}
