// Lead Bank claims: POST /api/v1/leads/{id}/actions/claim {"follow_up_at"}
// reassigns an abandoned or available lead to the caller and schedules it;
// first come, first served under concurrent claims (exactly one 200, every
// other claim 409 not_in_lead_bank), one recorded claim. A Lead Bank lead
// is claimed, not worked: others' notes and follow-ups are refused.
//
// The stack's background worker is stopped (it runs on the real clock); the
// leads reach the Lead Bank through `worker --once --now` far ahead.
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
const extra = []; // five more agents, logged in
let newStatusId;
let phoneSeq = 0;

before(async () => {
  stack = await startStack({ workers: 4 });
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  admin = await stack.login('admin@example.com');
  agent = await stack.login('agent@example.com');
  agent2 = await stack.login('agent2@example.com');
  for (const s of [admin, agent, agent2]) assert.equal(s.status, 200, JSON.stringify(s.body));
  for (let i = 0; i < 5; i++) {
    const email = `claimer${i}@example.com`;
    const u = await stack.api('POST', '/api/v1/settings/users', {
      token: admin.token,
      json: { email, name: `Claimer ${i}`, role: 'agent', password: 'correct-horse-1' },
    });
    assert.equal(u.status, 201, u.text);
    const s = await stack.login(email, 'correct-horse-1');
    assert.equal(s.status, 200, JSON.stringify(s.body));
    extra.push(s);
  }
  const st = await stack.api('GET', '/api/v1/settings/statuses', { token: agent.token });
  newStatusId = st.body.items.find((s) => s.name === 'New').id;
});
after(async () => {
  await stack?.stop();
});

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dbMs = (s) => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
const futureSec = (ahead) => Math.ceil((Date.now() + ahead) / 1000) * 1000;

async function createLead(last) {
  phoneSeq += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token: agent.token,
    json: { first_name: 'Bank', last_name: last, status_id: newStatusId, phones: [`+1 555 600 ${String(phoneSeq).padStart(4, '0')}`] },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function worker(ms) {
  const r = await stack.leadmap(['worker', '--once', '--now', iso(ms)], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `worker --now ${iso(ms)}: ${r.stdout}${r.stderr}`);
}

/** A lead of agent@example.com aged into the Lead Bank: 'abandoned' (still owned) or 'available'. */
async function bankLead(last, state) {
  const id = await createLead(last);
  const F = futureSec(2 * MIN);
  const r = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token: agent.token, json: { follow_up_at: iso(F) } });
  assert.equal(r.status, 200, r.text);
  await worker(F + 3 * DAY);
  if (state === 'available') await worker(F + 8 * DAY);
  assert.equal(leadRow(id).call_state, state);
  return id;
}

function leadRow(id) {
  const [[call_state, owner_id, follow_up_at, touched_at, version]] = stack.sql(
    `SELECT call_state, owner_id, follow_up_at, touched_at, version FROM leads WHERE id = ${id}`,
  );
  return { call_state, owner_id, follow_up_at, touched_at, version };
}

const claim = (id, token, json) => stack.api('POST', `/api/v1/leads/${id}/actions/claim`, { token, json });
const claimRows = (id) =>
  stack.sql(`SELECT actor_kind, actor_id, field, before_value, after_value FROM lead_history WHERE lead_id = ${id} AND action = 'claim' ORDER BY field`);

test('twenty_concurrent_claims_one_wins_the_rest_get_409_not_in_lead_bank', async () => {
  const id = await bankLead('Race', 'available');
  assert.equal(leadRow(id).owner_id, null);
  const claimers = [agent, agent2, ...extra];
  const base = futureSec(DAY);
  // Each request asks for its own follow-up time, so the stored one tells whose claim won.
  const requests = Array.from({ length: 20 }, (_, i) => ({ who: claimers[i % claimers.length], at: iso(base + i * MIN) }));
  const results = await Promise.all(requests.map((q) => claim(id, q.who.token, { follow_up_at: q.at })));
  const statuses = results.map((r) => `${r.status}${r.body?.error ? ` ${r.body.error.code}` : ''}`);
  const won = results.map((r, i) => [r, requests[i]]).filter(([r]) => r.status === 200);
  assert.equal(won.length, 1, `exactly one claim wins: ${statuses}`);
  const [winRes, winReq] = won[0];

  assert.equal(winRes.body.owner_id, winReq.who.user.id);
  assert.equal(winRes.body.call_log.state, 'scheduled');
  assert.equal(winRes.body.call_log.follow_up_at, winReq.at);
  const row = leadRow(id);
  assert.equal(row.owner_id, String(winReq.who.user.id), 'the winner owns the lead');
  assert.equal(row.call_state, 'scheduled');
  assert.equal(dbMs(row.follow_up_at), Date.parse(winReq.at), "the winner's follow-up is stored");
  const rows = claimRows(id);
  assert.equal(rows.filter((h) => h[2] === 'owner_id').length, 1, `one recorded claim: ${JSON.stringify(rows)}`);
  assert.ok(rows.every((h) => h[0] === 'agent' && h[1] === String(winReq.who.user.id)), `every claim row is the winner's: ${JSON.stringify(rows)}`);
  assert.deepEqual(rows.find((h) => h[2] === 'owner_id').slice(3), [null, String(winReq.who.user.id)]);
  assert.equal(Number(stack.sqlValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'lead.claim' AND entity_id = ${id}`)), 1);

  // On the winner's Schedule tab, gone from everyone's Lead Bank.
  const sched = await stack.api('GET', '/api/v1/call-log?tab=schedule&limit=200', { token: winReq.who.token });
  assert.ok(sched.body.items.some((l) => l.id === id), "on the winner's Schedule tab");
  const bank = await stack.api('GET', '/api/v1/call-log?tab=lead_bank&limit=200', { token: agent2.token });
  assert.ok(!bank.body.items.some((l) => l.id === id), 'no longer in the Lead Bank');

  // Every loser is told the lead was claimed first, whether its request
  // reached the server before or after the winner's commit.
  const tally = {};
  for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
  assert.deepEqual(tally, { 200: 1, '409 not_in_lead_bank': 19 }, `answers: ${statuses}`);
  for (const r of results.filter((x) => x.status !== 200)) assertEnvelope(assert, r, 409, 'not_in_lead_bank');
});

test('a_claim_after_someone_else_claimed_is_409_not_in_lead_bank', async () => {
  // The same answer as a loser of the race gets, also when the claim
  // arrives after the winner's commit (a stale Lead Bank page).
  const id = await bankLead('Late', 'available');
  const first = await claim(id, extra[0].token, { follow_up_at: iso(futureSec(DAY)) });
  assert.equal(first.status, 200, first.text);
  const late = await claim(id, extra[1].token, { follow_up_at: iso(futureSec(DAY)) });
  assertEnvelope(assert, late, 409, 'not_in_lead_bank');
  assert.equal(leadRow(id).owner_id, String(extra[0].user.id));
  assert.equal(claimRows(id).filter((h) => h[2] === 'owner_id').length, 1);
});

test('a_claim_without_a_future_follow_up_is_400_and_the_lead_stays_in_the_bank', async () => {
  const id = await bankLead('NoDate', 'available');
  const before = leadRow(id);
  for (const json of [{}, { follow_up_at: null }, { follow_up_at: iso(Date.now() - HOUR) }, { follow_up_at: 'next week' }]) {
    const r = await claim(id, agent2.token, json);
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.equal(typeof r.body.error.fields?.follow_up_at, 'string', `${JSON.stringify(json)} → fields.follow_up_at: ${r.text}`);
  }
  assert.deepEqual(leadRow(id), before, 'still available, still unowned');
  assert.equal(claimRows(id).length, 0);
});

test('claiming_an_abandoned_lead_moves_it_from_its_old_owner', async () => {
  const id = await bankLead('Abandoned', 'abandoned');
  assert.equal(leadRow(id).owner_id, String(agent.user.id), 'abandoned: still owned');
  const F = futureSec(DAY);
  const r = await claim(id, agent2.token, { follow_up_at: iso(F) });
  assert.equal(r.status, 200, r.text);
  const row = leadRow(id);
  assert.deepEqual([row.call_state, row.owner_id, dbMs(row.follow_up_at)], ['scheduled', String(agent2.user.id), F]);
  assert.deepEqual(claimRows(id).find((h) => h[2] === 'owner_id').slice(3), [String(agent.user.id), String(agent2.user.id)]);
  const mine = await stack.api('GET', '/api/v1/call-log?tab=schedule&limit=200', { token: agent.token });
  assert.ok(!mine.body.items.some((l) => l.id === id), "off the old owner's call log");
  const theirs = await stack.api('GET', '/api/v1/call-log?tab=schedule&limit=200', { token: agent2.token });
  assert.ok(theirs.body.items.some((l) => l.id === id), "on the claimer's Schedule tab");
});

test('a_lead_outside_the_lead_bank_cannot_be_claimed', async () => {
  const id = await createLead('Scheduled');
  const put = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token: agent.token, json: { follow_up_at: iso(futureSec(DAY)) } });
  assert.equal(put.status, 200, put.text);
  const before = leadRow(id);
  // A lead that is not in the Lead Bank cannot be claimed: 409 for whom it is in sight,
  // 404 for whom it is not (as for a lead that does not exist: a claim reveals no ids).
  // The losers of a race still hear "claimed": see the concurrent claims above.
  assertEnvelope(assert, await claim(id, agent.token, { follow_up_at: iso(futureSec(2 * DAY)) }), 409, 'not_in_lead_bank');
  assertEnvelope(assert, await claim(id, agent2.token, { follow_up_at: iso(futureSec(2 * DAY)) }), 404, 'not_found');
  assertEnvelope(assert, await claim(99999999, agent2.token, { follow_up_at: iso(futureSec(2 * DAY)) }), 404, 'not_found');
  assert.deepEqual(leadRow(id), before);
  assert.equal(claimRows(id).length, 0);
});

test('others_must_claim_a_lead_bank_lead_before_working_it', async () => {
  const id = await bankLead('Hands', 'available');
  const before = leadRow(id);
  const note = await stack.api('POST', `/api/v1/leads/${id}/notes`, { token: agent2.token, json: { body: 'Just a note.' } });
  assertEnvelope(assert, note, 403, 'claim_first');
  const fu = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token: agent2.token, json: { follow_up_at: iso(futureSec(DAY)) } });
  assertEnvelope(assert, fu, 403, 'claim_first');
  assert.deepEqual(leadRow(id), before, 'the lead stays in the bank, untouched');
  // Reading it is fine: the whole company sees the Lead Bank.
  const get = await stack.api('GET', `/api/v1/leads/${id}`, { token: agent2.token });
  assert.equal(get.status, 200, get.text);
  assert.equal(get.body.call_log.state, 'available');
});
