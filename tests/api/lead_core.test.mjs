// The lead core's promises: few statements per request (X-Db-Statements),
// settings cached per worker yet never stale, no cap on prepared
// statements, and the one write path reachable without HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let leadId;

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
      await sleep(250);
      continue;
    }
    assert.equal(l.status, 200);
    return l.token;
  }
}

const statements = (r) => Number(r.headers.get('x-db-statements'));

before(async () => {
  // one worker: every request below meets the same cache and statement cache
  stack = await startStack({ workers: 1 });
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  leadId = Number(stack.sqlValue("SELECT id FROM leads WHERE owner_id = (SELECT id FROM users WHERE email = 'agent@example.com') AND archived_at IS NULL ORDER BY id LIMIT 1"));
});
after(() => stack?.stop());

describe('statements per request', () => {
  test('a_lead_read_is_the_user_check_the_row_and_its_lists', async () => {
    await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent }); // warm the cache
    const r = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    assert.equal(r.status, 200);
    assert.equal(statements(r), 3, 'user check, lead row, child lists (the view is audited by the view writer)');
    assert.ok(r.body.phones.length > 0 && typeof r.body.status === 'string');
  });

  test('a_search_page_is_at_most_three_statements', async () => {
    for (const q of ['q=Ro', 'phone=5550100', 'email=ben.rossi1%40example.org', 'state=new']) {
      const r = await stack.api('GET', `/api/v1/leads?${q}&limit=20`, { token: admin });
      assert.equal(r.status, 200, q);
      assert.ok(statements(r) <= 3, `${q}: ${statements(r)} statements`);
    }
  });

  test('an_edit_is_at_most_ten_statements_and_writes_history_in_one', async () => {
    const g = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    const lastId = Number(stack.sqlValue(`SELECT COALESCE(MAX(id), 0) FROM lead_history WHERE lead_id = ${leadId}`));
    const r = await stack.api('PATCH', `/api/v1/leads/${leadId}`, {
      token: agent,
      headers: { 'If-Match': g.headers.get('etag') },
      json: { first_name: `${g.body.first_name}x`, probability: 42 },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(statements(r) <= 12, `${statements(r)} statements (10 + setting and handing back the request's clock)`);
    assert.equal(r.body.version, g.body.version + 1);
    assert.equal(r.body.first_name, `${g.body.first_name}x`);
    // the edit's rows (the touch may add the call-log state too), all from one statement
    const rows = stack.sql(`SELECT field, after_value, action FROM lead_history WHERE lead_id = ${leadId} AND id > ${lastId} ORDER BY id`);
    const fields = rows.map((x) => x[0]);
    assert.ok(fields.includes('first_name') && fields.includes('probability'), fields.join());
    assert.equal(rows.find((x) => x[0] === 'probability')[1], '42');
    assert.ok(rows.every((x) => x[2] === 'edited'));
  });

  test('one_request_one_now_every_row_it_writes_carries_the_same_instant', async () => {
    const g = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    const lastId = Number(stack.sqlValue(`SELECT COALESCE(MAX(id), 0) FROM lead_history WHERE lead_id = ${leadId}`));
    const r = await stack.api('PATCH', `/api/v1/leads/${leadId}`, {
      token: agent, headers: { 'If-Match': g.headers.get('etag') }, json: { probability: 7 },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // the lead UPDATE (updated_at, touched_at) and the history INSERT are separate
    // statements: only one clock for the request makes them the same microsecond
    const [updated, touched] = stack.sql(`SELECT updated_at, touched_at FROM leads WHERE id = ${leadId}`)[0];
    const ats = stack.sql(`SELECT DISTINCT at FROM lead_history WHERE lead_id = ${leadId} AND id > ${lastId}`).map((x) => x[0]);
    assert.deepEqual(ats, [updated], 'history rows at the lead\'s updated_at');
    assert.equal(touched, updated);
    // and the session gets its own clock back: the next statement reads the time again
    const later = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    assert.equal(later.status, 200);
    const now = stack.sqlValue('SELECT UTC_TIMESTAMP(6)');
    assert.ok(now > updated, `${now} after ${updated}`);
  });

  test('an_empty_edit_changes_nothing', async () => {
    const g = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    const historyBefore = stack.sqlValue(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${leadId}`);
    const r = await stack.api('PATCH', `/api/v1/leads/${leadId}`, {
      token: agent, headers: { 'If-Match': g.headers.get('etag') }, json: {},
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, g.body.version);
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${leadId}`), historyBefore);
  });

  test('me_is_the_user_check_alone_and_matches_the_user_record', async () => {
    for (const email of ['agent2@example.com', 'admin@example.com']) {
      const token = await login(email);
      await stack.api('GET', '/api/v1/me', { token }); // warm the cache
      const r = await stack.api('GET', '/api/v1/me', { token });
      assert.equal(r.status, 200);
      assert.equal(statements(r), 1, `${statements(r)} statements`);
      const list = await stack.api('GET', '/api/v1/settings/users?limit=200', { token: admin });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(r.body, list.body.items.find((u) => u.email === email));
    }
  });
});

describe('settings cache', () => {
  test('a_renamed_status_shows_in_the_next_response', async () => {
    const before1 = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    const statusId = before1.body.status_id;
    const name = `Renamed ${Date.now()}`;
    const p = await stack.api('PATCH', `/api/v1/settings/statuses/${statusId}`, { token: admin, json: { name } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const r = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    assert.equal(r.body.status, name);
    assert.notEqual(r.headers.get('x-settings-version'), before1.headers.get('x-settings-version'));
    // the reload happened once: the next read is back to three statements
    const again = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    assert.equal(statements(again), 3);
    const list = await stack.api('GET', `/api/v1/leads?limit=200`, { token: agent });
    assert.equal(list.body.items.find((l) => l.id === leadId).status, name);
  });

  test('a_granted_permission_counts_on_the_next_request', async () => {
    // units and permissions come from the settings cache: a grant must reach it at once
    const token = await login('agent2@example.com');
    const uid = Number(stack.sqlValue("SELECT id FROM users WHERE email = 'agent2@example.com'"));
    assert.deepEqual((await stack.api('GET', '/api/v1/me', { token })).body.permissions, []);
    const p = await stack.api('PATCH', `/api/v1/settings/users/${uid}`, { token: admin, json: { permissions: ['archive.reactivate'] } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.deepEqual((await stack.api('GET', '/api/v1/me', { token })).body.permissions, ['archive.reactivate']);
    const q = await stack.api('PATCH', `/api/v1/settings/users/${uid}`, { token: admin, json: { permissions: [] } });
    assert.equal(q.status, 200, JSON.stringify(q.body));
    assert.deepEqual((await stack.api('GET', '/api/v1/me', { token })).body.permissions, []);
  });

  test('a_renamed_user_shows_as_owner', async () => {
    const name = `Agent ${Date.now()}`;
    const uid = Number(stack.sqlValue("SELECT id FROM users WHERE email = 'agent@example.com'"));
    const p = await stack.api('PATCH', `/api/v1/settings/users/${uid}`, { token: admin, json: { name } });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const r = await stack.api('GET', `/api/v1/leads/${leadId}`, { token: agent });
    assert.equal(r.body.owner, name);
  });
});

describe('statement cache and the write path without HTTP', () => {
  test('one_connection_prepares_more_statements_than_the_old_cap_of_128', async () => {
    const r = await stack.leadmap(['db-statements', '400']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /400 statements prepared on one connection, 400 cached, 0 wrong answers/);
  });

  test('a_lead_created_through_the_service_without_http_is_a_whole_lead', async () => {
    const body = { first_name: 'Cli', last_name: `Made${Date.now()}`, phones: ['+1 555 010 9999'] };
    const r = await stack.leadmap(['lead', 'create', '--as', 'agent@example.com'], { input: JSON.stringify(body) });
    assert.equal(r.code, 0, r.stderr);
    const made = JSON.parse(r.stdout);
    assert.equal(made.last_name, body.last_name);
    assert.equal(made.owner, stack.sqlValue("SELECT name FROM users WHERE email = 'agent@example.com'"));
    const g = await stack.api('GET', `/api/v1/leads/${made.id}`, { token: agent });
    assert.equal(g.status, 200);
    assert.deepEqual(g.body.phones, body.phones);
    assert.equal(g.body.version, made.version);
    assert.equal(stack.sqlValue(`SELECT action FROM lead_history WHERE lead_id = ${made.id}`), 'created');
    assert.equal(stack.sqlValue(`SELECT ip FROM audit_log WHERE action = 'lead.create' AND entity_id = ${made.id}`), 'cli');
  });

  test('the_cli_reports_field_errors_and_writes_nothing', async () => {
    const count = stack.sqlValue('SELECT COUNT(*) FROM leads');
    const r = await stack.leadmap(['lead', 'create', '--as', 'agent@example.com'], { input: '{"first_name":"Nophone"}' });
    assert.equal(r.code, 1);
    const err = JSON.parse(r.stderr.trim().split('\n').pop());
    assert.equal(err.code, 'validation_failed');
    assert.ok(err.fields.phones);
    assert.equal(stack.sqlValue('SELECT COUNT(*) FROM leads'), count);
  });
});
