// Per-account back-off in the C server: after 5 failed logins the account
// answers 429 too_many_attempts with Retry-After, whether the password is
// right or not, until the back-off passes. Its own file and its own stack:
// nginx's per-IP login limit must not interfere.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const login = (email, password) => stack.api('POST', '/api/v1/auth/login', { json: { email, password } });

test('six_wrong_passwords_lock_the_account_with_retry_after', async () => {
  const u = await stack.addUser({ email: 'guessed@example.com', password: 'right-password-1' });
  for (let i = 1; i <= 5; i++) {
    const r = await login(u.email, `wrong-${i}`);
    assertEnvelope(assert, r, 401, 'invalid_credentials');
  }
  const sixth = await login(u.email, 'wrong-6');
  assertEnvelope(assert, sixth, 429, 'too_many_attempts');
  const retry = Number(sixth.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After: ${sixth.headers.get('retry-after')}`);
  assert.ok(Number(stack.sqlValue(`SELECT failed_logins FROM users WHERE email = '${u.email}'`)) >= 5);

  // The right password is refused too while the back-off lasts.
  const right = await login(u.email, u.password);
  assertEnvelope(assert, right, 429, 'too_many_attempts');
  assert.ok(Number(right.headers.get('retry-after')) >= 1);

  // Other accounts are not affected.
  const other = await login('agent@example.com', 'demo1234');
  assert.equal(other.status, 200, other.text);

  // Once the back-off has passed (moved into the past here), the right password works
  // and the counter starts again from zero.
  stack.sql(`UPDATE users SET locked_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE email = '${u.email}'`);
  const later = await login(u.email, u.password);
  assert.equal(later.status, 200, later.text);
  assert.equal(stack.sqlValue(`SELECT failed_logins FROM users WHERE email = '${u.email}'`), '0');
});

test('unknown_account_failures_do_not_create_rows', async () => {
  for (let i = 0; i < 3; i++) assertEnvelope(assert, await login('ghost@example.com', 'x-wrong'), 401, 'invalid_credentials');
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM users WHERE email = 'ghost@example.com'"), '0');
});
