// `leadmap worker`: --once runs every job one time and writes the heartbeat
// that /api/v1/health reports; two at once both succeed (jobs must not
// trip over each other).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, startStack, waitFor } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
  // Stop the stack's own worker so the heartbeat is this test's alone.
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  stack.sql('DELETE FROM worker_heartbeat');
});
after(async () => {
  await stack?.stop();
});

const health = async () => (await stack.api('GET', '/api/v1/health')).body;

test('worker_once_exits_0_and_health_shows_its_heartbeat', async () => {
  assert.equal((await health()).worker_last_seen, null, 'no heartbeat before the run');
  const r = await stack.leadmap(['worker', '--once', '--now', '2026-12-01T09:00:00Z'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const h = await health();
  assert.notEqual(h.worker_last_seen, null, 'worker_last_seen after worker --once');
  assert.match(h.worker_last_seen, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok(Number(stack.sqlValue('SELECT COUNT(*) FROM worker_heartbeat')) >= 1);
});

test('two_worker_once_runs_at_the_same_time_both_exit_0', async () => {
  const args = ['worker', '--once', '--now', '2026-12-01T09:00:00Z'];
  const [a, b] = await Promise.all([stack.leadmap(args, { timeoutMs: 60_000 }), stack.leadmap(args, { timeoutMs: 60_000 })]);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.equal(b.code, 0, b.stdout + b.stderr);
});

test('worker_rejects_a_malformed_now', async () => {
  const r = await stack.leadmap(['worker', '--once', '--now', 'yesterday'], { timeoutMs: 30_000 });
  assert.notEqual(r.code, 0, 'a bad --now is an error, not "now"');
});

test('background_worker_stops_on_sigterm', async () => {
  const { spawn } = await import('node:child_process');
  const { LEADMAP } = await import('../lib/stack.mjs');
  const child = spawn(LEADMAP, ['worker'], { env: { ...process.env, LEADMAP_CONFIG: stack.config }, stdio: 'ignore' });
  await waitFor(async () => (await health()).worker_last_seen, { timeoutMs: 10_000, what: 'a heartbeat' });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const t0 = Date.now();
  const { code, signal } = await exited;
  assert.ok(Date.now() - t0 < 10_000, 'stops within 10 s');
  assert.ok(code === 0 || signal === 'SIGTERM', `exit ${code} / ${signal}`);
});
