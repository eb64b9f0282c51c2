// `leadmap migrate`: idempotent, refuses a gap in the numbering and an edited
// migration that was already applied, and applies a new one exactly once.
// Broken migration sets live in a temporary copy of sql/, pointed at with
// the LEADMAP_SQL_DIR override.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startStack } from '../lib/stack.mjs';

let stack;
const temps = [];
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const migrationFiles = () => readdirSync(join(ROOT, 'sql')).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
const lastVersion = () => parseInt(migrationFiles().at(-1), 10);
const pad = (n) => String(n).padStart(3, '0');
const applied = () => stack.sql('SELECT version, name, checksum FROM schema_migrations ORDER BY version');

function sqlCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'lm-sql-'));
  temps.push(dir);
  cpSync(join(ROOT, 'sql'), dir, { recursive: true });
  return dir;
}
const migrate = (sqlDir) => stack.leadmap(['migrate'], { env: sqlDir ? { LEADMAP_SQL_DIR: sqlDir } : {} });

test('every_migration_file_is_recorded_with_a_checksum', () => {
  const rows = applied();
  const files = migrationFiles();
  assert.equal(rows.length, files.length);
  rows.forEach(([version, name, checksum], i) => {
    assert.equal(Number(version), i + 1);
    assert.ok(files[i].includes(name) || name.includes(files[i].replace(/\.sql$/, '')), `${name} vs ${files[i]}`);
    assert.match(checksum, /^[0-9a-f]{64}$/);
  });
});

test('migrate_again_is_a_no_op', async () => {
  const before = applied();
  const r = await migrate();
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(applied(), before);
});

test('a_gap_in_the_numbering_is_refused', async () => {
  const dir = sqlCopy();
  const gap = pad(lastVersion() + 2);
  writeFileSync(join(dir, `${gap}_gap_test.sql`), 'CREATE TABLE gap_test (id INT PRIMARY KEY);\n');
  const before = applied();
  const r = await migrate(dir);
  assert.notEqual(r.code, 0, 'migrate must fail on a gap');
  const msg = r.stdout + r.stderr;
  assert.match(msg, new RegExp(`${pad(lastVersion() + 1)}|${lastVersion() + 1}|gap|missing`, 'i'), `message: ${msg}`);
  assert.deepEqual(applied(), before, 'nothing recorded');
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'leadmap' AND table_name = 'gap_test'"), '0');
});

test('an_edited_applied_migration_is_refused', async () => {
  const dir = sqlCopy();
  appendFileSync(join(dir, migrationFiles()[0]), '\n-- edited after it was applied\n');
  writeFileSync(join(dir, `${pad(lastVersion() + 1)}_after_edit.sql`), 'CREATE TABLE after_edit (id INT PRIMARY KEY);\n');
  const before = applied();
  const r = await migrate(dir);
  assert.notEqual(r.code, 0, 'migrate must refuse an edited applied file');
  const msg = r.stdout + r.stderr;
  assert.match(msg, new RegExp(`${migrationFiles()[0].slice(0, 3)}|checksum|changed|edited|modified`, 'i'), `message: ${msg}`);
  assert.deepEqual(applied(), before, 'nothing recorded');
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'leadmap' AND table_name = 'after_edit'"), '0', 'later migrations are not applied either');
});

test('a_bad_file_name_is_refused', async () => {
  const dir = sqlCopy();
  writeFileSync(join(dir, `${pad(lastVersion() + 1)}-Bad Name.sql`), 'SELECT 1;\n');
  const r = await migrate(dir);
  assert.notEqual(r.code, 0, `a badly named migration file must not be skipped silently: ${r.stdout}${r.stderr}`);
});

test('a_new_migration_is_applied_once', async () => {
  const dir = sqlCopy();
  const next = lastVersion() + 1;
  writeFileSync(join(dir, `${pad(next)}_new_table.sql`), 'CREATE TABLE migrate_test_new (id INT PRIMARY KEY);\n');
  const r = await migrate(dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rows = applied();
  assert.equal(Number(rows.at(-1)[0]), next);
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'leadmap' AND table_name = 'migrate_test_new'"), '1');
  const again = await migrate(dir);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(applied(), rows);
  const health = await stack.api('GET', '/api/v1/health');
  assert.equal(health.body.migration, next);
});

test('a_failing_migration_is_not_recorded', async () => {
  const dir = sqlCopy();
  const before = applied();
  const next = Number(before.at(-1)[0]) + 1;
  // The copy needs the version applied by the previous test when it ran: rebuild from the DB state.
  for (let v = lastVersion() + 1; v < next; v++) writeFileSync(join(dir, `${pad(v)}_new_table.sql`), 'CREATE TABLE migrate_test_new (id INT PRIMARY KEY);\n');
  writeFileSync(join(dir, `${pad(next)}_broken.sql`), 'CREATE TABLE broken_one (id INT PRIMARY KEY);\nTHIS IS NOT SQL;\n');
  const r = await migrate(dir);
  assert.notEqual(r.code, 0, 'a migration with an SQL error fails');
  assert.deepEqual(applied(), before, 'the failed version is not recorded');
});
