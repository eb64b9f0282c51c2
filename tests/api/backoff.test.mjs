// Login back-off in the C server, per (e-mail typed, client address): after
// 5 failed logins that pair answers 429 too_many_attempts with Retry-After,
// whether the password is right or not, until the back-off passes. An
// unknown e-mail answers exactly like a known one, and a stranger at another
// address cannot lock the owner out. Its own file and its own stack: nginx's
// per-IP login limit must not interfere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { assertEnvelope, startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const login = (email, password) => stack.api('POST', '/api/v1/auth/login', { json: { email, password } });
const failures = (email, ip = '127.0.0.1') =>
  stack.sqlValue(`SELECT failures FROM login_failures WHERE email_hash = SHA2(LOWER('${email}'), 256) AND ip = '${ip}'`);

test('six_wrong_passwords_lock_the_account_from_that_address_with_retry_after', async () => {
  const u = await stack.addUser({ email: 'guessed@example.com', password: 'right-password-1' });
  for (let i = 1; i <= 5; i++) {
    const r = await login(u.email, `wrong-${i}`);
    assertEnvelope(assert, r, 401, 'invalid_credentials');
  }
  const sixth = await login(u.email, 'wrong-6');
  assertEnvelope(assert, sixth, 429, 'too_many_attempts');
  const retry = Number(sixth.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After: ${sixth.headers.get('retry-after')}`);
  assert.equal(failures(u.email), '5');

  // The right password is refused too while the back-off lasts.
  const right = await login(u.email, u.password);
  assertEnvelope(assert, right, 429, 'too_many_attempts');
  assert.ok(Number(right.headers.get('retry-after')) >= 1);

  // Other accounts are not affected.
  const other = await login('agent@example.com', 'demo1234');
  assert.equal(other.status, 200, other.text);

  // Once the back-off has passed (moved into the past here), the right password works
  // and the count starts again from zero.
  stack.sql('UPDATE login_failures SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND');
  const later = await login(u.email, u.password);
  assert.equal(later.status, 200, later.text);
  assert.equal(failures(u.email), undefined);
});

test('an_unknown_account_answers_exactly_like_a_known_one', async () => {
  const known = await stack.addUser({ email: 'known.one@example.com', password: 'known-password-1' });
  const unknown = 'nobody.here@example.com';
  const timed = async (email, password) => {
    const t0 = process.hrtime.bigint();
    const r = await login(email, password);
    return { r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  };
  const times = { known: [], unknown: [] };
  for (let i = 1; i <= 5; i++) {
    const k = await timed(known.email, `wrong-${i}`);
    const u = await timed(unknown, `wrong-${i}`);
    assertEnvelope(assert, k.r, 401, 'invalid_credentials');
    assertEnvelope(assert, u.r, 401, 'invalid_credentials');
    assert.equal(u.r.text, k.r.text, 'same body');
    assert.equal(u.r.headers.get('retry-after'), k.r.headers.get('retry-after'));
    times.known.push(k.ms);
    times.unknown.push(u.ms);
  }
  const k6 = await login(known.email, 'wrong-6');
  const u6 = await login(unknown, 'wrong-6');
  assertEnvelope(assert, k6, 429, 'too_many_attempts');
  assertEnvelope(assert, u6, 429, 'too_many_attempts');
  assert.equal(u6.text, k6.text, 'same body');
  assert.ok(Math.abs(Number(u6.headers.get('retry-after')) - Number(k6.headers.get('retry-after'))) <= 1);

  // A wrong password costs a password hash; so does an unknown e-mail (a dummy
  // hash). Without it the unknown answer would take a small fraction of the time.
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  assert.ok(
    median(times.unknown) > 0.4 * median(times.known),
    `unknown ${median(times.unknown).toFixed(1)} ms vs known ${median(times.known).toFixed(1)} ms`,
  );
  // The unknown address is counted only as a hash, never in clear, and no user appears.
  assert.equal(failures(unknown), '5');
  assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM login_failures WHERE email_hash LIKE '%nobody%'`), '0');
  assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM users WHERE email = '${unknown}'`), '0');
});

test('a_stranger_at_another_address_cannot_lock_the_owner_out', async () => {
  const u = await stack.addUser({ email: 'owner@example.com', password: 'owner-password-1' });
  const stranger = (password) =>
    fcgiRequest(stack, 'POST', '/api/v1/auth/login', { remoteAddr: '203.0.113.9', json: { email: u.email, password } });
  for (let i = 1; i <= 5; i++) assert.equal((await stranger(`guess-${i}`)).status, 401);
  const locked = await stranger('guess-6');
  assert.equal(locked.status, 429, locked.text);
  assert.ok(Number(locked.headers['retry-after']) >= 1);
  assert.equal(failures(u.email, '203.0.113.9'), '5');
  // Even the right password is refused from the stranger's address …
  assert.equal((await stranger(u.password)).status, 429);
  // … while the owner, at their own address, signs in.
  const owner = await login(u.email, u.password);
  assert.equal(owner.status, 200, owner.text);
});
