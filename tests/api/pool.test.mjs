// The prefork FastCGI pool under load: a killed worker is replaced, SIGHUP
// restarts every worker without failing a request, SIGTERM stops gracefully
// and nginx then answers 503 with Retry-After. Load comes from wrk on loopback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, assertEnvelope, sleep, startStack, waitFor, wrk } from '../lib/stack.mjs';

const WORKERS = 3;
let stack;
before(async () => {
  stack = await startStack({ workers: WORKERS });
});
after(async () => {
  await stack?.stop();
});

test('pool_runs_the_configured_number_of_workers', () => {
  const pids = stack.poolPids();
  assert.equal(pids.length, WORKERS, `children of serve: ${pids}`);
});

test('sigkilled_worker_is_replaced_under_load', async (t) => {
  const before = stack.poolPids();
  assert.equal(before.length, WORKERS);
  // The measure: wrk for 10 s, one worker SIGKILLed in the middle of it.
  const load = wrk(`${stack.url}/api/v1/version`, { connections: 8, seconds: 10 });
  await sleep(4000);
  process.kill(before[0], 'SIGKILL');
  const res = await load;
  assert.ok(res.requests > 0, res.raw);
  t.diagnostic(`wrk: ${res.requests} requests, ${res.non2xx} non-2xx, ${res.socketErrors} socket errors after SIGKILL of a worker`);
  const now = await waitFor(() => {
    const p = stack.poolPids();
    return p.length === WORKERS && !p.includes(before[0]) ? p : null;
  }, { timeoutMs: 5000, what: `${WORKERS} workers again` });
  assert.equal(now.filter((p) => before.includes(p)).length, WORKERS - 1, 'only the killed worker was replaced');
  assert.equal((await stack.api('GET', '/api/v1/health')).status, 200);
});

test('sighup_restarts_every_worker_without_failing_a_request', async (t) => {
  const old = stack.poolPids();
  assert.equal(old.length, WORKERS);
  const load = wrk(`${stack.url}/api/v1/version`, { connections: 8, seconds: 5 });
  await sleep(1500);
  process.kill(stack.servePid(), 'SIGHUP');
  const res = await load;
  t.diagnostic(`wrk: ${res.requests} requests, ${res.non2xx} non-2xx, ${res.socketErrors} socket errors during SIGHUP`);
  assert.ok(res.requests > 1000, res.raw);
  assert.equal(res.non2xx, 0, `non-2xx responses during a rolling restart:\n${res.raw}`);
  assert.equal(res.socketErrors, 0, `socket errors during a rolling restart:\n${res.raw}`);
  const now = await waitFor(() => {
    const p = stack.poolPids();
    return p.length === WORKERS && p.every((x) => !old.includes(x)) ? p : null;
  }, { timeoutMs: 10_000, what: 'a fully renewed pool' });
  assert.equal(now.length, WORKERS);
  assert.ok(alive(stack.servePid()), 'the master itself stays');
});

test('sighup_keeps_db_backed_routes_working', async () => {
  // Sequential requests right after each SIGHUP: no request may meet a worker
  // that exits between accepting its connection and answering (nginx then
  // logs "Connection reset by peer" and the client gets a 503).
  const l = await stack.login('agent@example.com');
  const statuses = [];
  for (let round = 0; round < 10; round++) {
    process.kill(stack.servePid(), 'SIGHUP');
    for (let i = 0; i < 20; i++) statuses.push((await stack.api('GET', '/api/v1/me', { token: l.token })).status);
  }
  const failed = statuses.filter((s) => s !== 200);
  assert.equal(failed.length, 0, `${failed.length} of ${statuses.length} requests failed around SIGHUP: ${failed}`);
  await waitFor(() => stack.poolPids().length === WORKERS, { timeoutMs: 10_000, what: 'a full pool' });
});

// Last: it stops the pool.
test('sigterm_stops_serve_gracefully_and_nginx_answers_503', async () => {
  const master = stack.servePid();
  const workers = stack.poolPids();
  // Requests in flight when SIGTERM arrives finish; later ones get nginx's 503.
  const inflight = Array.from({ length: 20 }, () => stack.api('GET', '/api/v1/health'));
  process.kill(master, 'SIGTERM');
  const results = await Promise.all(inflight);
  for (const r of results) assert.ok([200, 503].includes(r.status), `in-flight request: ${r.status} ${r.text}`);
  await waitFor(() => !alive(master) && workers.every((p) => !alive(p)), { timeoutMs: 10_000, what: 'serve and its workers to exit' });
  const r = await stack.api('GET', '/api/v1/health');
  assertEnvelope(assert, r, 503);
  assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After on the 503');
  assert.equal((await fetch(stack.url + '/')).status, 200, 'static files still served');
});
