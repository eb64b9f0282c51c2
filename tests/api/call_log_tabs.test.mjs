// The call-log tabs and what an agent does to move a lead between them:
// PUT /api/v1/leads/{id}/follow-up (future → Schedule, null → To Be
// Scheduled, past → 400, someone else's lead → 404), GET /api/v1/call-log
// (tabs, counts, paging), and archiving (gone from every tab, still found by
// search, back after reactivation by an archive.reactivate user).
//
// The stack's background worker is stopped (it runs on the real clock);
// tests that need aging run `worker --once --now`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, assertEnvelope, startStack, waitFor } from '../lib/stack.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let stack;
let admin;
let agent;
let agent2;
let newStatusId;
let phoneSeq = 0;

before(async () => {
  stack = await startStack();
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  admin = await stack.login('admin@example.com');
  agent = await stack.login('agent@example.com');
  agent2 = await stack.login('agent2@example.com');
  for (const s of [admin, agent, agent2]) assert.equal(s.status, 200, JSON.stringify(s.body));
  const st = await stack.api('GET', '/api/v1/settings/statuses', { token: agent.token });
  newStatusId = st.body.items.find((s) => s.name === 'New').id;
});
after(async () => {
  await stack?.stop();
});

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dbMs = (s) => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
const futureSec = (ahead) => Math.ceil((Date.now() + ahead) / 1000) * 1000;
/** A last name no other lead starts with (search is by prefix). */
const uniqueName = (base) => `${base}${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

async function createLead(last, token = agent.token) {
  phoneSeq += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token,
    json: { first_name: 'Tab', last_name: last, status_id: newStatusId, phones: [`+1 555 500 ${String(phoneSeq).padStart(4, '0')}`] },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

const putFollowUp = (id, value, token = agent.token) =>
  stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token, json: { follow_up_at: value } });

function leadRow(id) {
  const [[call_state, owner_id, follow_up_at, touched_at, version, archived_at]] = stack.sql(
    `SELECT call_state, owner_id, follow_up_at, touched_at, version, archived_at FROM leads WHERE id = ${id}`,
  );
  return { call_state, owner_id, follow_up_at, touched_at, version, archived_at };
}

const historyCount = (id) => Number(stack.sqlValue(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${id}`));

async function tab(name, token = agent.token) {
  const r = await stack.api('GET', `/api/v1/call-log?tab=${name}&limit=200`, { token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.next, null, 'every row on one page');
  return r.body;
}

/** Which tab lists the lead for this agent: 'to_be_scheduled', 'schedule', 'lead_bank' or null. */
async function tabOf(id, token = agent.token) {
  const found = [];
  for (const name of ['to_be_scheduled', 'schedule', 'lead_bank']) {
    if ((await tab(name, token)).items.some((l) => l.id === id)) found.push(name);
  }
  assert.ok(found.length <= 1, `lead ${id} on one tab at most: ${found}`);
  return found[0] ?? null;
}

async function worker(ms) {
  const r = await stack.leadmap(['worker', '--once', '--now', iso(ms)], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `worker --now ${iso(ms)}: ${r.stdout}${r.stderr}`);
}

async function events(token = agent.token) {
  const from = iso(Date.now() - DAY);
  const to = iso(Date.now() + 30 * DAY);
  const r = await stack.api('GET', `/api/v1/calendar/events?from=${from}&to=${to}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.body.items;
}

test('a_future_follow_up_schedules_the_lead_with_agent_history', async () => {
  const id = await createLead('Future');
  assert.equal(await tabOf(id), 'to_be_scheduled', 'a new lead waits on To Be Scheduled');
  const before = leadRow(id);
  const F = futureSec(DAY);
  const r = await putFollowUp(id, iso(F));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.id, id);
  assert.deepEqual([r.body.call_log.state, r.body.call_log.follow_up_at, r.body.call_log.owner_id], ['scheduled', iso(F), agent.user.id]);
  assert.equal(r.headers.get('etag')?.replace(/^W\//, ''), `"v${r.body.version}"`);
  const row = leadRow(id);
  assert.equal(row.call_state, 'scheduled');
  assert.equal(dbMs(row.follow_up_at), F);
  assert.ok(dbMs(row.touched_at) >= dbMs(before.touched_at), 'a reschedule is a touch');
  assert.equal(await tabOf(id), 'schedule');
  const item = (await tab('schedule')).items.find((l) => l.id === id);
  assert.equal(item.call_log.follow_up_at, iso(F));
  assert.equal(item.call_log.color, null);
  const h = stack.sql(
    `SELECT actor_kind, actor_id, action, field, before_value, after_value FROM lead_history WHERE lead_id = ${id} AND action = 'follow_up' ORDER BY field`,
  );
  assert.deepEqual(h, [
    ['agent', String(agent.user.id), 'follow_up', 'call_state', 'not_scheduled', 'scheduled'],
    ['agent', String(agent.user.id), 'follow_up', 'follow_up_at', null, iso(F)],
  ]);
});

test('a_follow_up_with_an_offset_is_stored_as_utc', async () => {
  const id = await createLead('Offset');
  const F = futureSec(DAY);
  // The same instant written in UTC+02:00.
  const local = new Date(F + 2 * HOUR).toISOString().replace(/\.\d{3}Z$/, '+02:00');
  const r = await putFollowUp(id, local);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.call_log.follow_up_at, iso(F));
  assert.equal(dbMs(leadRow(id).follow_up_at), F);
});

test('a_follow_up_in_the_past_or_malformed_is_400_and_changes_nothing', async () => {
  const id = await createLead('Past');
  const before = leadRow(id);
  const count = historyCount(id);
  const cases = [
    { follow_up_at: iso(Date.now() - HOUR) },
    { follow_up_at: iso(Date.now() - 2000) },
    { follow_up_at: 'tomorrow' },
    { follow_up_at: '2030-02-30T09:00:00Z' },
    { follow_up_at: 1893456000 },
    {},
  ];
  for (const json of cases) {
    const r = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token: agent.token, json });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.equal(typeof r.body.error.fields?.follow_up_at, 'string', `${JSON.stringify(json)} → fields.follow_up_at: ${r.text}`);
  }
  const extra = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, {
    token: agent.token,
    json: { follow_up_at: iso(futureSec(DAY)), when: 'soon' },
  });
  assertEnvelope(assert, extra, 400, 'validation_failed');
  assert.equal(typeof extra.body.error.fields?.when, 'string', extra.text);
  assert.deepEqual(leadRow(id), before, 'a refused follow-up leaves the lead as it was');
  assert.equal(historyCount(id), count, 'and writes no history');
});

test('a_null_follow_up_clears_it_back_to_to_be_scheduled', async () => {
  const id = await createLead('Clear');
  const F = futureSec(2 * DAY);
  assert.equal((await putFollowUp(id, iso(F))).status, 200);
  assert.ok((await events()).some((e) => e.lead_id === id), 'on the calendar while scheduled');
  const r = await putFollowUp(id, null);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.call_log.state, 'not_scheduled');
  assert.equal(r.body.call_log.follow_up_at, null);
  const row = leadRow(id);
  assert.equal(row.call_state, 'not_scheduled');
  assert.equal(row.follow_up_at, null);
  assert.equal(await tabOf(id), 'to_be_scheduled');
  assert.ok(!(await events()).some((e) => e.lead_id === id), 'off the calendar once cleared');
  const [h] = stack.sql(
    `SELECT before_value, after_value FROM lead_history WHERE lead_id = ${id} AND action = 'follow_up' AND field = 'follow_up_at' ORDER BY id DESC LIMIT 1`,
  );
  assert.deepEqual(h, [iso(F), null]);
});

test('a_follow_up_on_someone_elses_lead_is_404_and_changes_nothing', async () => {
  const id = await createLead('Mine');
  const before = leadRow(id);
  const count = historyCount(id);
  const r = await putFollowUp(id, iso(futureSec(DAY)), agent2.token);
  assertEnvelope(assert, r, 404, 'not_found');
  const missing = await putFollowUp(999_999_999, iso(futureSec(DAY)), agent2.token);
  assertEnvelope(assert, missing, 404, 'not_found');
  assert.deepEqual(leadRow(id), before);
  assert.equal(historyCount(id), count);
  assert.equal(await tabOf(id, agent2.token), null, "not on agent2's call log");
});

test('rescheduling_a_missed_lead_puts_it_back_on_the_schedule', async () => {
  const id = await createLead('Missed');
  const F = futureSec(2000);
  assert.equal((await putFollowUp(id, iso(F))).status, 200);
  await waitFor(() => Date.now() > F + 500, { timeoutMs: 10_000, intervalMs: 100, what: 'the follow-up to pass' });
  await worker(F + MIN);
  assert.equal(leadRow(id).call_state, 'missed');
  const missed = (await tab('to_be_scheduled')).items.find((l) => l.id === id);
  assert.equal(missed?.call_log.color, 'yellow');
  const F2 = futureSec(DAY);
  const r = await putFollowUp(id, iso(F2));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.call_log.state, 'scheduled');
  assert.equal(leadRow(id).call_state, 'scheduled');
  assert.equal(await tabOf(id), 'schedule');
  const item = (await tab('schedule')).items.find((l) => l.id === id);
  assert.equal(item.call_log.color, null, 'no longer yellow');
});

test('counts_include_your_missed_and_past_due_leads_even_with_limit_1', async () => {
  const missed = await createLead(uniqueName('Missed'));
  const pastDue = await createLead(uniqueName('PastDue'));
  // What the aging job would do; the counts read the state as it is.
  stack.sql(`UPDATE leads SET call_state = 'missed' WHERE id = ${missed}`);
  stack.sql(`UPDATE leads SET call_state = 'past_due' WHERE id = ${pastDue}`);
  const dbCounts = (uid) =>
    stack.sql(
      `SELECT (SELECT COUNT(*) FROM leads WHERE owner_id = ${uid} AND call_state = 'missed'),
              (SELECT COUNT(*) FROM leads WHERE owner_id = ${uid} AND call_state = 'past_due')`,
    )[0].map(Number);
  for (const who of [agent, agent2]) {
    const r = await stack.api('GET', '/api/v1/call-log?tab=to_be_scheduled&limit=1', { token: who.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length <= 1);
    assert.deepEqual([r.body.counts.missed, r.body.counts.past_due], dbCounts(who.user.id));
  }
  const mine = (await stack.api('GET', '/api/v1/call-log?limit=1', { token: agent.token })).body.counts;
  assert.ok(mine.missed >= 1 && mine.past_due >= 1, JSON.stringify(mine));
  // Every tab answers the same counts.
  const bank = (await stack.api('GET', '/api/v1/call-log?tab=lead_bank&limit=1', { token: agent.token })).body.counts;
  assert.deepEqual(bank, mine);
  stack.sql(`UPDATE leads SET call_state = 'not_scheduled' WHERE id IN (${missed}, ${pastDue})`);
  const after = (await stack.api('GET', '/api/v1/call-log?limit=1', { token: agent.token })).body.counts;
  assert.deepEqual([after.missed, after.past_due], [mine.missed - 1, mine.past_due - 1]);
});

test('tab_counts_match_the_db_and_paging_visits_each_row_once', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await createLead(`Page${i}`));
  const tbs = await tab('to_be_scheduled');
  const uid = agent.user.id;
  const dbCounts = stack.sql(
    `SELECT (SELECT COUNT(*) FROM leads WHERE owner_id = ${uid} AND call_state IN ('not_scheduled', 'missed', 'past_due')),
            (SELECT COUNT(*) FROM leads WHERE owner_id = ${uid} AND call_state = 'scheduled'),
            (SELECT COUNT(*) FROM leads WHERE call_state IN ('abandoned', 'available'))`,
  )[0].map(Number);
  assert.deepEqual([tbs.counts.to_be_scheduled, tbs.counts.schedule, tbs.counts.lead_bank], dbCounts);
  assert.equal(tbs.items.length, tbs.counts.to_be_scheduled);
  for (const id of ids) assert.ok(tbs.items.some((l) => l.id === id));
  const seen = [];
  let after = null;
  for (let page = 0; page < 100; page++) {
    const r = await stack.api('GET', `/api/v1/call-log?tab=to_be_scheduled&limit=2${after ? `&after=${after}` : ''}`, { token: agent.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length <= 2);
    seen.push(...r.body.items.map((l) => l.id));
    after = r.body.next;
    if (!after) break;
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), tbs.items.map((l) => l.id).sort((a, b) => a - b));
  assert.equal(new Set(seen).size, seen.length, 'no row twice');

  for (const q of ['tab=archive', 'limit=0', 'limit=201', 'after=x']) {
    const r = await stack.api('GET', `/api/v1/call-log?${q}`, { token: agent.token });
    assertEnvelope(assert, r, 400, 'validation_failed');
    const field = q.split('=')[0];
    assert.equal(typeof r.body.error.fields?.[field], 'string', `${q} → fields.${field}: ${r.text}`);
  }
  assertEnvelope(assert, await stack.api('GET', '/api/v1/call-log'), 401);
});

test('archiving_removes_the_lead_from_every_tab_but_search_still_finds_it', async () => {
  const last = uniqueName('Zarchive');
  const id = await createLead(last);
  const F = futureSec(2 * DAY);
  assert.equal((await putFollowUp(id, iso(F))).status, 200);
  const before = await tab('schedule');

  const noReason = await stack.api('POST', `/api/v1/leads/${id}/actions/archive`, { token: agent.token, json: {} });
  assertEnvelope(assert, noReason, 400, 'validation_failed');
  assert.equal(typeof noReason.body.error.fields?.reason, 'string', noReason.text);
  assert.equal(leadRow(id).call_state, 'scheduled', 'a refused archive changes nothing');

  const r = await stack.api('POST', `/api/v1/leads/${id}/actions/archive`, {
    token: agent.token,
    json: { reason: 'Asked not to be contacted' },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.archived, true);
  assert.equal(r.body.archive_reason, 'Asked not to be contacted');
  assert.equal(r.body.call_log.state, 'archived');
  const row = leadRow(id);
  assert.equal(row.call_state, 'archived');
  assert.notEqual(row.archived_at, null);
  assert.equal(row.owner_id, String(agent.user.id), 'nothing is lost: the owner stays');
  assert.equal(await tabOf(id), null, 'on no tab');
  assert.equal(await tabOf(id, admin.token), null, 'on no tab, not even the Lead Bank');
  assert.equal((await tab('schedule')).counts.schedule, before.counts.schedule - 1);
  assert.ok(!(await events()).some((e) => e.lead_id === id), 'off the calendar');

  const s = await stack.api('GET', `/api/v1/leads?q=${last}`, { token: agent.token });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.body.items.map((l) => l.id), [id], 'search finds the archived lead');
  assert.equal(s.body.items[0].archived, true);
  assert.equal(s.body.items[0].call_state, 'archived');

  // Aging leaves archived leads alone, however far the clock moves.
  const count = historyCount(id);
  await worker(F + 30 * DAY);
  assert.equal(leadRow(id).call_state, 'archived');
  assert.equal(historyCount(id), count, 'no system history for an archived lead');
});

test('only_archive_reactivate_users_bring_an_archived_lead_back_onto_the_call_log', async () => {
  const id = await createLead(uniqueName('Zreact'));
  const F = futureSec(2 * DAY);
  assert.equal((await putFollowUp(id, iso(F))).status, 200);
  const a = await stack.api('POST', `/api/v1/leads/${id}/actions/archive`, { token: agent.token, json: { reason: 'Moved away' } });
  assert.equal(a.status, 200, a.text);

  const denied = await stack.api('POST', `/api/v1/leads/${id}/actions/reactivate`, { token: agent.token });
  assertEnvelope(assert, denied, 403);
  assert.equal(leadRow(id).call_state, 'archived');

  const r = await stack.api('POST', `/api/v1/leads/${id}/actions/reactivate`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.archived, false);
  assert.equal(r.body.call_log.state, 'scheduled', 'the follow-up is still ahead: back on the Schedule');
  const row = leadRow(id);
  assert.equal(row.call_state, 'scheduled');
  assert.equal(row.archived_at, null);
  assert.equal(await tabOf(id), 'schedule');
  assert.ok((await events()).some((e) => e.lead_id === id), 'back on the calendar');
});

test('reactivating_counts_as_a_touch_so_the_lead_does_not_age_at_once', async () => {
  // PRODUCT §5: "Touched" = any agent action on the lead. A lead archived
  // ten days ago and reactivated today is freshly worked: it belongs on its
  // owner's To Be Scheduled tab, not straight in the Lead Bank.
  const id = await createLead(uniqueName('Zold'));
  const a = await stack.api('POST', `/api/v1/leads/${id}/actions/archive`, { token: agent.token, json: { reason: 'On hold' } });
  assert.equal(a.status, 200, a.text);
  // Backdate the lead's clocks by ten days (the API only acts "now").
  const idle = stack.sqlValue("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'leads' AND column_name = 'idle_since'");
  stack.sql(
    `UPDATE leads SET touched_at = touched_at - INTERVAL 10 DAY, call_state_at = call_state_at - INTERVAL 10 DAY,
       archived_at = archived_at - INTERVAL 10 DAY${idle === '1' ? ', idle_since = idle_since - INTERVAL 10 DAY' : ''} WHERE id = ${id}`,
  );
  const r = await stack.api('POST', `/api/v1/leads/${id}/actions/reactivate`, { token: admin.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(leadRow(id).call_state, 'not_scheduled');
  await worker(futureSec(MIN));
  const row = leadRow(id);
  assert.equal(row.call_state, 'not_scheduled', 'a lead reactivated a minute ago is not abandoned');
  assert.equal(row.owner_id, String(agent.user.id));
});
