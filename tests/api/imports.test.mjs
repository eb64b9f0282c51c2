// CSV import (issue 12): upload (semicolon, BOM, quoted fields), column
// mapping (saved and reused), a dry run that reports each row's errors and
// duplicates (in the database and within the file), the worker's commit in
// batches with a progress figure, bad rows reported and skipped, a re-run of
// the same file with skip duplicates importing nothing twice, and 100,000
// rows timed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack, waitFor } from '../lib/stack.mjs';

let stack;
let agent;
let agent2;
let existing;

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
      await sleep(250);
      continue;
    }
    assert.equal(l.status, 200);
    return l;
  }
}

const api = (method, path, who, json) => stack.api(method, path, { token: who.token, json });
const upload = (who, csv, query = '?file_name=clinic.csv', type = 'text/csv; charset=utf-8', timeoutMs = 60_000) =>
  stack.api('POST', `/api/v1/imports${query}`, { token: who.token, body: csv, headers: { 'content-type': type }, timeoutMs });
const count = (q) => Number(stack.sqlValue(q));

const FILE = [
  '\uFEFFFirst name;Last name;Phone;E-mail;City;Referred by;Visits',
  'Ann;"Smith; Jr.";(555) 900-1001;ann@example.org;Springfield;"Dr. ""Who""";3',
  'Bob;Brown;555 900 1002;;Shelbyville;;many',
  ';;;;Nowhere;;',
  'Carl;Clone;5559000001;;;;',
  'Dana;Doe;;dana@example.org;;;',
  'Eve;"Echo\nSecond line";;ANN@example.org;;;',
].join('\r\n');

const MAPPING = {
  'First name': 'first_name',
  'Last name': 'last_name',
  Phone: 'phone',
  'E-mail': 'email',
  City: 'city',
  'Referred by': 'custom.referral',
  Visits: 'custom.visits',
};

async function committed(who, id) {
  return waitFor(async () => {
    const r = await api('GET', `/api/v1/imports/${id}`, who);
    return r.body.status === 'done' || r.body.status === 'failed' ? r : null;
  }, { timeoutMs: 60_000, intervalMs: 200, what: `import ${id} done` });
}

before(async () => {
  stack = await startStack({ workers: 2 });
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  const r = await api('POST', '/api/v1/leads', agent, { first_name: 'Existing', last_name: 'Person', phones: ['+1 555 900 0001'] });
  assert.equal(r.status, 201, r.text);
  existing = r.body;
});

after(async () => {
  await stack?.stop();
});

describe('imports', () => {
  let imp;

  test('upload_parses_semicolons_bom_and_quotes_and_suggests_a_mapping', async () => {
    const r = await upload(agent, FILE);
    assert.equal(r.status, 201, r.text);
    imp = r.body;
    assert.equal(imp.delimiter, ';');
    assert.deepEqual(imp.columns, Object.keys(MAPPING));
    assert.equal(imp.total_rows, 6);
    assert.deepEqual(imp.preview[0], ['Ann', 'Smith; Jr.', '(555) 900-1001', 'ann@example.org', 'Springfield', 'Dr. "Who"', '3']);
    assert.equal(imp.preview.length, 5, 'the first five rows');
    assert.equal(imp.suggested_mapping['First name'], 'first_name');
    assert.equal(imp.suggested_mapping.Phone, 'phone');
    assert.equal(imp.suggested_mapping['E-mail'], 'email');
    assert.equal(imp.suggested_mapping.Visits, 'custom.visits');
    assert.equal(count(`SELECT COUNT(*) FROM import_rows WHERE import_id = ${imp.id}`), 6);
    assert.equal(stack.sqlValue(`SELECT JSON_VALUE(cells, '$[1]') = 'Echo\\nSecond line' FROM import_rows WHERE import_id = ${imp.id} AND row_no = 6`), '1', 'a quoted line break stays in its field');
  });

  test('malformed_files_are_400_naming_the_line', async () => {
    let r = await upload(agent, 'a,b\n1,"open\n2,3\n');
    assertEnvelope(assert, r, 400, 'invalid_csv');
    assert.match(r.body.error.fields.file, /^Line 2: /);
    r = await upload(agent, 'a,b\n1,x"y\n');
    assertEnvelope(assert, r, 400, 'invalid_csv');
    assert.match(r.body.error.fields.file, /^Line 2: .*quote/);
    r = await upload(agent, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0x2c, 0x31, 0x0a]));
    assertEnvelope(assert, r, 400, 'invalid_csv');
    assert.match(r.body.error.fields.file, /UTF-8/);
    r = await upload(agent, 'only,a,header\n');
    assertEnvelope(assert, r, 400, 'validation_failed');
    r = await upload(agent, 'a,a\n1,2\n');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.file, /twice/);
    r = await upload(agent, '', '?file_name=x.csv');
    assertEnvelope(assert, r, 400, 'validation_failed');
    r = await upload(agent, 'a\n1\n', '?delimiter=tab');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.delimiter);
    r = await upload(agent, '{"a":1}', '', 'application/json');
    assertEnvelope(assert, r, 415, 'unsupported_media_type');
    assert.equal(count('SELECT COUNT(*) FROM imports'), 1, 'nothing stored from a refused file');
  });

  test('a_bad_mapping_is_400_naming_each_column', async () => {
    const r = await api('POST', `/api/v1/imports/${imp.id}/dry-run`, agent, { mapping: { Nope: 'first_name', City: 'shoe_size', Phone: 'custom.nosuch', 'First name': 'last_name', 'Last name': 'last_name' } });
    assertEnvelope(assert, r, 400, 'validation_failed');
    const f = r.body.error.fields;
    assert.ok(f['mapping.Nope'] && f['mapping.City'] && f['mapping.Phone']);
    assert.ok(f['mapping.First name'] || f['mapping.Last name'], 'two columns for one name');
  });

  test('dry_run_reports_row_errors_and_duplicates_and_writes_no_lead', async () => {
    const before = count('SELECT COUNT(*) FROM leads');
    const r = await api('POST', `/api/v1/imports/${imp.id}/dry-run`, agent, { mapping: MAPPING, skip_duplicates: true });
    assert.equal(r.status, 200, r.text);
    const d = r.body;
    assert.equal(d.total_rows, 6);
    assert.equal(d.error_rows, 2);
    assert.deepEqual(d.errors.map((e) => e.row), [2, 3]);
    assert.ok(d.errors[0].fields['custom.visits'], JSON.stringify(d.errors[0]));
    assert.ok(d.errors[1].fields.last_name && d.errors[1].fields.phones, JSON.stringify(d.errors[1]));
    assert.equal(d.duplicate_rows, 2);
    assert.deepEqual(d.duplicates.map((x) => x.row), [4, 6]);
    assert.deepEqual(d.duplicates[0].leads, [existing.id]);
    assert.equal(d.duplicates[1].same_as_row, 1, 'the same e-mail as row 1, in another case');
    assert.equal(d.importable_rows, 2);
    assert.equal(count('SELECT COUNT(*) FROM leads'), before);
  });

  test('commit_imports_good_rows_and_reports_the_rest', async () => {
    const r = await api('POST', `/api/v1/imports/${imp.id}/commit`, agent, { mapping: MAPPING, skip_duplicates: true });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.status, 'queued');
    const done = (await committed(agent, imp.id)).body;
    assert.equal(done.status, 'done');
    assert.deepEqual([done.imported_rows, done.error_rows, done.duplicate_rows, done.progress], [2, 2, 2, 100]);
    assert.deepEqual(done.errors.map((e) => e.row), [2, 3]);
    assert.ok(done.errors[0].fields['custom.visits']);
    // the imported lead, found by its phone typed another way, with its custom value
    const s = await api('GET', `/api/v1/leads?phone=${encodeURIComponent('555.900.1001')}`, agent);
    assert.equal(s.body.items.length, 1);
    const ann = (await api('GET', `/api/v1/leads/${s.body.items[0].id}`, agent)).body;
    assert.deepEqual([ann.first_name, ann.last_name, ann.address.city], ['Ann', 'Smith; Jr.', 'Springfield']);
    assert.equal(ann.custom.referral, 'Dr. "Who"');
    assert.equal(ann.custom.visits, 3);
    assert.equal(ann.owner_id, agent.user.id);
    const h = await api('GET', `/api/v1/leads/${ann.id}/history`, agent);
    assert.ok(h.body.items.some((i) => i.action === 'created'));
    // a row is in or out: no lead without its phones/e-mails, none from bad rows
    assert.equal(count(`SELECT COUNT(*) FROM leads WHERE import_id = ${imp.id}`), 2);
    assert.equal(count(`SELECT COUNT(*) FROM leads l WHERE import_id = ${imp.id} AND NOT EXISTS (SELECT 1 FROM lead_phones p WHERE p.lead_id = l.id) AND NOT EXISTS (SELECT 1 FROM lead_emails e WHERE e.lead_id = l.id)`), 0);
    assert.equal(count(`SELECT COUNT(*) FROM import_rows WHERE import_id = ${imp.id} AND outcome = 'imported' AND lead_id IS NOT NULL`), 2);
    // committing again is refused
    assertEnvelope(assert, await api('POST', `/api/v1/imports/${imp.id}/commit`, agent, { mapping: MAPPING }), 409, 'already_committed');
  });

  test('rerunning_the_same_file_with_skip_duplicates_imports_nothing_twice', async () => {
    const before = count('SELECT COUNT(*) FROM leads');
    const up = await upload(agent, FILE);
    assert.equal(up.status, 201, up.text);
    const r = await api('POST', `/api/v1/imports/${up.body.id}/commit`, agent, { mapping: MAPPING, skip_duplicates: true });
    assert.equal(r.status, 202, r.text);
    const done = (await committed(agent, up.body.id)).body;
    assert.deepEqual([done.imported_rows, done.error_rows, done.duplicate_rows], [0, 2, 4]);
    assert.equal(count('SELECT COUNT(*) FROM leads'), before);
  });

  test('a_worker_stopped_mid_import_goes_on_at_the_next_row', async () => {
    const rows = ['first_name,last_name,email'];
    for (let i = 1; i <= 8; i++) rows.push(`Res${i},Resume,resume${i}@example.org`);
    const up = await upload(agent, rows.join('\n'));
    assert.equal(up.status, 201, up.text);
    const id = up.body.id;
    // as a worker leaves it after committing rows 1-5 and dying: status running,
    // next_row 6, and no lead for rows 1-5 here (they would be in an earlier batch)
    stack.sql(`UPDATE imports SET mapping = '${JSON.stringify(up.body.suggested_mapping)}', status = 'running', next_row = 6 WHERE id = ${id}`);
    const done = (await committed(agent, id)).body;
    assert.deepEqual([done.status, done.imported_rows, done.processed_rows], ['done', 3, 8]);
    assert.deepEqual(stack.sql(`SELECT first_name FROM leads WHERE import_id = ${id} ORDER BY import_row`).map((r) => r[0]), ['Res6', 'Res7', 'Res8']);
  });

  test('mappings_are_saved_and_listed_per_user', async () => {
    let r = await api('POST', '/api/v1/import-mappings', agent, { name: 'Clinic export', mapping: MAPPING });
    assert.equal(r.status, 200, r.text);
    r = await api('POST', '/api/v1/import-mappings', agent, { name: 'Clinic export', mapping: { ...MAPPING, City: null } });
    assert.equal(r.status, 200, r.text);
    r = await api('GET', '/api/v1/import-mappings', agent);
    assert.equal(r.body.items.length, 1, 'saving under the same name replaces');
    assert.equal(r.body.items[0].mapping.City, null);
    assert.equal((await api('GET', '/api/v1/import-mappings', agent2)).body.items.length, 0);
    r = await api('POST', '/api/v1/import-mappings', agent, { name: '', mapping: 'x' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.name && r.body.error.fields.mapping);
  });

  test('another_users_import_is_not_found', async () => {
    assertEnvelope(assert, await api('GET', `/api/v1/imports/${imp.id}`, agent2), 404, 'not_found');
    assertEnvelope(assert, await api('POST', `/api/v1/imports/${imp.id}/dry-run`, agent2, { mapping: MAPPING }), 404, 'not_found');
  });

  test('a_batch_finds_its_leads_through_the_import_key_not_a_scan', async () => {
    const plan = stack.sql(`EXPLAIN SELECT l.id FROM JSON_TABLE('[[1,0,"x","1"]]', '$[*]' COLUMNS (r INT UNSIGNED PATH '$[0]', p TINYINT UNSIGNED PATH '$[1]', ph VARCHAR(40) PATH '$[2]', d VARCHAR(20) PATH '$[3]')) j STRAIGHT_JOIN leads l ON l.import_id = ${imp.id} AND l.import_row = j.r`);
    const leads = plan.find((row) => row[2] === 'l');
    assert.deepEqual([leads[3], leads[5]], ['eq_ref', 'uq_leads_import_row'], JSON.stringify(plan));
  });

  // 20,000 rows keep the suite short; IMPORT_TEST_ROWS=100000 runs the size
  // (make bench times 100,000 on a quiet machine: docs/performance.md)
  test('a_large_file_imports_in_batches_with_a_progress_figure', async () => {
    const n = Number(process.env.IMPORT_TEST_ROWS || 20_000);
    const lines = ['first_name,last_name,phone,email,city'];
    for (let i = 0; i < n; i++) lines.push(`Bulk${i},Person${i},+1 212 ${String(1000000 + i).slice(0, 3)} ${String(1000000 + i).slice(3)},bulk${i}@example.net,Town${i % 50}`);
    const csv = lines.join('\n');
    const t0 = Date.now();
    const up = await upload(agent, csv, '?file_name=bulk.csv');
    assert.equal(up.status, 201, up.text);
    const t1 = Date.now();
    const r = await api('POST', `/api/v1/imports/${up.body.id}/commit`, agent, { mapping: up.body.suggested_mapping, skip_duplicates: true });
    assert.equal(r.status, 202, r.text);
    let sawProgress = false;
    const done = await waitFor(async () => {
      const g = await api('GET', `/api/v1/imports/${up.body.id}`, agent);
      if (g.body.progress > 0 && g.body.progress < 100) sawProgress = true;
      return g.body.status === 'done' || g.body.status === 'failed' ? g : null;
    }, { timeoutMs: 240_000, intervalMs: 250, what: `the ${n}-row import` });
    const t2 = Date.now();
    console.log(`# import of ${n} rows (${(csv.length / 1048576).toFixed(1)} MiB): upload ${t1 - t0} ms, commit ${t2 - t1} ms (includes up to one worker interval of wait)`);
    assert.equal(done.body.status, 'done');
    assert.equal(done.body.imported_rows, n, JSON.stringify(done.body).slice(0, 500));
    assert.ok(sawProgress, 'the progress figure moved between 0 and 100');
    assert.equal(count(`SELECT COUNT(*) FROM lead_phones p JOIN leads l ON l.id = p.lead_id WHERE l.import_id = ${up.body.id}`), n);
    // printed, not asserted tightly: the machine is shared (docs/performance.md has quiet figures)
    assert.ok(t2 - t1 < 240_000, `commit took ${t2 - t1} ms`);
  });
});
