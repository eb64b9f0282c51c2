// GET /api/v1/version and GET /api/v1/health: no auth, the stack's vital signs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('version_answers_without_auth_and_matches_the_cli', async () => {
  const r = await stack.api('GET', '/api/v1/version');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(typeof r.body.version, 'string');
  assert.ok(r.body.version.length > 0);
  const cli = await stack.leadmap(['version']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.ok(cli.stdout.includes(r.body.version), `CLI "${cli.stdout.trim()}" vs API "${r.body.version}"`);
});

test('health_reports_db_migration_worker_and_version', async () => {
  const r = await stack.api('GET', '/api/v1/health');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.db, 'ok');
  assert.equal(typeof r.body.version, 'string');
  const applied = Number(stack.sqlValue('SELECT MAX(version) FROM schema_migrations'));
  assert.equal(r.body.migration, applied, 'migration = highest applied schema_migrations.version');
  const files = readdirSync(join(ROOT, 'sql')).filter((f) => /^\d+_.*\.sql$/.test(f));
  assert.equal(applied, Math.max(...files.map((f) => parseInt(f, 10))), 'every sql/NNN_*.sql file is applied');
  assert.ok(
    r.body.worker_last_seen === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(r.body.worker_last_seen),
    `worker_last_seen: ${r.body.worker_last_seen}`,
  );
});

test('health_sees_the_running_worker', async () => {
  // stack.sh starts `leadmap worker`; its heartbeat shows up in health.
  const seen = async () => (await stack.api('GET', '/api/v1/health')).body?.worker_last_seen;
  const end = Date.now() + 10_000;
  let last = null;
  while (Date.now() < end && !(last = await seen())) await new Promise((r) => setTimeout(r, 200));
  assert.ok(last, 'worker_last_seen stays null although the worker runs');
  assert.ok(Math.abs(Date.parse(last) - Date.now()) < 60_000, `worker_last_seen ${last} is not recent`);
});

test('health_is_not_cached', async () => {
  const r = await stack.api('GET', '/api/v1/health');
  const cc = r.headers.get('cache-control') ?? '';
  assert.ok(!/max-age=[1-9]/.test(cc) && !/immutable/.test(cc), `cache-control: ${cc}`);
});
