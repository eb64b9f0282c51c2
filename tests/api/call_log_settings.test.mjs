// Call-log settings (GET/PUT /api/v1/settings/call-log): validation names
// the field, only admins write, the version guards against lost updates; and
// the business-day option: with Monday–Friday open, a lead idle since a
// Friday is not past due on the Monday after but is on the Tuesday, where
// calendar days would make it past due on the Monday.
//
// The stack's background worker is stopped (it runs on the real clock); the
// tests move the clock with `worker --once --now`. The lead's last touch is
// set with sql() to a fixed Friday (2030-01-04) so the weekdays are known.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alive, assertEnvelope, startStack, waitFor } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let supervisor;
let phoneSeq = 0;

before(async () => {
  stack = await startStack();
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  admin = await stack.login('admin@example.com');
  agent = await stack.login('agent@example.com');
  supervisor = await stack.login('supervisor@example.com');
  for (const s of [admin, agent, supervisor]) assert.equal(s.status, 200, JSON.stringify(s.body));
});
after(async () => {
  await stack?.stop();
});

const DEFAULTS = { past_due_days: 2, abandoned_days: 3, available_days: 5, business_days: false, time_zone: 'UTC', open_days: [1, 2, 3, 4, 5] };

function settingsRow() {
  const [[past_due_days, abandoned_days, available_days, business_days, time_zone, open_days, version]] = stack.sql(
    'SELECT past_due_days, abandoned_days, available_days, business_days, time_zone, open_days, version FROM call_log_settings',
  );
  return { past_due_days, abandoned_days, available_days, business_days, time_zone, open_days, version };
}

async function getSettings(token = admin.token) {
  const r = await stack.api('GET', '/api/v1/settings/call-log', { token });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** PUT with the current version; asserts 200 and returns the new settings. */
async function putSettings(patch) {
  const { version } = await getSettings();
  const r = await stack.api('PUT', '/api/v1/settings/call-log', { token: admin.token, json: { ...patch, version } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.version, version + 1);
  return r.body;
}

async function worker(isoNow) {
  const r = await stack.leadmap(['worker', '--once', '--now', isoNow], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `worker --now ${isoNow}: ${r.stdout}${r.stderr}`);
}

/** A lead of agent@example.com, not scheduled, last touched at `touchedAt` (SQL DATETIME). */
async function idleLead(last, touchedAt) {
  phoneSeq += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token: agent.token,
    json: { first_name: 'Idle', last_name: last, phones: [`+1 555 400 ${String(phoneSeq).padStart(4, '0')}`] },
  });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  // Backdate the last touch to a known weekday (the API only touches "now"),
  // with the aging clock (idle_since) that a touch sets along with touched_at.
  const idle = stack.sqlValue("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'leads' AND column_name = 'idle_since'");
  stack.sql(
    `UPDATE leads SET touched_at = '${touchedAt}', call_state_at = '${touchedAt}'${idle === '1' ? `, idle_since = '${touchedAt}'` : ''} WHERE id = ${id}`,
  );
  return id;
}

const callState = (id) => stack.sqlValue(`SELECT call_state FROM leads WHERE id = ${id}`);

test('get_settings_shows_the_defaults_to_any_agent', async () => {
  const s = await getSettings(agent.token);
  const { version, ...rest } = s;
  assert.deepEqual(rest, DEFAULTS);
  assert.equal(typeof version, 'number');
});

test('invalid_settings_are_refused_400_naming_the_field_and_nothing_changes', async () => {
  const before = settingsRow();
  const cases = [
    [{ time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
    [{ time_zone: '../../etc/passwd' }, 'time_zone'],
    [{ time_zone: 42 }, 'time_zone'],
    [{ abandoned_days: 2 }, 'abandoned_days'], // equal to past_due_days (2)
    [{ past_due_days: 4, abandoned_days: 3 }, 'abandoned_days'],
    [{ past_due_days: 3 }, 'abandoned_days'], // against the stored abandoned_days (3)
    [{ open_days: [0] }, 'open_days'],
    [{ open_days: [8] }, 'open_days'],
    [{ open_days: [] }, 'open_days'],
    [{ open_days: [1, 1] }, 'open_days'],
    [{ open_days: '1,2,3' }, 'open_days'],
    [{ past_due_days: 0 }, 'past_due_days'],
    [{ available_days: 366 }, 'available_days'],
    [{ past_due_days: 1.5 }, 'past_due_days'],
    [{ business_days: 'yes' }, 'business_days'],
    [{ grace_days: 1 }, 'grace_days'],
    [{ version: 'one' }, 'version'],
  ];
  for (const [body, field] of cases) {
    const r = await stack.api('PUT', '/api/v1/settings/call-log', { token: admin.token, json: body });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields && typeof r.body.error.fields[field] === 'string', `${JSON.stringify(body)} → fields.${field}: ${r.text}`);
  }
  assert.deepEqual(settingsRow(), before, 'a refused PUT changes nothing');
});

test('only_admins_may_change_settings', async () => {
  const before = settingsRow();
  for (const who of [agent, supervisor]) {
    const r = await stack.api('PUT', '/api/v1/settings/call-log', { token: who.token, json: { past_due_days: 1 } });
    assertEnvelope(assert, r, 403);
  }
  const anon = await stack.api('PUT', '/api/v1/settings/call-log', { json: { past_due_days: 1 } });
  assertEnvelope(assert, anon, 401);
  assert.deepEqual(settingsRow(), before);
});

test('a_stale_version_is_refused_412_and_nothing_changes', async () => {
  const s = await getSettings();
  const ok = await stack.api('PUT', '/api/v1/settings/call-log', { token: admin.token, json: { version: s.version, available_days: 6 } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.available_days, 6);
  assert.equal(ok.body.version, s.version + 1);
  const before = settingsRow();
  assert.equal(before.available_days, '6');
  const stale = await stack.api('PUT', '/api/v1/settings/call-log', { token: admin.token, json: { version: s.version, available_days: 9 } });
  assertEnvelope(assert, stale, 412, 'precondition_failed');
  assert.deepEqual(settingsRow(), before, 'a stale PUT changes nothing');
  assert.equal(Number(stack.sqlValue("SELECT COUNT(*) FROM audit_log WHERE action = 'settings.call-log.update'")) >= 1, true, 'a change is audited');
  await putSettings({ available_days: 5 });
});

test('concurrent_puts_with_the_same_version_let_exactly_one_win', async () => {
  // Ten admins' tabs save at once, each from the same loaded version: one
  // wins, the rest are told to reload. Five rounds, since a lost update needs
  // two requests to interleave.
  for (let round = 0; round < 5; round++) {
    const { version } = await getSettings();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stack.api('PUT', '/api/v1/settings/call-log', { token: admin.token, json: { version, available_days: 10 + i } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `round ${round}: one 200, got ${statuses}`);
    assert.equal(statuses.filter((s) => s === 412).length, 9, `round ${round}: nine 412, got ${statuses}`);
    const row = settingsRow();
    assert.equal(Number(row.version), version + 1, `round ${round}: the version moved once`);
    const winner = results.find((r) => r.status === 200);
    assert.equal(row.available_days, String(winner.body.available_days), 'the stored value is the winner’s');
  }
  await putSettings({ available_days: 5 });
});

test('business_days_a_lead_idle_since_friday_is_past_due_on_tuesday_not_monday', async () => {
  const s = await putSettings({ ...DEFAULTS, business_days: true, open_days: [1, 2, 3, 4, 5], time_zone: 'UTC' });
  assert.equal(s.business_days, true);
  assert.deepEqual(s.open_days, [1, 2, 3, 4, 5]);
  assert.deepEqual(settingsRow().open_days, '1,2,3,4,5');
  const id = await idleLead('Friday', '2030-01-04 15:00:00'); // Friday 15:00 UTC

  await worker('2030-01-07T10:00:00Z'); // Monday: only Monday's morning was a business day
  assert.equal(callState(id), 'not_scheduled', 'not past due on the Monday after');
  await worker('2030-01-08T16:00:00Z'); // Tuesday, after the Friday's hour: Monday + Tuesday
  assert.equal(callState(id), 'past_due', 'past due on the Tuesday');
  const [h] = stack.sql(
    `SELECT actor_kind, before_value, after_value, rule, DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ') FROM lead_history WHERE lead_id = ${id} AND actor_kind = 'system'`,
  );
  assert.deepEqual(h, ['system', 'not_scheduled', 'past_due', 'untouched_past_due_days', '2030-01-08T16:00:00Z']);
  await worker('2030-01-09T16:00:00Z'); // Wednesday: 3 business days → abandoned
  assert.equal(callState(id), 'abandoned');
  await putSettings(DEFAULTS);
});

test('calendar_days_the_same_friday_lead_is_past_due_on_monday', async () => {
  const s = await putSettings(DEFAULTS);
  assert.equal(s.business_days, false);
  const id = await idleLead('Calendar', '2030-01-04 15:00:00');
  await worker('2030-01-07T10:00:00Z'); // Monday: 2 days 19 hours idle
  assert.equal(callState(id), 'past_due', 'with calendar days the weekend counts');
});

test('business_days_weekend_hours_do_not_count_toward_past_due', async () => {
  // Touched Thursday 09:00; by Saturday noon only Thursday's rest and Friday
  // were business time (less than 2 business days); Monday 10:00 is 2
  // business days after Thursday 09:00.
  await putSettings({ ...DEFAULTS, business_days: true, open_days: [1, 2, 3, 4, 5], time_zone: 'UTC' });
  const id = await idleLead('Thursday', '2030-01-03 09:00:00'); // Thursday 09:00 UTC
  await worker('2030-01-05T12:00:00Z'); // Saturday noon
  const onSaturday = callState(id);
  await worker('2030-01-07T10:00:00Z'); // Monday 10:00
  const onMonday = callState(id);
  await putSettings(DEFAULTS);
  assert.equal(onSaturday, 'not_scheduled', 'not past due on the Saturday: the weekend is not business time');
  assert.equal(onMonday, 'past_due', 'past due on the Monday');
});

test('business_days_count_in_the_practice_time_zone', async () => {
  // Touched Friday 20:00 in Chicago (CST, UTC−6) = Saturday 02:00 UTC. By
  // Tuesday 19:00 Chicago (Wednesday 01:00 UTC) the practice has had 4 h of
  // Friday, Monday and 19 h of Tuesday: 47 h, not yet 2 business days; two
  // hours later it has. Counted in UTC instead, the touch fell on a Saturday
  // and Monday + Tuesday were complete by Wednesday 00:00 UTC.
  await putSettings({ ...DEFAULTS, business_days: true, open_days: [1, 2, 3, 4, 5], time_zone: 'America/Chicago' });
  const chicago = await idleLead('Chicago', '2030-01-05 02:00:00');
  await worker('2030-01-09T01:00:00Z');
  const early = callState(chicago);
  await worker('2030-01-09T03:00:00Z');
  const late = callState(chicago);

  await putSettings({ ...DEFAULTS, business_days: true, open_days: [1, 2, 3, 4, 5], time_zone: 'UTC' });
  const utc = await idleLead('Utc', '2030-01-05 02:00:00');
  await worker('2030-01-09T01:00:00Z');
  const inUtc = callState(utc);
  await putSettings(DEFAULTS);

  assert.equal(early, 'not_scheduled', 'Chicago: not past due on Tuesday 19:00 local');
  assert.equal(late, 'past_due', 'Chicago: past due on Tuesday 21:00 local');
  assert.equal(inUtc, 'past_due', 'UTC: past due on Wednesday 01:00 UTC');
});
