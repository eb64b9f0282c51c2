// The production statements use their indexes. MariaDB's slow log, with
// long_query_time 0 and log_slow_verbosity=explain, records every statement
// the running code sends together with its plan, so this test drives the
// real routes and the real worker on generated data (leadmap bench-data) and
// reads the plans of exactly the SQL the code ran — no copies of it here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { childPids, sleep, startStack } from '../lib/stack.mjs';

let stack;
let log;
let entries = [];

/** Parses the slow log into [{sql, plan: [{id, select_type, table, type, key, ...}]}]. */
function parse(text) {
  const out = [];
  let cur = null;
  let cols = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('# User@Host')) {
      cur = { sql: '', plan: [] };
      out.push(cur);
    } else if (cur && line.startsWith('# explain: ')) {
      const cells = line.slice('# explain: '.length).split('\t');
      if (cells[0] === 'id') cols = cells;
      else cur.plan.push(Object.fromEntries(cols.map((c, i) => [c, cells[i]])));
    } else if (cur && !line.startsWith('#') && !line.startsWith('SET timestamp') && !line.startsWith('use ')) {
      cur.sql += `${line}\n`;
    }
  }
  return out;
}

async function replacePool() {
  // the workers' connections predate the slow-log settings: start new ones
  const master = stack.servePid();
  const old = childPids(master);
  process.kill(master, 'SIGHUP');
  for (let i = 0; i < 200 && childPids(master).some((p) => old.includes(p)); i++) await sleep(50);
  await sleep(200);
}

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status !== 429 || i > 40) return l.token;
    await sleep(250);
  }
}

before(async () => {
  stack = await startStack({ workers: 1 });
  const gen = await stack.leadmap(['bench-data', '20000'], { timeoutMs: 300000 });
  assert.equal(gen.code, 0, gen.stderr);
  // a task per owned lead (a third completed): My Current Tasks is read among many
  stack.sql(`INSERT INTO tasks (definition_id, lead_id, occurrence_key, assignee_id, stage, due_at)
    SELECT (SELECT MIN(id) FROM task_definitions), id, 'explain', owner_id, IF(id % 3 = 0, 'completed', 'open'),
      created_at + INTERVAL (id % 90) DAY FROM leads WHERE owner_id IS NOT NULL`);
  stack.sql('ANALYZE TABLE leads, lead_phones, lead_emails, lead_custom_values, tasks');
  log = `${stack.var}/slow-explain.log`;
  stack.sql(`SET GLOBAL slow_query_log_file = '${log}', long_query_time = 0, log_slow_verbosity = 'explain', slow_query_log = 1`);
  await replacePool();
  const agent = await login('agent@example.com');
  const admin = await login('admin@example.com');
  const phone = stack.sqlValue('SELECT digits FROM lead_phones ORDER BY lead_id DESC LIMIT 1');
  const email = stack.sqlValue('SELECT email FROM lead_emails ORDER BY lead_id DESC LIMIT 1');
  const leadId = stack.sqlValue("SELECT id FROM leads WHERE owner_id = (SELECT id FROM users WHERE email = 'agent@example.com') ORDER BY id DESC LIMIT 1");
  for (const [token, path] of [
    [agent, '/api/v1/leads?q=Smi&limit=20'],
    [agent, '/api/v1/leads?q=Smi&sort=created&limit=20'],
    [agent, `/api/v1/leads?phone=${phone}&limit=20`],
    [agent, `/api/v1/leads?email=${encodeURIComponent(email)}&limit=20`],
    [agent, `/api/v1/leads?q=${encodeURIComponent(`+1 ${phone}`)}&limit=20`],
    [agent, `/api/v1/leads?q=${encodeURIComponent(email.slice(0, email.indexOf('@') + 1).toUpperCase())}&limit=20`],
    [admin, '/api/v1/leads?sort=name&limit=50'],
    [admin, '/api/v1/leads?sort=updated&limit=50'],
    [admin, '/api/v1/leads?sort=follow_up&limit=50'],
    [admin, '/api/v1/leads?limit=50'],
    [agent, `/api/v1/leads/${leadId}`],
    [agent, '/api/v1/call-log?tab=to_be_scheduled&limit=50'],
    [agent, '/api/v1/call-log?tab=schedule&limit=50'],
    [agent, '/api/v1/call-log?tab=lead_bank&limit=50'],
    [agent, '/api/v1/call-attempts/due?limit=50'],
    [agent, '/api/v1/tasks?limit=50'],
  ]) {
    const r = await stack.api('GET', path, { token });
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  }
  const aging = await stack.leadmap(['worker', '--once', '--now', new Date(Date.now() + 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z')]);
  assert.equal(aging.code, 0, aging.stderr);
  stack.sql('SET GLOBAL slow_query_log = 0');
  entries = parse(readFileSync(log, 'utf8'));
});
after(() => stack?.stop());

const LEAD_TABLES = new Set(['l', 'leads', 'x']);

/** The logged statements whose SQL matches re (at least one). */
function ran(re) {
  const found = entries.filter((e) => re.test(e.sql));
  assert.ok(found.length > 0, `no statement matching ${re} was run`);
  return found;
}

function noFullScanOfLeads(e) {
  for (const row of e.plan) {
    if (row.select_type === 'INSERT') continue;
    if (LEAD_TABLES.has(row.table) || /^lead_/.test(row.table ?? '')) {
      assert.notEqual(row.type, 'ALL', `full scan of ${row.table}:\n${e.sql}\n${JSON.stringify(e.plan, null, 1)}`);
    }
  }
}

function usesKey(e, table, key) {
  const row = e.plan.find((r) => r.table === table && r.key === key);
  assert.ok(row, `${table} should use ${key}:\n${e.sql}\n${JSON.stringify(e.plan, null, 1)}`);
}

test('no_statement_the_code_ran_scans_a_lead_table_whole', () => {
  const leadStatements = entries.filter((e) => /\b(leads|lead_[a-z]+)\b/.test(e.sql) && e.plan.length);
  assert.ok(leadStatements.length >= 10, `only ${leadStatements.length} lead statements logged`);
  leadStatements.forEach(noFullScanOfLeads);
});

test('lead_search_by_name_phone_and_email_starts_from_their_indexes', () => {
  for (const e of ran(/UNION SELECT id FROM leads WHERE first_name LIKE/)) {
    usesKey(e, 'leads', 'ix_leads_name');
    usesKey(e, 'leads', 'ix_leads_first_name');
    usesKey(e, 'l', 'PRIMARY');
  }
  for (const e of ran(/FROM lead_phones WHERE rdigits LIKE/)) usesKey(e, 'lead_phones', 'ix_lead_phones_rdigits');
  for (const e of ran(/FROM lead_emails WHERE email LIKE /)) usesKey(e, 'lead_emails', 'ix_lead_emails_email');
  for (const e of ran(/lead_id IN \(SELECT j\.id FROM JSON_TABLE/)) {
    assert.ok(e.plan.some((r) => r.table === 'lead_phones' && r.type === 'ref'), JSON.stringify(e.plan));
  }
});

test('a_name_search_in_name_order_reads_the_name_indexes_in_order', () => {
  // (SELECT … WHERE l.last_name LIKE … ORDER BY … LIMIT) UNION (… l.first_name LIKE …)
  for (const e of ran(/FROM \(\(SELECT l\.id FROM leads l WHERE l\.last_name LIKE/)) {
    const rows = e.plan.filter((r) => r.table === 'l');
    const byLast = rows.find((r) => r.key === 'ix_leads_name');
    assert.ok(byLast && !/filesort/i.test(byLast.Extra ?? ''), `last names in index order:\n${JSON.stringify(e.plan, null, 1)}`);
    assert.ok(rows.some((r) => r.key === 'ix_leads_first_name'), `first names by their index:\n${JSON.stringify(e.plan, null, 1)}`);
  }
});

test('lead_list_sorts_walk_their_indexes_in_order', () => {
  const sorted = (re, key) => {
    for (const e of ran(re)) {
      const row = e.plan.find((r) => r.table === 'l');
      assert.ok(row && row.key === key && !/filesort/i.test(row.Extra ?? ''), `${key}, no filesort:\n${e.sql}\n${JSON.stringify(e.plan, null, 1)}`);
    }
  };
  sorted(/FROM leads l WHERE 1 = 1 AND .* ORDER BY l\.last_name, l\.first_name, l\.id LIMIT/s, 'ix_leads_name');
  sorted(/FROM leads l WHERE 1 = 1 AND .* ORDER BY l\.updated_at DESC, l\.id DESC LIMIT/s, 'ix_leads_updated');
  sorted(/FROM leads l WHERE 1 = 1 AND l\.follow_up_at IS NOT NULL .* ORDER BY l\.follow_up_at, l\.id LIMIT/s, 'ix_leads_follow_up');
});

test('my_current_tasks_read_one_range_of_the_open_tasks_index_in_due_order', () => {
  for (const e of ran(/FROM tasks t .*WHERE t\.assignee_id = \d+ AND t\.is_open = 1/s)) {
    const row = e.plan.find((r) => r.table === 't');
    assert.ok(row && row.key === 'ix_tasks_mine' && !/filesort|temporary/i.test(row.Extra ?? ''),
      `ix_tasks_mine in order, no sort of every open task:\n${e.sql}\n${JSON.stringify(e.plan, null, 1)}`);
  }
});

test('a_lead_read_is_primary_key_lookups', () => {
  for (const e of ran(/FROM leads l WHERE l\.id = /)) usesKey(e, 'l', 'PRIMARY');
  // every child list by the lead's key: the primary key, or for call attempts (keyed by
  // their own id) the index that starts with lead_id
  const byLead = (r) => r.key === 'PRIMARY' || (r.table === 'lead_call_attempts' && r.key === 'ix_lead_call_attempts_lead');
  for (const e of ran(/FROM lead_custom_values WHERE lead_id = /)) {
    assert.ok(e.plan.filter((r) => r.table !== null && r.table.startsWith('lead_')).every(byLead), JSON.stringify(e.plan));
  }
});

test('calls_due_read_one_range_of_the_owner_due_index', () => {
  for (const e of ran(/FROM lead_step_values v FORCE INDEX \(ix_lead_step_values_due\)/)) {
    usesKey(e, 'v', 'ix_lead_step_values_due');
    usesKey(e, 'l', 'PRIMARY');
  }
});

test('call_log_tabs_read_one_ordered_index_range', () => {
  for (const e of ran(/call_tab = 'to_be_scheduled'/)) usesKey(e, 'leads', 'ix_leads_call_tab_owner');
  for (const e of ran(/call_tab = 'lead_bank'/)) usesKey(e, 'leads', 'ix_leads_call_tab');
  for (const e of ran(/call_state = 'scheduled'\s+AND \(follow_up_at >/)) usesKey(e, 'leads', 'ix_leads_call_owner');
  // The counts' missed and past-due ranges (for Home) read the owner's state index.
  for (const e of ran(/AND call_state = 'missed' LIMIT 100/)) usesKey(e, 'leads', 'ix_leads_call_owner');
});

test('aging_rules_read_only_the_leads_they_move', () => {
  const moves = ran(/^UPDATE leads SET call_state = /m);
  assert.ok(moves.length >= 5, `${moves.length} aging statements`);
  for (const e of moves) {
    const row = e.plan.find((r) => r.table === 'leads');
    assert.ok(row && row.type === 'range', `aging by range:\n${e.sql}\n${JSON.stringify(e.plan)}`);
  }
});
