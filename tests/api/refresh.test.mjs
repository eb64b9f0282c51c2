// POST /api/v1/auth/refresh and /api/v1/auth/logout: rotating refresh tokens
// in families; reusing a rotated token revokes the whole family. Both are
// authenticated by a cookie that a browser attaches by itself, so they take
// only same-origin requests that say JSON or X-Requested-With (CSRF).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, refreshCookie, startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

// What the app sends (webapp/src/api/client.ts).
const XHR = { 'x-requested-with': 'XMLHttpRequest' };
const refresh = (cookie, headers = XHR) => stack.api('POST', '/api/v1/auth/refresh', { cookie, headers });
const logout = (cookie, headers = XHR) => stack.api('POST', '/api/v1/auth/logout', { cookie, headers });

// A fresh user per test, so its refresh_tokens rows are this test's alone.
let n = 0;
async function freshLogin() {
  const u = await stack.addUser({ email: `refresh-${++n}@example.com`, password: 'refresh-pass-1' });
  const l = await stack.login(u.email, u.password);
  assert.equal(l.status, 200, JSON.stringify(l.body));
  assert.ok(l.cookie, 'login sets lm_refresh');
  return { ...l, email: u.email, id: l.user.id };
}

const tokens = (userId) =>
  stack.sql(`SELECT id, family_id, rotated_at, revoked_at FROM refresh_tokens WHERE user_id = ${userId} ORDER BY id`);

test('refresh_returns_a_new_access_token_and_rotates_the_cookie', async () => {
  const l = await freshLogin();
  const r = await refresh(l.cookie);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.token_type, 'Bearer');
  assert.equal(r.body.expires_in, 900);
  assert.equal(typeof r.body.access_token, 'string');
  assert.equal(r.body.user.email, l.email);
  const c2 = refreshCookie(r.res);
  assert.ok(c2, 'a new lm_refresh cookie');
  assert.notEqual(c2, l.cookie);
  const me = await stack.api('GET', '/api/v1/me', { token: r.body.access_token });
  assert.equal(me.status, 200, me.text);

  const rows = tokens(l.id);
  assert.equal(rows.length, 2, 'one row per token');
  assert.equal(rows[0][1], rows[1][1], 'same family');
  assert.notEqual(rows[0][2], null, 'the old token is marked rotated');
  assert.equal(rows[1][2], null, 'the new token is not rotated');
  assert.ok(rows.every((row) => row[3] === null), 'nothing revoked');

  // The new cookie works in turn.
  const r3 = await refresh(c2);
  assert.equal(r3.status, 200, r3.text);
  assert.equal(tokens(l.id).length, 3);
});

test('reusing_a_rotated_token_is_401_and_revokes_the_family', async () => {
  const l = await freshLogin();
  const r2 = await refresh(l.cookie);
  assert.equal(r2.status, 200, r2.text);
  const c2 = refreshCookie(r2.res);
  const r3 = await refresh(c2);
  assert.equal(r3.status, 200, r3.text);
  const c3 = refreshCookie(r3.res);

  // l.cookie was rotated already: someone replays it.
  assertEnvelope(assert, await refresh(l.cookie), 401);
  const rows = tokens(l.id);
  assert.ok(rows.length >= 3);
  assert.ok(rows.every((row) => row[3] !== null), `every token of the family is revoked: ${JSON.stringify(rows)}`);
  // The newest token stops working too.
  assertEnvelope(assert, await refresh(c3), 401);
  assertEnvelope(assert, await refresh(c2), 401);
});

test('a_family_revocation_leaves_other_sessions_alone', async () => {
  const l = await freshLogin();
  const other = await stack.login(l.email, 'refresh-pass-1');
  assert.equal(other.status, 200);
  const r2 = await refresh(l.cookie);
  assert.equal(r2.status, 200);
  assert.equal((await refresh(l.cookie)).status, 401, 'reuse detected');
  const r = await refresh(other.cookie);
  assert.equal(r.status, 200, `the other device's session survives: ${r.text}`);
});

test('missing_or_garbage_refresh_cookie_is_401', async () => {
  assertEnvelope(assert, await refresh(undefined), 401);
  assertEnvelope(assert, await refresh('lm_refresh='), 401);
  assertEnvelope(assert, await refresh('lm_refresh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401);
  assertEnvelope(assert, await refresh("lm_refresh=' OR 1=1 -- "), 401);
});

test('expired_refresh_token_is_401', async () => {
  const l = await freshLogin();
  stack.sql(`UPDATE refresh_tokens SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE user_id = ${l.id}`);
  assertEnvelope(assert, await refresh(l.cookie), 401);
});

test('logout_is_204_clears_the_cookie_and_revokes_the_family', async () => {
  const l = await freshLogin();
  const r2 = await refresh(l.cookie);
  const c2 = refreshCookie(r2.res);
  const out = await logout(c2);
  assert.equal(out.status, 204, out.text);
  assert.equal(out.text, '');
  const cleared = out.res.headers.getSetCookie().find((c) => c.startsWith('lm_refresh='));
  assert.ok(cleared, 'logout sends a Set-Cookie for lm_refresh');
  assert.match(cleared, /Max-Age=0|Expires=Thu, 01 Jan 1970/i, `cookie cleared: ${cleared}`);
  assert.match(cleared, /Path=\/api\/v1\/auth/i);
  const rows = tokens(l.id);
  assert.ok(rows.every((row) => row[3] !== null), `family revoked: ${JSON.stringify(rows)}`);
  assertEnvelope(assert, await refresh(c2), 401);
});

test('logout_without_cookie_is_204', async () => {
  const out = await logout(undefined);
  assert.equal(out.status, 204, out.text);
});

test('a_form_post_from_another_site_cannot_log_out_or_refresh', async () => {
  const l = await freshLogin();
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  for (const send of [refresh, logout]) {
    // A foreign Origin, whatever the content type.
    assertEnvelope(assert, await send(l.cookie, form), 403, 'cross_site_request');
    assertEnvelope(assert, await send(l.cookie, { ...XHR, origin: 'https://evil.example' }), 403, 'cross_site_request');
    assertEnvelope(assert, await send(l.cookie, { ...XHR, origin: 'null' }), 403, 'cross_site_request');
    // Sec-Fetch-Site alone (a browser that sends no Origin).
    assertEnvelope(assert, await send(l.cookie, { ...XHR, 'sec-fetch-site': 'cross-site' }), 403, 'cross_site_request');
    assertEnvelope(assert, await send(l.cookie, { ...XHR, 'sec-fetch-site': 'same-site' }), 403, 'cross_site_request');
    // A form content type with no custom header, even without Origin.
    assertEnvelope(assert, await send(l.cookie, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    assertEnvelope(assert, await send(l.cookie, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    assertEnvelope(assert, await send(l.cookie, {}), 415, 'unsupported_media_type');
  }
  // Nothing was revoked or rotated: the session still works.
  const rows = tokens(l.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][2], null, 'not rotated');
  assert.equal(rows[0][3], null, 'not revoked');
  // The app's own request: same origin, X-Requested-With.
  const origin = stack.url;
  const own = await refresh(l.cookie, { ...XHR, origin, 'sec-fetch-site': 'same-origin' });
  assert.equal(own.status, 200, own.text);
  // JSON with no custom header is fine too.
  const json = await refresh(refreshCookie(own.res), { 'content-type': 'application/json', origin });
  assert.equal(json.status, 200, json.text);
  const out = await logout(refreshCookie(json.res), { ...XHR, origin, 'sec-fetch-site': 'same-origin' });
  assert.equal(out.status, 204, out.text);
});

test('a_foreign_origin_is_refused_on_every_unsafe_request', async () => {
  const evil = { origin: 'https://evil.example' };
  const login = await stack.api('POST', '/api/v1/auth/login', {
    json: { email: 'agent@example.com', password: 'demo1234' },
    headers: evil,
  });
  assertEnvelope(assert, login, 403, 'cross_site_request');
  const me = await stack.login('agent@example.com');
  const id = stack.sqlValue('SELECT MIN(id) FROM leads');
  const note = await stack.api('POST', `/api/v1/leads/${id}/notes`, { token: me.token, json: { text: 'x' }, headers: evil });
  assertEnvelope(assert, note, 403, 'cross_site_request');
  // A GET from another site (a link) is not refused.
  const get = await stack.api('GET', '/api/v1/me', { token: me.token, headers: { ...evil, 'sec-fetch-site': 'cross-site' } });
  assert.equal(get.status, 200, get.text);
});
