// Tasks (issue 11): definitions, rules and recurring schedules with field
// errors; the preview text and dates from the stored RRULE; generation by
// `worker --once --now` for every trigger kind and every recurrence kind
// (a month without a 31st, a daylight-saving change), exactly once under a
// double run and two concurrent workers; My Current Tasks (overdue first,
// the stage's message, pending needs a note, If-Match, history and the
// call-log touch on the lead) and a supervisor's view and reassignment.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let agent2;
let supervisor;
let def;
let defPlain;
let statuses;

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

const api = (method, path, who, json, headers) => stack.api(method, path, { token: who.token, json, headers });
// map changes are version-checked like a lead edit: the lead's ETag
const ifMatch = async (id, who) => ({ 'if-match': (await api('GET', `/api/v1/leads/${id}`, who)).headers.get('etag') });
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86400_000;

async function worker(atMs) {
  const r = await stack.leadmap(['worker', '--once', '--now', iso(atMs)], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

/** Tasks of a rule: [lead_id, assignee_id, due_at ISO] by due then lead. */
function tasksOf(ruleId) {
  return stack
    .sql(`SELECT COALESCE(lead_id, 0), assignee_id, DATE_FORMAT(due_at, '%Y-%m-%dT%H:%i:%sZ') FROM tasks WHERE rule_id = ${ruleId} ORDER BY due_at, lead_id`)
    .map(([l, a, d]) => [Number(l), Number(a), d]);
}

async function newLead(who = agent, extra = {}) {
  const n = Math.floor(Math.random() * 1e9);
  const r = await api('POST', '/api/v1/leads', who, { first_name: 'Task', last_name: `Lead${n}`, emails: [`task${n}@example.org`], ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function rule(body) {
  const r = await api('POST', '/api/v1/settings/task-rules', admin, { definition_id: def.id, ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function recurrence(body) {
  const r = await api('POST', '/api/v1/settings/task-recurrences', admin, { name: `R${Math.random()}`, ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

before(async () => {
  stack = await startStack({ workers: 1 });
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  supervisor = await login('supervisor@example.com');
  let r = await api('POST', '/api/v1/settings/task-definitions', admin, {
    name: 'Call back',
    contact_message: 'Call the patient and offer a consultation.',
    pending_message: 'Waiting for the patient to call back.',
    complete_message: 'The patient was reached.',
  });
  assert.equal(r.status, 201, r.text);
  def = r.body;
  r = await api('POST', '/api/v1/settings/task-definitions', admin, { name: 'Plain' });
  assert.equal(r.status, 201, r.text);
  defPlain = r.body;
  r = await api('GET', '/api/v1/settings/statuses', admin);
  statuses = Object.fromEntries(r.body.items.map((s) => [s.name, s.id]));
});
after(async () => {
  await stack?.stop();
});

describe('settings', () => {
  test('a_rule_cannot_be_saved_without_a_definition', async () => {
    let r = await api('POST', '/api/v1/settings/task-rules', admin, { name: 'No def', trigger_kind: 'lead_created' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.definition_id, /definition/);
    r = await api('POST', '/api/v1/settings/task-rules', admin, { name: 'Gone def', trigger_kind: 'lead_created', definition_id: 999999 });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(Object.keys(r.body.error.fields), ['definition_id']);
    r = await api('POST', '/api/v1/settings/task-rules', admin, { name: '', trigger_kind: 'sometimes', assignee_kind: 'user', color: 1 });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['assignee_user_id', 'color', 'definition_id', 'name', 'trigger_kind']);
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM task_rules WHERE name IN ('No def', 'Gone def')"), '0');
  });

  test('invalid_schedules_are_rejected_field_by_field', async () => {
    const base = { name: 'Bad', start: '2031-01-06T09:00', time_zone: 'America/Chicago' };
    let r = await api('POST', '/api/v1/settings/task-recurrences', admin, { ...base, freq: 'weekly', weekdays: [] });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.weekdays, /at least one weekday/);
    r = await api('POST', '/api/v1/settings/task-recurrences', admin, { ...base, freq: 'daily', until: '2031-01-05' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.until, /before the start/);
    r = await api('POST', '/api/v1/settings/task-recurrences', admin, { ...base, rrule: 'FREQ=FORTNIGHTLY;BYDAY=XX' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.rrule);
    r = await api('POST', '/api/v1/settings/task-recurrences', admin, { ...base, time_zone: 'Mars/Olympus', freq: 'daily' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.time_zone);
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM task_recurrences WHERE name = 'Bad'"), '0');
  });

  test('preview_text_and_next_dates_come_from_the_stored_rrule', async () => {
    const body = { freq: 'monthly', nth: 2, weekday: 'TU', start: '2031-12-01T09:00', time_zone: 'America/Chicago' };
    let r = await api('POST', '/api/v1/settings/task-recurrences/preview', admin, body);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.text, 'every 2nd Tuesday at 09:00');
    assert.equal(r.body.preview, 'every 2nd Tuesday at 09:00, next: 9 Dec, 13 Jan, 10 Feb');
    assert.equal(r.body.rrule, 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU');
    assert.equal(r.body.next[0], '2031-12-09T15:00:00Z');
    const saved = await recurrence({ ...body, name: 'Second Tuesday' });
    assert.equal(stack.sqlValue(`SELECT rrule FROM task_recurrences WHERE id = ${saved.id}`), 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU');
    assert.deepEqual([saved.text, saved.next.slice(0, 3)], [r.body.text, r.body.next.slice(0, 3)]);
    // an edit needs the version and keeps the choices it does not name
    r = await api('PATCH', `/api/v1/settings/task-recurrences/${saved.id}`, admin, { name: 'Renamed' });
    assertEnvelope(assert, r, 428, 'precondition_required');
    r = await api('PATCH', `/api/v1/settings/task-recurrences/${saved.id}`, admin, { name: 'Renamed' }, { 'if-match': `"v${saved.version}"` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.text, 'every 2nd Tuesday at 09:00');
    r = await api('PATCH', `/api/v1/settings/task-recurrences/${saved.id}`, admin, { freq: 'weekly', weekdays: ['MO', 'FR'], interval: 2 }, { 'if-match': `"v${saved.version}"` });
    assertEnvelope(assert, r, 412, 'precondition_failed');
    r = await api('PATCH', `/api/v1/settings/task-recurrences/${saved.id}`, admin, { freq: 'weekly', weekdays: ['MO', 'FR'], interval: 2 }, { 'if-match': `"v${saved.version + 1}"` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.text, 'every 2 weeks on Monday and Friday at 09:00');
  });

  test('definitions_are_admin_only_and_in_use_ones_cannot_be_deleted', async () => {
    let r = await api('GET', '/api/v1/settings/task-definitions', agent);
    assertEnvelope(assert, r, 403, 'forbidden');
    r = await api('POST', '/api/v1/settings/task-definitions', admin, { name: 'Call back' });
    assertEnvelope(assert, r, 409, 'conflict');
    await rule({ name: 'Uses plain', definition_id: defPlain.id, trigger_kind: 'lead_created', active: false });
    r = await api('DELETE', `/api/v1/settings/task-definitions/${defPlain.id}`, admin);
    assertEnvelope(assert, r, 409, 'in_use');
    r = await api('GET', '/api/v1/settings/task-definitions', admin);
    assert.ok(r.body.items.some((d) => d.name === 'Call back' && d.contact_message.startsWith('Call the patient')));
  });
});

describe('recurring generation', () => {
  test('weekly_rule_keeps_09_00_local_across_the_dst_change', async () => {
    const rec = await recurrence({ freq: 'weekly', weekdays: ['SU'], start: '2027-10-24T09:00', time_zone: 'America/Chicago' });
    const r = await rule({ name: 'Sunday review', trigger_kind: 'recurring', recurrence_id: rec.id, assignee_kind: 'user', assignee_user_id: agent.user.id });
    await worker(Date.parse('2027-11-14T16:00:00Z'));
    assert.deepEqual(tasksOf(r.id).map((t) => t[2]), [
      '2027-10-24T14:00:00Z', '2027-10-31T14:00:00Z', '2027-11-07T15:00:00Z', '2027-11-14T15:00:00Z',
    ]);
    assert.ok(tasksOf(r.id).every((t) => t[0] === 0 && t[1] === agent.user.id));
  });

  test('monthly_day_31_skips_months_without_one_last_day_does_not_and_last_friday', async () => {
    const r31 = await rule({ name: 'Day 31', trigger_kind: 'recurring', assignee_kind: 'user', assignee_user_id: agent.user.id,
      recurrence_id: (await recurrence({ freq: 'monthly', month_day: 31, start: '2028-01-31T10:00', time_zone: 'UTC' })).id });
    const rLast = await rule({ name: 'Last day', trigger_kind: 'recurring', assignee_kind: 'user', assignee_user_id: agent.user.id,
      recurrence_id: (await recurrence({ freq: 'monthly', month_day: -1, start: '2028-01-31T10:00', time_zone: 'UTC' })).id });
    const rLastFriday = await rule({ name: 'Last Friday', trigger_kind: 'recurring', assignee_kind: 'user', assignee_user_id: agent.user.id,
      recurrence_id: (await recurrence({ freq: 'monthly', nth: -1, weekday: 'FR', start: '2028-01-01T10:00', time_zone: 'UTC' })).id });
    await worker(Date.parse('2028-06-01T00:00:00Z'));
    assert.deepEqual(tasksOf(r31.id).map((t) => t[2].slice(0, 10)), ['2028-01-31', '2028-03-31', '2028-05-31']);
    assert.deepEqual(tasksOf(rLastFriday.id).map((t) => t[2].slice(0, 10)), ['2028-01-28', '2028-02-25', '2028-03-31', '2028-04-28', '2028-05-26']);
    assert.deepEqual(tasksOf(rLast.id).map((t) => t[2].slice(0, 10)), ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31']);
  });

  test('daily_with_count_and_round_robin_over_a_unit', async () => {
    const unitId = Number(stack.sqlValue("SELECT id FROM units WHERE name = 'Front Desk'"));
    const members = stack.sql(`SELECT uu.user_id FROM user_units uu JOIN users u ON u.id = uu.user_id AND u.active = 1 WHERE uu.unit_id = ${unitId}`).map((x) => Number(x[0]));
    const rec = await recurrence({ freq: 'daily', interval: 2, count: 6, start: '2029-03-01T08:00', time_zone: 'Europe/Berlin' });
    const r = await rule({ name: 'Turns', trigger_kind: 'recurring', recurrence_id: rec.id, assignee_kind: 'unit', assignee_unit_id: unitId });
    await worker(Date.parse('2029-04-01T00:00:00Z'));
    const rows = tasksOf(r.id);
    assert.deepEqual(rows.map((t) => t[2]), ['2029-03-01T07:00:00Z', '2029-03-03T07:00:00Z', '2029-03-05T07:00:00Z', '2029-03-07T07:00:00Z', '2029-03-09T07:00:00Z', '2029-03-11T07:00:00Z']);
    const seen = new Set(rows.map((t) => t[1]));
    assert.equal(seen.size, Math.min(members.length, 6), `every member takes a turn: ${JSON.stringify(rows)}`);
  });

  test('a_second_run_and_two_concurrent_workers_create_each_occurrence_once', async () => {
    const rec = await recurrence({ freq: 'daily', start: '2030-01-01T09:00', time_zone: 'America/New_York' });
    const r = await rule({ name: 'Daily race', trigger_kind: 'recurring', recurrence_id: rec.id, assignee_kind: 'user', assignee_user_id: agent2.user.id });
    const perLead = await rule({ name: 'Per lead race', trigger_kind: 'recurring', recurrence_id: rec.id, per_lead: true, trigger_state: 'in_progress', assignee_kind: 'user', assignee_user_id: agent2.user.id });
    const T = Date.parse('2030-03-01T12:00:00Z');
    const runs = await Promise.all([0, 1].map(() => stack.leadmap(['worker', '--once', '--now', iso(T)], { timeoutMs: 60_000 })));
    for (const x of runs) assert.equal(x.code, 0, x.stdout + x.stderr);
    const once = tasksOf(r.id);
    assert.equal(once.length, 59, 'Jan 1 to Feb 28 (Mar 1 09:00 New York is after 12:00Z)');
    const leads = Number(stack.sqlValue("SELECT COUNT(*) FROM leads WHERE archived_at IS NULL AND state = 'in_progress'"));
    const perLeadCount = tasksOf(perLead.id).length;
    assert.equal(perLeadCount, 59 * leads);
    await worker(T);
    assert.deepEqual(tasksOf(r.id), once, 'the same --now again creates nothing');
    assert.equal(tasksOf(perLead.id).length, perLeadCount);
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM (SELECT 1 FROM tasks WHERE rule_id IN (${r.id}, ${perLead.id}) GROUP BY rule_id, lead_key, occurrence_key HAVING COUNT(*) > 1) d`), '0');
    for (const x of [r, perLead]) {
      const p = await api('PATCH', `/api/v1/settings/task-rules/${x.id}`, admin, { active: false }, { 'if-match': `"v${x.version}"` });
      assert.equal(p.status, 200, p.text);
    }
  });
});

describe('event and date triggers', () => {
  let map;
  before(async () => {
    const r = await api('POST', '/api/v1/maps', admin, { name: 'Task map', tracks: [{ name: 'Only', steps: [{ name: 'Consent signed', type: 'checkbox', required: true }] }] });
    assert.equal(r.status, 201, r.text);
    map = r.body;
  });

  test('lead_events_create_tasks_for_the_owner_once', async () => {
    const step = map.tracks[0].steps[0];
    const rules = {
      created: await rule({ name: 'On create', trigger_kind: 'lead_created', due_minutes: 60 }),
      status: await rule({ name: 'On booked', trigger_kind: 'status_changed', trigger_status_id: statuses['Consultation booked'] }),
      state: await rule({ name: 'On won', trigger_kind: 'state_changed', trigger_state: 'won' }),
      entered: await rule({ name: 'On map', trigger_kind: 'map_entered', trigger_map_id: map.id }),
      step: await rule({ name: 'On consent', trigger_kind: 'step_completed', trigger_step_id: step.id }),
      done: await rule({ name: 'On map done', trigger_kind: 'map_completed', trigger_map_id: map.id, assignee_kind: 'user', assignee_user_id: supervisor.user.id }),
    };
    const lead = await newLead(agent, { status_id: statuses.Contacted });
    let r = await api('PATCH', `/api/v1/leads/${lead.id}`, agent, { status_id: statuses['Consultation booked'] }, { 'if-match': `"v${lead.version}"` });
    assert.equal(r.status, 200, r.text);
    r = await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: map.id }, await ifMatch(lead.id, agent));
    assert.equal(r.status, 200, r.text);
    r = await api('PUT', `/api/v1/leads/${lead.id}/steps/${step.id}`, agent, { value: true }, await ifMatch(lead.id, agent));
    assert.equal(r.status, 200, r.text);
    r = await api('POST', `/api/v1/leads/${lead.id}/actions/win`, agent, {});
    assert.equal(r.status, 200, r.text);
    const other = await newLead(agent2); // a lead of another owner: its own tasks only
    await worker(Date.now() + 1000);
    await worker(Date.now() + 1000);
    for (const [k, x] of Object.entries(rules)) {
      const mine = tasksOf(x.id).filter((t) => t[0] === lead.id);
      assert.equal(mine.length, 1, `${k}: one task for the lead: ${JSON.stringify(tasksOf(x.id))}`);
      assert.equal(mine[0][1], k === 'done' ? supervisor.user.id : agent.user.id, k);
    }
    const created = tasksOf(rules.created.id).find((t) => t[0] === lead.id);
    const createdAt = stack.sqlValue(`SELECT DATE_FORMAT(created_at + INTERVAL 60 MINUTE, '%Y-%m-%dT%H:%i:%sZ') FROM leads WHERE id = ${lead.id}`);
    assert.equal(created[2], createdAt, 'due an hour after the event');
    assert.deepEqual(tasksOf(rules.created.id).filter((t) => t[0] === other.id).map((t) => t[1]), [agent2.user.id]);
    assert.equal(tasksOf(rules.status.id).filter((t) => t[0] === other.id).length, 0, 'no status change on the other lead');
    for (const x of Object.values(rules)) {
      const p = await api('PATCH', `/api/v1/settings/task-rules/${x.id}`, admin, { active: false }, { 'if-match': `"v${x.version}"` });
      assert.equal(p.status, 200, p.text);
    }
  });

  test('date_relative_and_no_contact_rules_fire_once_when_their_day_comes', async () => {
    const afterCreate = await rule({ name: '3 days after', trigger_kind: 'date_relative', date_field: 'created_at', offset_days: 3 });
    // by then call-log aging has sent the lead to the Lead Bank without an owner
    const beforeEnd = await rule({ name: '2 days before end', trigger_kind: 'date_relative', date_field: 'expected_completion', offset_days: -2, assignee_kind: 'user', assignee_user_id: agent.user.id });
    const idle = await rule({ name: 'Idle 5 days', trigger_kind: 'no_contact', offset_days: 5 });
    const end = Date.now() + 20 * DAY;
    const lead = await newLead(agent, { expected_completion: iso(end) });
    const mine = (x) => tasksOf(x.id).filter((t) => t[0] === lead.id);
    await worker(Date.now() + 2 * DAY);
    assert.deepEqual([mine(afterCreate).length, mine(beforeEnd).length, mine(idle).length], [0, 0, 0]);
    await worker(Date.now() + 6 * DAY);
    assert.deepEqual([mine(afterCreate).length, mine(beforeEnd).length, mine(idle).length], [1, 0, 1]);
    await worker(Date.now() + 19 * DAY);
    await worker(Date.now() + 19 * DAY);
    assert.deepEqual([mine(afterCreate).length, mine(beforeEnd).length, mine(idle).length], [1, 1, 1]);
    assert.equal(mine(beforeEnd)[0][2], iso(Math.floor(end / 1000) * 1000 - 2 * DAY));
    r: {
      const bad = await api('POST', '/api/v1/settings/task-rules', admin, { name: 'x', definition_id: def.id, trigger_kind: 'no_contact' });
      assertEnvelope(assert, bad, 400, 'validation_failed');
      assert.ok(bad.body.error.fields.offset_days);
      break r;
    }
    for (const x of [afterCreate, beforeEnd, idle]) {
      const p = await api('PATCH', `/api/v1/settings/task-rules/${x.id}`, admin, { active: false }, { 'if-match': `"v${x.version}"` });
      assert.equal(p.status, 200, p.text);
    }
  });
});

describe('my current tasks', () => {
  let lead;
  let overdue;
  let later;
  let future;
  let agent; // a fresh agent of the supervisor's group, with only these tasks
  before(async () => {
    const u = await stack.addUser({ name: 'Tess Tasker', group: 'Main Clinic' });
    agent = await stack.login(u.email, u.password);
    assert.equal(agent.status, 200);
    lead = await newLead(agent);
    const ins = (due) => {
      stack.sql(`INSERT INTO tasks (definition_id, lead_id, assignee_id, due_at) VALUES (${def.id}, ${lead.id}, ${agent.user.id}, '${due}')`);
      return Number(stack.sqlValue('SELECT MAX(id) FROM tasks'));
    };
    future = ins('2035-01-01 09:00:00');
    later = ins('2001-01-02 09:00:00');
    overdue = ins('2001-01-01 09:00:00');
  });

  test('list_is_mine_open_and_pending_overdue_first', async () => {
    const r = await api('GET', '/api/v1/tasks', agent);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items.map((t) => t.id).filter((id) => [overdue, later, future].includes(id)), [overdue, later, future]);
    const t = r.body.items.find((x) => x.id === overdue);
    assert.equal(t.overdue, true);
    assert.equal(t.definition.name, 'Call back');
    assert.equal(t.lead.id, lead.id);
    assert.equal(r.body.items.find((x) => x.id === future).overdue, false);
    assert.ok(r.body.items.every((x) => x.assignee.id === agent.user.id && x.stage !== 'completed'));
    assert.ok(Number(r.headers.get('x-db-statements')) <= 2, 'user check and one select');
    const other = await api('GET', '/api/v1/tasks', agent2);
    assert.ok(!other.body.items.some((x) => x.id === overdue));
    // keyset pages
    const p1 = await api('GET', '/api/v1/tasks?limit=1', agent);
    assert.equal(p1.body.items.length, 1);
    assert.ok(p1.body.next);
    const p2 = await api('GET', `/api/v1/tasks?limit=1&after=${encodeURIComponent(p1.body.next)}`, agent);
    assert.notEqual(p2.body.items[0].id, p1.body.items[0].id);
    assertEnvelope(assert, await api('GET', '/api/v1/tasks?after=nonsense', agent), 400, 'validation_failed');
  });

  test('opening_shows_the_stage_message_and_the_lead_link', async () => {
    let r = await api('GET', `/api/v1/tasks/${overdue}`, agent);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.message, 'Call the patient and offer a consultation.');
    assert.equal(r.body.lead.url, `/leads/${lead.id}`);
    assert.match(r.headers.get('etag'), /"v1"$/);
    r = await api('GET', `/api/v1/tasks/${overdue}`, agent2);
    assertEnvelope(assert, r, 404, 'not_found');
  });

  test('pending_needs_a_note_then_completed_leaves_the_list_with_history_and_touch', async () => {
    const touched = stack.sqlValue(`SELECT touched_at FROM leads WHERE id = ${lead.id}`);
    let r = await api('PATCH', `/api/v1/tasks/${overdue}`, agent, { stage: 'pending' }, { 'if-match': '"v1"' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.note, /note/);
    r = await api('PATCH', `/api/v1/tasks/${overdue}`, agent, { stage: 'pending', note: 'Left a voicemail' });
    assertEnvelope(assert, r, 428, 'precondition_required');
    r = await api('PATCH', `/api/v1/tasks/${overdue}`, agent, { stage: 'pending', note: 'Left a voicemail' }, { 'if-match': '"v1"' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.stage, 'pending');
    assert.equal(r.body.message, 'Waiting for the patient to call back.');
    assert.equal(r.body.note, 'Left a voicemail');
    r = await api('PATCH', `/api/v1/tasks/${overdue}`, agent, { stage: 'completed' }, { 'if-match': '"v1"' });
    assertEnvelope(assert, r, 412, 'precondition_failed');
    r = await api('PATCH', `/api/v1/tasks/${overdue}`, agent, { stage: 'completed' }, { 'if-match': '"v2"' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.message, 'The patient was reached.');
    const list = await api('GET', '/api/v1/tasks', agent);
    assert.ok(!list.body.items.some((x) => x.id === overdue));
    assert.deepEqual(
      stack.sql(`SELECT field, before_value, after_value, actor_id FROM lead_history WHERE lead_id = ${lead.id} AND action = 'task' ORDER BY id`),
      [[`task.${overdue}.stage`, 'open', 'pending', String(agent.user.id)], [`task.${overdue}.stage`, 'pending', 'completed', String(agent.user.id)]],
    );
    assert.notEqual(stack.sqlValue(`SELECT touched_at FROM leads WHERE id = ${lead.id}`), touched, 'a task change is a touch');
    assert.notEqual(stack.sqlValue(`SELECT completed_at FROM tasks WHERE id = ${overdue}`), null);
  });

  test('supervisor_sees_and_reassigns_within_the_group_only', async () => {
    let r = await api('GET', '/api/v1/tasks?scope=group', supervisor);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.some((x) => x.id === later));
    assertEnvelope(assert, await api('GET', '/api/v1/tasks?scope=group', agent), 403, 'forbidden');
    r = await api('PATCH', `/api/v1/tasks/${later}`, agent, { assignee_id: supervisor.user.id }, { 'if-match': '"v1"' });
    assertEnvelope(assert, r, 403, 'forbidden');
    r = await api('PATCH', `/api/v1/tasks/${later}`, supervisor, { assignee_id: agent2.user.id }, { 'if-match': '"v1"' });
    assertEnvelope(assert, r, 403, 'forbidden');
    r = await api('PATCH', `/api/v1/tasks/${later}`, supervisor, { assignee_id: supervisor.user.id }, { 'if-match': '"v1"' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.assignee.id, supervisor.user.id);
    assert.ok(!(await api('GET', '/api/v1/tasks', agent)).body.items.some((x) => x.id === later));
    assert.ok((await api('GET', '/api/v1/tasks', supervisor)).body.items.some((x) => x.id === later));
  });
});
