// The prefork FastCGI pool under load: a killed worker is replaced, SIGHUP
// restarts every worker without failing a request, SIGTERM stops gracefully
// and nginx then answers 503 with Retry-After. Load comes from wrk on loopback.
//
// The master's signal handling is also tested on its own `leadmap serve`
// (same config, its own socket and pid file) under fixtures/pool_shim.c, an
// LD_PRELOAD that delays every blocking wait of the master (so a signal that
// lands between "check the flags" and "block" is lost every time in a master
// that can lose it) or makes fork fail while a file exists.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LEADMAP, ROOT, alive, assertEnvelope, childPids, sleep, startStack, waitFor, wrk } from '../lib/stack.mjs';

const WORKERS = 3;
let stack;
let scratch;
let shim;
before(async () => {
  stack = await startStack({ workers: WORKERS });
  scratch = mkdtempSync(join(tmpdir(), 'lm-pool-'));
  shim = join(scratch, 'pool_shim.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', shim, join(ROOT, 'tests/api/fixtures/pool_shim.c'), '-ldl']);
});
after(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A second `leadmap serve` on the stack's config with its own socket; env adds to it. */
async function ownServe(name, env = {}, workers = 2) {
  const child = spawn(LEADMAP, ['serve'], {
    env: {
      ...process.env,
      LEADMAP_CONFIG: stack.config,
      LEADMAP_FCGI_SOCKET: join(scratch, `${name}.sock`),
      LEADMAP_PID_FILE: join(scratch, `${name}.pid`),
      LEADMAP_WORKERS: String(workers),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await waitFor(() => childPids(child.pid).length === workers, { timeoutMs: 10_000, what: `${workers} workers of ${name}` });
  return {
    pid: child.pid,
    exited,
    log: () => log,
    kill(sig) {
      process.kill(child.pid, sig);
    },
    /** Resolves true when the master exits within ms; otherwise SIGKILLs it and resolves false. */
    async exitsWithin(ms) {
      const r = await Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
      if (!r) {
        for (const p of childPids(child.pid)) process.kill(p, 'SIGKILL');
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }
      return r;
    },
  };
}

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

test('sigterm_that_lands_just_before_the_master_blocks_is_not_lost', async () => {
  // The shim holds the master for 300 ms before each blocking wait; a SIGKILLed
  // worker makes the master reap, refill and go back to waiting, and SIGTERM
  // arrives 50 ms into that pause.
  const srv = await ownServe('late-term', { LD_PRELOAD: shim, LM_SHIM_WAIT_DELAY_MS: '300' });
  await sleep(1200); // past the crash-loop pause for workers that die young
  const [victim] = childPids(srv.pid);
  process.kill(victim, 'SIGKILL');
  await sleep(50);
  srv.kill('SIGTERM');
  assert.ok(await srv.exitsWithin(3000), `serve ignored a SIGTERM sent while it was about to block:\n${srv.log()}`);
});

test('signals_in_a_tight_loop_then_sigterm_stop_the_master', async () => {
  const srv = await ownServe('storm', {}, 2);
  for (let i = 0; i < 50; i++) srv.kill('SIGHUP');
  srv.kill('SIGTERM');
  assert.ok(await srv.exitsWithin(5000), `serve did not stop within 5 s after 50 SIGHUPs and a SIGTERM:\n${srv.log()}`);
});

test('failed_fork_is_retried_until_the_pool_is_full', async () => {
  const flag = join(scratch, 'fail-fork');
  const srv = await ownServe('forkfail', { LD_PRELOAD: shim, LM_SHIM_FAIL_FORK_FILE: flag }, 2);
  try {
    await sleep(1200);
    writeFileSync(flag, '');
    const [victim, other] = childPids(srv.pid);
    process.kill(victim, 'SIGKILL');
    await sleep(1000);
    assert.deepEqual(childPids(srv.pid), [other], 'the slot stays empty while fork fails');
    assert.match(srv.log(), /fork failed/);
    unlinkSync(flag);
    // back-off 100, 200, 400, 800 ms so far: the next try is at most 1.6 s away
    await waitFor(() => childPids(srv.pid).length === 2, { timeoutMs: 6000, what: 'the empty slot to be refilled' });
  } finally {
    if (existsSync(flag)) unlinkSync(flag);
    srv.kill('SIGTERM');
    assert.ok(await srv.exitsWithin(5000), 'serve stops');
  }
});

test('sighup_storm_leaves_a_full_serving_pool', async () => {
  const master = stack.servePid();
  for (let i = 0; i < 50; i++) process.kill(master, 'SIGHUP');
  await waitFor(() => stack.poolPids().length === WORKERS, { timeoutMs: 15_000, what: `${WORKERS} workers after 50 SIGHUPs` });
  await sleep(500);
  assert.equal(stack.poolPids().length, WORKERS);
  const statuses = [];
  for (let i = 0; i < 20; i++) statuses.push((await stack.api('GET', '/api/v1/health')).status);
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.ok(alive(master), 'the master itself stays');
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
