// Call-log aging (PRODUCT.md §5, store/call_log.c DESIGN): `leadmap worker
// --once --now T` moves a lead scheduled → missed (yellow) → past_due (red)
// → abandoned (Lead Bank, still owned) → available (owner cleared), each step
// written to lead_history as actor 'system' with its rule; a second pass
// with the same now changes nothing; concurrent passes never double-apply; a
// touch restarts the clock.
//
// The stack's own background worker is stopped in before(): it runs on the
// real clock, and these tests move the clock only through --now.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, sleep, startStack, waitFor } from '../lib/stack.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let stack;
let admin;
let agent; // a fresh agent: its tab counts hold only this file's leads
let newStatusId;
let phoneSeq = 0;

before(async () => {
  stack = await startStack();
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  admin = await stack.login('admin@example.com');
  assert.equal(admin.status, 200, JSON.stringify(admin.body));
  // agent@example.com owns demo leads that age along with ours on every
  // worker pass; an agent of its own makes the per-owner counts exact.
  const demoAgent = await stack.login('agent@example.com');
  const u = await stack.api('POST', '/api/v1/settings/users', {
    token: admin.token,
    json: { email: 'aging-agent@example.com', name: 'Aging Agent', role: 'agent', password: 'correct-horse-1', group_id: demoAgent.user.group_id },
  });
  assert.equal(u.status, 201, u.text);
  agent = await stack.login('aging-agent@example.com', 'correct-horse-1');
  assert.equal(agent.status, 200, JSON.stringify(agent.body));
  const st = await stack.api('GET', '/api/v1/settings/statuses', { token: admin.token });
  newStatusId = st.body.items.find((s) => s.name === 'New').id;
});
after(async () => {
  await stack?.stop();
});

/** ISO UTC with whole seconds, as --now and follow_up_at take it. */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A DATETIME(6) string from the DB ('2026-11-25 18:35:17.675560') as epoch ms. */
const dbMs = (s) => Date.parse(`${s.replace(' ', 'T').slice(0, 23)}Z`);
/** The instant `ahead` ms from now, rounded up to a whole second. */
const futureSec = (ahead) => Math.ceil((Date.now() + ahead) / 1000) * 1000;

async function createLead(last) {
  phoneSeq += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token: agent.token,
    json: { first_name: 'Aging', last_name: last, status_id: newStatusId, phones: [`+1 555 300 ${String(phoneSeq).padStart(4, '0')}`] },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.call_log.state, 'not_scheduled');
  return r.body.id;
}

async function setFollowUp(id, ms) {
  const r = await stack.api('PUT', `/api/v1/leads/${id}/follow-up`, { token: agent.token, json: { follow_up_at: iso(ms) } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.call_log.state, 'scheduled');
  assert.equal(r.body.call_log.follow_up_at, iso(ms));
  return r.body;
}

async function worker(ms) {
  const r = await stack.leadmap(['worker', '--once', '--now', iso(ms)], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `worker --now ${iso(ms)}: ${r.stdout}${r.stderr}`);
}

function leadRow(id) {
  const [r] = stack.sql(`SELECT call_state, owner_id, follow_up_at, touched_at, call_state_at, version FROM leads WHERE id = ${id}`);
  const [call_state, owner_id, follow_up_at, touched_at, call_state_at, version] = r;
  return { call_state, owner_id, follow_up_at, touched_at, call_state_at, version };
}

function systemHistory(id) {
  return stack
    .sql(
      `SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ'), actor_kind, actor_id, action, field, before_value, after_value, rule
       FROM lead_history WHERE lead_id = ${id} AND actor_kind = 'system' ORDER BY id`,
    )
    .map(([at, actor_kind, actor_id, action, field, before, after, rule]) => ({ at, actor_kind, actor_id, action, field, before, after, rule }));
}

const historyCount = (id) => Number(stack.sqlValue(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${id}`));

async function tab(name) {
  const r = await stack.api('GET', `/api/v1/call-log?tab=${name}&limit=200`, { token: agent.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.next, null, 'every row on one page');
  return r.body;
}

const bankCountInDb = () => Number(stack.sqlValue("SELECT COUNT(*) FROM leads WHERE call_state IN ('abandoned', 'available')"));

/** Asserts the one new system history row of a transition. */
function assertTransition(id, seenBefore, { at, from, to, rule }) {
  const rows = systemHistory(id).slice(seenBefore);
  const stateRows = rows.filter((h) => h.field === 'call_state');
  assert.equal(stateRows.length, 1, `one call_state history row for ${from} → ${to}: ${JSON.stringify(rows)}`);
  assert.deepEqual(stateRows[0], { at: iso(at), actor_kind: 'system', actor_id: null, action: 'call_log', field: 'call_state', before: from, after: to, rule });
  return rows;
}

test('scheduled_lead_ages_missed_past_due_abandoned_available_with_system_history', async () => {
  const id = await createLead('Walk');
  const F = futureSec(2 * MIN);
  await setFollowUp(id, F);
  let row = leadRow(id);
  assert.equal(row.call_state, 'scheduled');
  assert.equal(dbMs(row.follow_up_at), F);
  let sched = await tab('schedule');
  assert.ok(sched.items.some((l) => l.id === id), 'on the Schedule tab once scheduled');
  assert.deepEqual({ tbs: sched.counts.to_be_scheduled, schedule: sched.counts.schedule }, { tbs: 0, schedule: 1 });

  // Not yet: the follow-up is still ahead of this instant.
  await worker(F - 1000);
  assert.equal(leadRow(id).call_state, 'scheduled', 'not missed one second before the follow-up');
  assert.equal(systemHistory(id).length, 0);

  // follow-up passed, untouched since → missed, yellow, To Be Scheduled
  await worker(F + HOUR);
  row = leadRow(id);
  assert.equal(row.call_state, 'missed');
  assert.equal(dbMs(row.call_state_at), F + HOUR, 'call_state_at is the pass instant');
  assert.equal(row.owner_id, String(agent.user.id));
  assertTransition(id, 0, { at: F + HOUR, from: 'scheduled', to: 'missed', rule: 'follow_up_passed' });
  let tbs = await tab('to_be_scheduled');
  let item = tbs.items.find((l) => l.id === id);
  assert.ok(item, 'a missed lead is on To Be Scheduled');
  assert.equal(item.call_log.state, 'missed');
  assert.equal(item.call_log.color, 'yellow');
  assert.deepEqual({ tbs: tbs.counts.to_be_scheduled, schedule: tbs.counts.schedule }, { tbs: 1, schedule: 0 });
  sched = await tab('schedule');
  assert.ok(!sched.items.some((l) => l.id === id), 'no longer on the Schedule tab');

  // idle (since the passed follow-up) 2 days → past_due, red
  await worker(F + 2 * DAY - 1000);
  assert.equal(leadRow(id).call_state, 'missed', 'not past due one second early');
  await worker(F + 2 * DAY);
  row = leadRow(id);
  assert.equal(row.call_state, 'past_due');
  assertTransition(id, 1, { at: F + 2 * DAY, from: 'missed', to: 'past_due', rule: 'untouched_past_due_days' });
  tbs = await tab('to_be_scheduled');
  item = tbs.items.find((l) => l.id === id);
  assert.ok(item, 'a past-due lead is on To Be Scheduled');
  assert.equal(item.call_log.state, 'past_due');
  assert.equal(item.call_log.color, 'red');
  assert.equal(tbs.counts.to_be_scheduled, 1);

  // idle 3 days → abandoned: Lead Bank, still owned
  await worker(F + 3 * DAY);
  row = leadRow(id);
  assert.equal(row.call_state, 'abandoned');
  assert.equal(row.owner_id, String(agent.user.id), 'an abandoned lead keeps its owner');
  assert.equal(dbMs(row.call_state_at), F + 3 * DAY);
  assertTransition(id, 2, { at: F + 3 * DAY, from: 'past_due', to: 'abandoned', rule: 'untouched_abandoned_days' });
  tbs = await tab('to_be_scheduled');
  assert.ok(!tbs.items.some((l) => l.id === id), 'abandoned leaves To Be Scheduled');
  assert.equal(tbs.counts.to_be_scheduled, 0);
  let bank = await tab('lead_bank');
  item = bank.items.find((l) => l.id === id);
  assert.ok(item, 'an abandoned lead is in the Lead Bank');
  assert.equal(item.call_log.state, 'abandoned');
  assert.equal(item.call_log.owner_id, agent.user.id);
  assert.equal(item.call_log.color, null);
  assert.equal(bank.counts.lead_bank, bankCountInDb());

  // abandoned 5 days → available, owner cleared (and the lead's version moves)
  const versionBefore = Number(row.version);
  await worker(F + 8 * DAY - 1000);
  assert.equal(leadRow(id).call_state, 'abandoned', 'still abandoned one second before 5 days');
  await worker(F + 8 * DAY);
  row = leadRow(id);
  assert.equal(row.call_state, 'available');
  assert.equal(row.owner_id, null, 'owner cleared when available');
  assert.equal(Number(row.version), versionBefore + 1);
  const rows = assertTransition(id, 3, { at: F + 8 * DAY, from: 'abandoned', to: 'available', rule: 'abandoned_available_days' });
  const ownerRows = rows.filter((h) => h.field === 'owner_id');
  assert.equal(ownerRows.length, 1, `one owner_id history row: ${JSON.stringify(rows)}`);
  assert.deepEqual(ownerRows[0], {
    at: iso(F + 8 * DAY), actor_kind: 'system', actor_id: null, action: 'call_log', field: 'owner_id',
    before: String(agent.user.id), after: null, rule: 'abandoned_available_days',
  });
  bank = await tab('lead_bank');
  item = bank.items.find((l) => l.id === id);
  assert.ok(item, 'an available lead is in the Lead Bank');
  assert.equal(item.call_log.state, 'available');
  assert.equal(item.call_log.owner_id, null);
  assert.equal(bank.counts.lead_bank, bankCountInDb());
  assert.deepEqual({ tbs: bank.counts.to_be_scheduled, schedule: bank.counts.schedule }, { tbs: 0, schedule: 0 });

  // The API's history shows the same system rows with their rules.
  const h = await stack.api('GET', `/api/v1/leads/${id}/history?limit=200`, { token: agent.token });
  assert.equal(h.status, 200, h.text);
  const sys = h.body.items.filter((x) => x.actor_kind === 'system');
  assert.deepEqual(
    sys.map((x) => `${x.field}:${x.before}->${x.after}:${x.rule}`).sort(),
    [
      'call_state:abandoned->available:abandoned_available_days',
      'call_state:missed->past_due:untouched_past_due_days',
      'call_state:past_due->abandoned:untouched_abandoned_days',
      'call_state:scheduled->missed:follow_up_passed',
      `owner_id:${agent.user.id}->null:abandoned_available_days`,
    ],
  );
  assert.ok(sys.every((x) => x.actor_id === null && x.action === 'call_log'));
});

test('a_lead_idle_long_enough_skips_past_due_straight_to_abandoned', async () => {
  const id = await createLead('Skip');
  const F = futureSec(2 * MIN);
  await setFollowUp(id, F);
  await worker(F + 3 * DAY);
  assert.equal(leadRow(id).call_state, 'abandoned');
  const rows = systemHistory(id);
  assert.deepEqual(
    rows.map((h) => `${h.before}->${h.after}:${h.rule}`),
    ['scheduled->missed:follow_up_passed', 'missed->abandoned:untouched_abandoned_days'],
  );
});

function snapshot() {
  return {
    leads: stack.sql('SELECT id, call_state, call_state_at, version, owner_id FROM leads ORDER BY id'),
    history: stack.sqlValue('SELECT COUNT(*) FROM lead_history'),
  };
}

test('a_second_pass_with_the_same_now_changes_nothing', async () => {
  const id = await createLead('Twice');
  const F = futureSec(2 * MIN);
  await setFollowUp(id, F);
  for (const [T, state] of [
    [F + 2 * DAY, 'past_due'],
    [F + 3 * DAY, 'abandoned'],
    [F + 8 * DAY, 'available'],
  ]) {
    await worker(T);
    const first = leadRow(id);
    assert.equal(first.call_state, state, `state after the first pass at ${iso(T)}`);
    const count = historyCount(id);
    const all = snapshot();
    await worker(T);
    const second = leadRow(id);
    assert.deepEqual(
      [second.call_state, second.call_state_at, second.version, second.owner_id],
      [first.call_state, first.call_state_at, first.version, first.owner_id],
      `the second pass at ${iso(T)} moved the lead`,
    );
    assert.equal(historyCount(id), count, `the second pass at ${iso(T)} wrote history`);
    assert.deepEqual(snapshot(), all, `the second pass at ${iso(T)} changed some lead (or history)`);
  }
});

test('concurrent_worker_passes_apply_each_transition_exactly_once', async () => {
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await createLead(`Race${i}`));
  const F = futureSec(2 * MIN);
  for (const id of ids) await setFollowUp(id, F);
  const steps = [
    [F + HOUR, 'missed'],
    [F + 2 * DAY, 'past_due'],
    [F + 3 * DAY, 'abandoned'],
    [F + 8 * DAY, 'available'],
  ];
  for (const [T, state] of steps) {
    const args = ['worker', '--once', '--now', iso(T)];
    const runs = await Promise.all(Array.from({ length: 4 }, () => stack.leadmap(args, { timeoutMs: 30_000 })));
    for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const id of ids) assert.equal(leadRow(id).call_state, state, `lead ${id} at ${iso(T)}`);
  }
  for (const id of ids) {
    const rows = systemHistory(id);
    assert.deepEqual(
      rows.map((h) => `${h.field}:${h.after}`),
      ['call_state:missed', 'call_state:past_due', 'call_state:abandoned', 'call_state:available', 'owner_id:null'],
      `lead ${id}: each transition once: ${JSON.stringify(rows)}`,
    );
    assert.equal(leadRow(id).owner_id, null);
  }
});

test('a_note_on_a_missed_lead_resets_it_to_not_scheduled_and_restarts_the_clock', async () => {
  const id = await createLead('Touch');
  // A follow-up a few seconds ahead that the real clock then passes, so that
  // the agent's note (real clock) finds the follow-up in the past, as it
  // would be for a lead that was really missed.
  const F = futureSec(2000);
  await setFollowUp(id, F);
  const touchedAtSchedule = dbMs(leadRow(id).touched_at);
  await waitFor(() => Date.now() > F + 1500, { timeoutMs: 10_000, intervalMs: 100, what: 'the follow-up to pass' });
  await worker(F + MIN);
  assert.equal(leadRow(id).call_state, 'missed');

  const n = await stack.api('POST', `/api/v1/leads/${id}/notes`, { token: agent.token, json: { body: 'Called back, no answer yet.' } });
  assert.equal(n.status, 201, n.text);
  const row = leadRow(id);
  assert.equal(row.call_state, 'not_scheduled', 'a touched missed lead is no longer missed');
  const touched = dbMs(row.touched_at);
  assert.ok(touched > touchedAtSchedule && touched > F, `touched_at moved: ${row.touched_at}`);
  const tbs = await tab('to_be_scheduled');
  const item = tbs.items.find((l) => l.id === id);
  assert.ok(item, 'still on To Be Scheduled (no follow-up)');
  assert.equal(item.call_log.state, 'not_scheduled');
  assert.equal(item.call_log.color, null, 'no longer yellow');

  // The clock counts from the touch now, not from the passed follow-up: the
  // follow-up is >1.5 s before the touch, so this instant is 2 days after
  // the follow-up yet 1 s short of 2 days after the touch.
  await worker(Math.floor((touched + 2 * DAY) / 1000) * 1000 - 1000);
  assert.equal(leadRow(id).call_state, 'not_scheduled', 'not past due 2 days after the old follow-up');
  await worker(Math.floor((touched + 2 * DAY) / 1000) * 1000 + 1000);
  assert.equal(leadRow(id).call_state, 'past_due', 'past due 2 days after the touch');
  const last = systemHistory(id).at(-1);
  assert.deepEqual([last.before, last.after, last.rule], ['not_scheduled', 'past_due', 'untouched_past_due_days']);
});

test('a_note_on_a_scheduled_lead_keeps_it_scheduled', async () => {
  const id = await createLead('Keep');
  const F = futureSec(DAY);
  await setFollowUp(id, F);
  await sleep(5);
  const n = await stack.api('POST', `/api/v1/leads/${id}/notes`, { token: agent.token, json: { body: 'Confirmed the time.' } });
  assert.equal(n.status, 201, n.text);
  const row = leadRow(id);
  assert.equal(row.call_state, 'scheduled');
  assert.equal(dbMs(row.follow_up_at), F);
});
