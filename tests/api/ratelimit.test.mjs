// nginx's per-IP limit on POST /api/v1/auth/login (limit_req 10 r/s, burst 20):
// a burst of parallel logins gets some 429s with the JSON envelope. Its own
// stack, so the spent limit does not leak into other files.
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

test('a_burst_of_60_parallel_logins_is_partly_refused_with_429_envelope', async () => {
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      stack.api('POST', '/api/v1/auth/login', { json: { email: `burst-${i}@example.com`, password: 'whatever-1' } }),
    ),
  );
  const limited = results.filter((r) => r.status === 429);
  const passed = results.filter((r) => r.status === 401);
  assert.ok(limited.length > 0, 'some requests are rate-limited');
  assert.ok(passed.length > 0, 'the burst allowance lets some through');
  assert.equal(limited.length + passed.length, 60, `only 401/429: ${results.map((r) => r.status)}`);
  for (const r of limited) {
    assertEnvelope(assert, r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After on the nginx 429');
    assert.ok(r.headers.get('content-security-policy'), 'security headers on the 429');
  }
});

test('other_api_routes_are_not_login_limited', async () => {
  const results = await Promise.all(Array.from({ length: 60 }, () => stack.api('GET', '/api/v1/version')));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
});
