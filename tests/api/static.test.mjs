// nginx serving the single-page app from webapp/dist: the shell for every
// client route, long-lived hashed assets, gzip and the security headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack } from '../lib/stack.mjs';

const DIST = join(ROOT, 'webapp', 'dist');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const get = (path, headers = {}) => fetch(stack.url + path, { headers, redirect: 'manual' });
const indexHtml = () => readFileSync(join(DIST, 'index.html'), 'utf8');

function assertSecurityHeaders(res) {
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.match(res.headers.get('referrer-policy') ?? '', /^(no-referrer|strict-origin-when-cross-origin)$/);
}

test('root_serves_the_app_index_html_uncached', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(await res.text(), indexHtml());
  assert.match(res.headers.get('cache-control') ?? '', /no-cache|no-store/);
  assertSecurityHeaders(res);
});

test('client_routes_serve_index_html', async () => {
  for (const path of ['/leads', '/login', '/settings/users', '/leads/123?tab=notes']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /^text\/html/, path);
    assert.equal(await res.text(), indexHtml(), path);
    assert.match(res.headers.get('cache-control') ?? '', /no-cache|no-store/, path);
    assertSecurityHeaders(res);
  }
});

test('hashed_assets_are_cached_for_a_year_and_immutable', async () => {
  const assets = readdirSync(join(DIST, 'assets'));
  assert.ok(assets.length > 0, 'webapp/dist/assets has files');
  for (const name of assets.filter((a) => /\.(js|css)$/.test(a))) {
    const res = await get(`/assets/${name}`);
    assert.equal(res.status, 200, name);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', name);
    assert.match(res.headers.get('content-type'), name.endsWith('.js') ? /javascript/ : /^text\/css/);
    assertSecurityHeaders(res);
    await res.arrayBuffer();
  }
});

test('missing_asset_is_404_not_the_app_shell', async () => {
  const res = await get('/assets/does-not-exist-1234.js');
  assert.equal(res.status, 404);
  assert.doesNotMatch(await res.text(), /<html/i);
  assertSecurityHeaders(res);
});

test('text_assets_and_api_json_are_gzipped', async () => {
  const js = readdirSync(join(DIST, 'assets')).find((a) => a.endsWith('.js'));
  const res = await get(`/assets/${js}`, { 'accept-encoding': 'gzip' });
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  await res.arrayBuffer();
  const admin = await stack.login('admin@example.com');
  const api = await get('/api/v1/settings/users', { 'accept-encoding': 'gzip', authorization: `Bearer ${admin.token}` });
  assert.equal(api.status, 200);
  const body = await api.text();
  if (body.length >= 256) assert.equal(api.headers.get('content-encoding'), 'gzip', 'JSON over 256 bytes is gzipped');
  const plain = await get(`/assets/${js}`, { 'accept-encoding': 'identity' });
  assert.equal(plain.headers.get('content-encoding'), null, 'no gzip when the client does not ask');
  await plain.arrayBuffer();
});

test('index_html_references_only_same_origin_assets', () => {
  // The CSP allows 'self' only: inline scripts or third-party hosts would break the app.
  const html = indexHtml();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>\s*\S/i, 'no inline script');
  assert.doesNotMatch(html, /(src|href)="https?:\/\//i, 'no third-party URLs');
});
