// MariaDB going away and coming back: the API answers 503 db_unavailable with
// Retry-After quickly (no hang), static files keep working, and after the
// database is back every FastCGI worker reconnects by itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, startStack } from '../lib/stack.mjs';

const WORKERS = 2;
let stack;
let token;
before(async () => {
  stack = await startStack({ workers: WORKERS });
  token = (await stack.login('agent@example.com')).token;
  assert.ok(token);
});
after(async () => {
  await stack?.stop();
});

async function timed(fn) {
  const t0 = Date.now();
  const r = await fn();
  return { r, ms: Date.now() - t0 };
}

test('db_down_gives_503_with_retry_after_within_3s_then_recovers', async () => {
  const stopped = await stack.script('db-stop');
  assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);

  // Several requests each, so every pool worker meets the dead connection.
  for (let i = 0; i < WORKERS * 2; i++) {
    for (const [method, path, opts] of [
      ['GET', '/api/v1/health', {}],
      ['GET', '/api/v1/me', { token }],
      ['POST', '/api/v1/auth/login', { json: { email: 'agent@example.com', password: 'demo1234' } }],
    ]) {
      const { r, ms } = await timed(() => stack.api(method, path, { ...opts, timeoutMs: 10_000 }));
      assertEnvelope(assert, r, 503, 'db_unavailable');
      assert.ok(Number(r.headers.get('retry-after')) >= 1, `${path}: Retry-After ${r.headers.get('retry-after')}`);
      assert.ok(ms < 3000, `${method} ${path} took ${ms} ms with the database down`);
    }
  }
  // No DB needed: version and the app shell still answer.
  assert.equal((await stack.api('GET', '/api/v1/version')).status, 200);
  assert.equal((await fetch(stack.url + '/')).status, 200);

  const started = await stack.script('db-start');
  assert.equal(started.code, 0, started.stdout + started.stderr);

  // The database is up again: the very next requests succeed on every worker.
  for (let i = 0; i < WORKERS * 4; i++) {
    const h = await stack.api('GET', '/api/v1/health');
    assert.equal(h.status, 200, `health after db-start (#${i}): ${h.text}`);
    assert.equal(h.body.db, 'ok');
    const me = await stack.api('GET', '/api/v1/me', { token });
    assert.equal(me.status, 200, `me after db-start (#${i}): ${me.text}`);
  }
  const l = await stack.login('agent2@example.com');
  assert.equal(l.status, 200, JSON.stringify(l.body));
});

test('the_serve_master_and_its_workers_survive_the_outage', () => {
  assert.equal(stack.poolPids().length, WORKERS);
});
