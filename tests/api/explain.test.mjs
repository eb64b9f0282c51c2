// The list queries and the aging rules use their indexes: EXPLAIN on generated
// data (leadmap bench-data) names an index and never a full scan of leads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';

let stack;
let agentId;

before(async () => {
  stack = await startStack();
  const gen = await stack.leadmap(['bench-data', '20000'], { timeoutMs: 120000 });
  assert.equal(gen.code, 0, gen.stderr);
  stack.sql('ANALYZE TABLE leads, lead_phones, lead_emails');
  agentId = stack.sql("SELECT id FROM users WHERE email = 'agent@example.com'")[0][0];
});
after(() => stack?.stop());

// EXPLAIN rows: id, select_type, table, type, possible_keys, key, key_len, ref, rows, Extra
function plan(query) {
  return stack.sql(`EXPLAIN ${query}`).filter((r) => r[2] === 'l' || r[2] === 'leads');
}

function assertIndexed(query, wantKey) {
  const rows = plan(query);
  assert.ok(rows.length > 0, `no plan row for leads: ${query}`);
  for (const r of rows) {
    assert.notEqual(r[3], 'ALL', `full scan of leads: ${query}\n${JSON.stringify(r)}`);
    assert.notEqual(r[5], 'NULL', `no index for leads: ${query}\n${JSON.stringify(r)}`);
    if (wantKey) assert.equal(r[5], wantKey, `index for ${query}`);
  }
}

test('call_log_tabs_read_one_ordered_index_range', () => {
  assertIndexed(`SELECT l.id FROM leads l WHERE l.owner_id = ${agentId} AND l.call_tab = 'to_be_scheduled' AND l.id > 0 ORDER BY l.id LIMIT 51`, 'ix_leads_call_tab_owner');
  assertIndexed(`SELECT l.id FROM leads l WHERE l.call_tab = 'lead_bank' AND l.id > 0 ORDER BY l.id LIMIT 51`, 'ix_leads_call_tab');
  assertIndexed(`SELECT l.id FROM leads l WHERE l.owner_id = ${agentId} AND l.call_state = 'scheduled' AND (l.follow_up_at > FROM_UNIXTIME(0) OR (l.follow_up_at = FROM_UNIXTIME(0) AND l.id > 0)) ORDER BY l.follow_up_at, l.id LIMIT 51`, 'ix_leads_call_owner');
});

test('aging_rules_read_only_the_leads_they_move', () => {
  const now = "CAST('2030-01-01 00:00:00' AS DATETIME(6))";
  assertIndexed(`SELECT id FROM leads l WHERE call_state = 'scheduled' AND follow_up_at <= ${now} AND touched_at < follow_up_at`);
  assertIndexed(`SELECT id FROM leads l WHERE call_state IN ('not_scheduled', 'missed') AND idle_since <= CAST('2020-01-01' AS DATETIME(6))`);
  assertIndexed(`SELECT id FROM leads l WHERE call_state = 'abandoned' AND call_state_at <= CAST('2020-01-01' AS DATETIME(6))`);
});

test('lead_search_by_phone_email_and_name_uses_indexes', () => {
  assertIndexed(`SELECT id FROM leads l WHERE l.last_name LIKE 'Smi%' ORDER BY l.id DESC LIMIT 51`);
  const phone = stack.sql('EXPLAIN SELECT lead_id FROM lead_phones WHERE rdigits LIKE CONCAT(REVERSE(\'5550001234\'), \'%\')');
  assert.equal(phone[0][5], 'ix_lead_phones_rdigits', JSON.stringify(phone));
  const email = stack.sql("EXPLAIN SELECT lead_id FROM lead_emails WHERE email = 'lead5@example.net'");
  assert.equal(email[0][5], 'ix_lead_emails_email', JSON.stringify(email));
});
