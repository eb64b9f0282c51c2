// Worker leadership without GET_LOCK (issue 13): each job runs under a lease
// row in job_leases. A lease held by another worker is not run over; one
// left by a worker that died lapses and the next worker runs the job; of two
// background workers, the one left standing carries on within seconds of
// the other's SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { LEADMAP, alive, sleep, startStack, waitFor } from '../lib/stack.mjs';

let stack;
const children = [];
before(async () => {
  stack = await startStack();
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
});
after(async () => {
  for (const c of children) if (alive(c.pid)) c.kill('SIGKILL');
  await stack?.stop();
});

const runs = (job) => Number(stack.sqlValue(`SELECT COALESCE((SELECT runs FROM job_runs WHERE job = '${job}'), 0)`));
const lease = (job) => {
  const [row] = stack.sql(`SELECT holder, expires_at > UTC_TIMESTAMP(6), UNIX_TIMESTAMP(acquired_at) FROM job_leases WHERE job = '${job}'`);
  return row ? { holder: row[0], held: row[1] === '1', acquiredAt: Number(row[2]) * 1000 } : null;
};
function holdLease(job, holder, seconds) {
  stack.sql(
    `INSERT INTO job_leases (job, holder, acquired_at, expires_at) VALUES ('${job}', '${holder}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ${seconds} SECOND)` +
      ` ON DUPLICATE KEY UPDATE holder = VALUES(holder), acquired_at = VALUES(acquired_at), expires_at = VALUES(expires_at)`,
  );
}

test('once_runs_every_job_and_gives_each_lease_back', async () => {
  const before = runs('call_log_aging');
  const r = await stack.leadmap(['worker', '--once'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(runs('call_log_aging'), before + 1);
  for (const job of ['call_log_aging', 'purge_refresh_tokens']) {
    const l = lease(job);
    assert.ok(l, `a lease row for ${job}`);
    assert.match(l.holder, /:\d+$/, 'holder is host:pid');
    assert.equal(l.held, false, `${job}'s lease was given back`);
  }
});

test('a_lease_left_by_a_dead_worker_lapses_and_the_next_worker_runs_the_job', async () => {
  holdLease('call_log_aging', 'gone-host:1', 3);
  const before = runs('call_log_aging');
  const t0 = Date.now();
  const r = await stack.leadmap(['worker', '--once'], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(Date.now() - t0 >= 2000, 'waited for the lease to lapse');
  assert.equal(runs('call_log_aging'), before + 1, 'the job ran once the lease lapsed');
  assert.notEqual(lease('call_log_aging').holder, 'gone-host:1');
});

test('a_lease_another_worker_holds_is_not_run_over', async () => {
  holdLease('purge_refresh_tokens', 'busy-host:2', 60);
  const before = runs('purge_refresh_tokens');
  const r = await stack.leadmap(['worker', '--once'], { timeoutMs: 30_000, env: { LEADMAP_WORKER_LEASE: '2' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, /job purge_refresh_tokens skipped: another worker still holds its lease/);
  assert.equal(runs('purge_refresh_tokens'), before, 'not run while the lease is held');
  assert.equal(lease('purge_refresh_tokens').holder, 'busy-host:2');
  stack.sql("UPDATE job_leases SET expires_at = UTC_TIMESTAMP(6) WHERE job = 'purge_refresh_tokens'");
});

test('of_two_background_workers_the_survivor_takes_over_within_10_s_of_a_sigkill', async () => {
  const start = () => {
    const c = spawn(LEADMAP, ['worker'], { env: { ...process.env, LEADMAP_CONFIG: stack.config, LEADMAP_WORKER_INTERVAL: '1' }, stdio: 'ignore' });
    children.push(c);
    return c;
  };
  const a = start();
  const b = start();
  await waitFor(() => Number(stack.sqlValue(`SELECT COUNT(*) FROM worker_heartbeat WHERE worker LIKE '%:${a.pid}' OR worker LIKE '%:${b.pid}'`)) === 2, {
    timeoutMs: 10_000,
    what: 'both workers to beat',
  });
  await sleep(1500);
  a.kill('SIGKILL');
  const killedAt = Date.now();
  await waitFor(() => !alive(a.pid), { what: 'worker A to die' });
  await waitFor(
    () => {
      const l = lease('call_log_aging');
      return l && l.holder.endsWith(`:${b.pid}`) && l.acquiredAt > killedAt - 50;
    },
    { timeoutMs: 10_000, what: 'worker B to take the lease' },
  );
  const l = lease('call_log_aging');
  assert.ok(l.acquiredAt - killedAt < 10_000, `took over ${l.acquiredAt - killedAt} ms after the kill`);
  b.kill('SIGTERM');
  await waitFor(() => !alive(b.pid), { what: 'worker B to stop' });
});
