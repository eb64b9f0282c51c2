// A password change ends the user's live sessions at once: access tokens
// issued before it get 401 (not only after their 15 minutes), even in the
// same second (tokens carry users.token_generation as `gen`), refresh
// tokens are revoked. And no query value may be longer than 256 bytes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('an_admin_password_reset_ends_the_users_live_access_tokens', async () => {
  const u = await stack.addUser({ email: 'reset.me@example.com', password: 'first-pass-1' });
  const old = await stack.login(u.email, u.password);
  assert.equal(old.status, 200);
  assert.equal((await stack.api('GET', '/api/v1/me', { token: old.token })).status, 200);
  const admin = await stack.login('admin@example.com', 'demo1234');
  const r = await stack.api('POST', `/api/v1/settings/users/${old.user.id}/password`, {
    token: admin.token,
    json: { password: 'second-pass-2' },
  });
  assert.equal(r.status, 204, r.text);
  assertEnvelope(assert, await stack.api('GET', '/api/v1/me', { token: old.token }), 401, 'unauthorized');
  const refreshed = await stack.api('POST', '/api/v1/auth/refresh', { cookie: old.cookie, headers: { 'x-requested-with': 'XMLHttpRequest' } });
  assertEnvelope(assert, refreshed, 401, 'unauthorized');
  const fresh = await stack.login(u.email, 'second-pass-2');
  assert.equal(fresh.status, 200);
  assert.equal((await stack.api('GET', '/api/v1/me', { token: fresh.token })).status, 200);
});

test('the_cli_passwd_ends_live_access_tokens_too', async () => {
  const u = await stack.addUser({ email: 'cli.reset@example.com', password: 'first-pass-1' });
  const old = await stack.login(u.email, u.password);
  const r = await stack.leadmap(['user', 'passwd', '--email', u.email], { input: 'second-pass-2\n' });
  assert.equal(r.code, 0, r.stderr);
  assertEnvelope(assert, await stack.api('GET', '/api/v1/me', { token: old.token }), 401, 'unauthorized');
});

test('a_token_issued_in_the_same_second_as_a_password_reset_is_refused_every_time', async () => {
  const u = await stack.addUser({ email: 'same.second@example.com', password: 'pass-0-abcdef' });
  const admin = await stack.login('admin@example.com', 'demo1234');
  for (let i = 0; i < 5; i++) {
    // Wait for the start of a second so that login and reset share it.
    await sleep(1000 - (Date.now() % 1000) + 5);
    const old = await stack.login(u.email, `pass-${i}-abcdef`);
    assert.equal(old.status, 200, JSON.stringify(old.body));
    const r = await stack.api('POST', `/api/v1/settings/users/${old.user.id}/password`, {
      token: admin.token,
      json: { password: `pass-${i + 1}-abcdef` },
    });
    assert.equal(r.status, 204, r.text);
    const me = await stack.api('GET', '/api/v1/me', { token: old.token });
    assertEnvelope(assert, me, 401, 'unauthorized');
  }
  // A token issued after the reset, in the same second, works.
  const fresh = await stack.login(u.email, 'pass-5-abcdef');
  assert.equal((await stack.api('GET', '/api/v1/me', { token: fresh.token })).status, 200);
});

test('a_deactivation_ends_tokens_for_good_even_after_reactivation', async () => {
  const u = await stack.addUser({ email: 'off.on@example.com', password: 'off-on-pass-1' });
  const old = await stack.login(u.email, u.password);
  const admin = await stack.login('admin@example.com', 'demo1234');
  const off = await stack.api('PATCH', `/api/v1/settings/users/${old.user.id}`, { token: admin.token, json: { active: false } });
  assert.equal(off.status, 200, off.text);
  const on = await stack.api('PATCH', `/api/v1/settings/users/${old.user.id}`, { token: admin.token, json: { active: true } });
  assert.equal(on.status, 200, on.text);
  assertEnvelope(assert, await stack.api('GET', '/api/v1/me', { token: old.token }), 401, 'unauthorized');
});

test('an_over_long_query_value_is_400_naming_it', async () => {
  const admin = await stack.login('admin@example.com', 'demo1234');
  const id = stack.sqlValue('SELECT MIN(id) FROM leads');
  for (const path of [`/api/v1/leads/${id}/history?limit=${'1'.repeat(300)}`, `/api/v1/calendar/events?from=${'2'.repeat(300)}`, `/api/v1/settings/users?after=${'3'.repeat(300)}`]) {
    const r = await stack.api('GET', path, { token: admin.token });
    assertEnvelope(assert, r, 400, 'validation_failed');
    const name = path.split('?')[1].split('=')[0];
    assert.equal(r.body.error.fields[name], 'Too long.', r.text);
  }
});

test('a_nul_byte_or_a_bad_custom_field_key_in_the_query_is_400_naming_it', async () => {
  const admin = await stack.login('admin@example.com', 'demo1234');
  const longKey = `cf.${'k'.repeat(65)}`;
  for (const [query, name] of [
    ['state=new%00x', 'state'],
    ['q=ann%00', 'q'],
    ['cf.=1', 'cf.'],
    [`${longKey}=x`, longKey],
  ]) {
    const r = await stack.api('GET', `/api/v1/leads?${query}`, { token: admin.token });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.equal(typeof r.body.error.fields?.[name], 'string', `${query}: ${r.text}`);
  }
  // The same values without the fault are accepted.
  assert.equal((await stack.api('GET', '/api/v1/leads?state=new', { token: admin.token })).status, 200);
});
