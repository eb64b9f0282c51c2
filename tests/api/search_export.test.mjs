// CSV export of a search (issue 12, part 1): every lead the search finds,
// in its order, custom fields as columns, RFC 4180 quoting with the formula
// guard, one audit row per export, only leads the user may see — and the
// worker's memory stays flat while tens of thousands of rows stream out.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sleep, startStack } from '../lib/stack.mjs';

const GENERATED = 20000;
let stack;
let admin;
let agent;

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

/** RFC 4180: rows of cells (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'the file ends with a complete row');
  return rows;
}

const exportCsv = (who, query = '') =>
  stack.api('GET', `/api/v1/leads/export.csv${query ? `?${query}` : ''}`, { token: who.token, timeoutMs: 120_000 });

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(status.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

before(async () => {
  stack = await startStack({ workers: 1 });
  const gen = await stack.leadmap(['bench-data', String(GENERATED)], { timeoutMs: 300000 });
  assert.equal(gen.code, 0, gen.stderr);
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
});
after(() => stack?.stop());

test('export_writes_each_row_with_custom_columns_quoting_and_the_formula_guard', async () => {
  const c = await stack.api('POST', '/api/v1/leads', {
    token: agent.token,
    json: {
      first_name: 'Ann, "Annie"',
      last_name: 'Exportwell',
      phones: ['+1 555 010 7777'],
      emails: ['ann.export@example.org'],
      address: { street: '1 Main St\nUnit 2', city: 'Peoria', postal_code: '61602' },
      custom: { referral: '=HYPERLINK("http://evil.example")', visits: 4, birth_date: '1990-02-03' },
    },
  });
  assert.equal(c.status, 201, c.text);
  const r = await exportCsv(agent, 'q=Exportwell');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="leads.csv"/);
  const rows = parseCsv(r.text);
  const head = rows[0];
  assert.equal(head[0], 'id'); // fetch's text() drops the byte-order mark
  const raw = await fetch(`${stack.url}/api/v1/leads/export.csv?q=Exportwell`, { headers: { authorization: `Bearer ${agent.token}` } });
  assert.deepEqual([...Buffer.from(await raw.arrayBuffer()).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark first');
  for (const k of ['first_name', 'phones', 'status', 'owner', 'custom.referral', 'custom.visits', 'custom.birth_date', 'custom.interests']) {
    assert.ok(head.includes(k), `${k} in ${head}`);
  }
  assert.equal(rows.length, 2, 'the header and the one lead');
  const got = Object.fromEntries(head.map((k, i) => [k, rows[1][i]]));
  assert.equal(got.id, String(c.body.id));
  assert.equal(got.first_name, 'Ann, "Annie"');
  assert.equal(got.street, '1 Main St\nUnit 2');
  assert.equal(got.phones, "'+1 555 010 7777", 'a leading + is guarded');
  assert.equal(got['custom.referral'], `'=HYPERLINK("http://evil.example")`, 'a formula is shown, not run');
  assert.equal(got['custom.visits'], '4');
  assert.match(got['custom.birth_date'], /^1990-02-03/);
  assert.equal(got.owner, 'Ada Agent');
  assert.match(r.text, /"'=HYPERLINK\(""http:\/\/evil\.example""\)"/, 'quotes doubled inside a quoted cell');
});

test('export_of_a_filtered_search_is_the_search_in_its_order_and_is_audited', async () => {
  const before = Number(stack.sqlValue("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.export'"));
  const query = 'state=in_progress&sort=name';
  const r = await exportCsv(admin, query);
  assert.equal(r.status, 200);
  const ids = parseCsv(r.text).slice(1).map((row) => Number(row[0]));
  const want = stack.sql("SELECT id FROM leads l WHERE state = 'in_progress' ORDER BY last_name, first_name, id").map((x) => Number(x[0]));
  assert.ok(want.length > 1000, `${want.length} leads`);
  assert.deepEqual(ids, want);
  const audit = stack.sql(`SELECT user_id, entity, detail FROM audit_log WHERE action = 'lead.export' ORDER BY id DESC LIMIT 1`)[0];
  assert.equal(Number(stack.sqlValue("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.export'")), before + 1, 'one row per export');
  assert.equal(Number(audit[0]), admin.user.id);
  assert.deepEqual(JSON.parse(audit[2]), { query, rows: want.length, complete: true });
});

test('an_agent_exports_only_the_leads_the_agent_may_see', async () => {
  const r = await exportCsv(agent);
  assert.equal(r.status, 200);
  const ids = new Set(parseCsv(r.text).slice(1).map((row) => Number(row[0])));
  const listed = [];
  let after = null;
  do {
    const p = await stack.api('GET', `/api/v1/leads?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`, { token: agent.token });
    listed.push(...p.body.items.map((i) => i.id));
    after = p.body.next;
  } while (after);
  assert.deepEqual([...ids].sort((a, b) => a - b), listed.sort((a, b) => a - b), 'the export is the list');
  const hidden = Number(stack.sqlValue(`SELECT id FROM leads WHERE owner_id <> ${agent.user.id} AND call_state NOT IN ('abandoned', 'available')
    AND (unit_id IS NULL OR unit_id NOT IN (SELECT unit_id FROM user_units WHERE user_id = ${agent.user.id}))
    AND NOT EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = leads.id AND t.user_id = ${agent.user.id}) LIMIT 1`));
  assert.ok(hidden > 0 && !ids.has(hidden), 'a lead of another agent is not in the file');
});

test('a_bad_parameter_is_400_before_any_row', async () => {
  const r = await exportCsv(admin, 'sort=priority');
  assert.equal(r.status, 400);
  assert.ok('sort' in r.body.error.fields);
});

test('the_worker_memory_stays_flat_while_every_lead_streams_out', async () => {
  const [pid] = stack.poolPids();
  assert.ok(pid, 'one worker');
  await exportCsv(admin, 'q=Exportwell'); // warm: caches, statements
  await exportCsv(admin, 'state=won'); // a few pages
  // the peak so far is the login's Argon2 hash (64 MB): start the peak anew
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const m0 = memory(pid);
  const r = await exportCsv(admin);
  assert.equal(r.status, 200);
  const m1 = memory(pid);
  const total = Number(stack.sqlValue('SELECT COUNT(*) FROM leads'));
  const lines = parseCsv(r.text).length - 1;
  assert.equal(lines, total, 'every lead');
  const bytes = Buffer.byteLength(r.text);
  const grewKb = m1.hwm - m0.hwm;
  // the file is several megabytes; the worker's peak grows by far less than it
  assert.ok(bytes > 4 * 1024 * 1024, `${bytes} bytes`);
  assert.ok(grewKb * 1024 < bytes / 4, `peak RSS grew ${grewKb} kB for a ${bytes}-byte file`);
  assert.equal(stack.poolPids()[0], pid, 'the same worker served it');
  console.log(`export: ${lines} rows, ${bytes} bytes; worker RSS ${m0.rss} -> ${m1.rss} kB, peak ${m0.hwm} -> ${m1.hwm} kB`);
});
