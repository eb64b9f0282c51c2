// Lead views are audited in batches: a FastCGI worker keeps its view rows
// and its view writer inserts them together (store/audit.c). Here the
// writer waits a minute (LEADMAP_AUDIT_FLUSH_MS), so a row can only come
// from the graceful stop's write: it must, with the instant of the view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, sleep, startStack, waitFor } from '../lib/stack.mjs';

let stack;
let token;
let leadId;

before(async () => {
  stack = await startStack({ workers: 1, env: { LEADMAP_AUDIT_FLUSH_MS: '60000' } });
  for (let i = 0; ; i++) {
    const l = await stack.login('agent@example.com');
    if (l.status === 429 && i < 40) { await sleep(250); continue; }
    token = l.token;
    break;
  }
  leadId = stack.sqlValue("SELECT id FROM leads WHERE owner_id = (SELECT id FROM users WHERE email = 'agent@example.com') ORDER BY id LIMIT 1");
});
after(() => stack?.stop());

const rows = () => stack.sql(`SELECT UNIX_TIMESTAMP(at) FROM audit_log WHERE action = 'lead.view' AND entity_id = ${leadId}`);

test('views_wait_in_the_worker_and_a_graceful_stop_writes_them_with_their_instant', async () => {
  const t0 = Date.now() / 1000;
  for (let i = 0; i < 3; i++) assert.equal((await stack.api('GET', `/api/v1/leads/${leadId}`, { token })).status, 200);
  await sleep(1500);
  assert.equal(rows().length, 0, 'still waiting in the worker');
  const [worker] = stack.poolPids();
  process.kill(worker, 'SIGTERM'); // what a SIGHUP replacement or a stop sends each worker
  await waitFor(() => !alive(worker), { what: 'the worker to stop' });
  const at = rows().map((r) => Number(r[0]));
  assert.equal(at.length, 3, 'every view written at the stop');
  for (const t of at) assert.ok(t >= t0 - 1 && t <= t0 + 1.4, `written with the view's instant (${t} vs ${t0})`);
});

test('the_replacement_worker_audits_views_too', async () => {
  await waitFor(() => stack.poolPids().length === 1, { what: 'a new worker' });
  const had = rows().length;
  assert.equal((await stack.api('GET', `/api/v1/leads/${leadId}`, { token })).status, 200);
  process.kill(stack.servePid(), 'SIGHUP'); // replaces the worker gracefully
  await waitFor(() => rows().length === had + 1, { timeoutMs: 15000, what: 'the view written by the replaced worker' });
});
