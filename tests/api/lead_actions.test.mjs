// Life-cycle actions, POST /api/v1/leads/{id}/actions/{action}: win, lose
// (needs a lost reason), complete (sets actual_completion), archive (needs a
// reason), reactivate (needs archive.reactivate), convert (one account per
// lead), accept (first unit member wins, also under 20 concurrent accepts),
// and that an action the state does not allow is 409 with nothing changed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let supervisor;
let agent;
const id = {};

const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

async function login(email, password) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email, password);
    if (l.status === 429 && i < 60) {
      await sleep(250); // nginx limit_req on login: wait for the bucket
      continue;
    }
    assert.equal(l.status, 200, `login ${email}: ${JSON.stringify(l.body)}`);
    return l;
  }
}

function num(query) {
  const v = stack.sqlValue(query);
  assert.ok(v !== undefined && v !== null, `no value for: ${query}`);
  return Number(v);
}

let n = 0;
async function newLead(who = agent, extra = {}) {
  n += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token: who.token,
    json: { first_name: 'Act', last_name: `Lead${n}`, phones: [`555 700 ${String(1000 + n)}`], ...extra },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const act = (who, leadId, action, json) =>
  stack.api('POST', `/api/v1/leads/${leadId}/actions/${action}`, { token: who.token, json });

/** The lead row, its history and accounts: what "nothing changed" compares. */
const snapshot = (leadId) => ({
  row: stack.sql(`SELECT * FROM leads WHERE id = ${leadId}`),
  history: num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${leadId}`),
  accounts: num(`SELECT COUNT(*) FROM accounts WHERE lead_id = ${leadId}`),
});

const row = (leadId, cols) => stack.sql(`SELECT ${cols} FROM leads WHERE id = ${leadId}`)[0];

async function winLead() {
  const l = await newLead();
  const r = await act(agent, l.id, 'win');
  assert.equal(r.status, 200, r.text);
  return r.body;
}

before(async () => {
  stack = await startStack({ workers: 4 });
  admin = await login('admin@example.com');
  supervisor = await login('supervisor@example.com');
  agent = await login('agent@example.com');
  const status = (state) => num(`SELECT id FROM statuses WHERE state = ${lit(state)} AND active = 1 ORDER BY position, id LIMIT 1`);
  id.inProgress = status('in_progress');
  id.won = status('won');
  id.lost = status('lost');
  id.completed = status('completed');
  id.tooExpensive = num("SELECT id FROM lookups WHERE kind = 'lost_reason' AND name = 'Too expensive'");
  id.competitor = num("SELECT id FROM lookups WHERE kind = 'competitor' LIMIT 1");
  assert.ok(!agent.user.permissions.includes('archive.reactivate'));
  assert.ok(admin.user.permissions.includes('archive.reactivate'));
});
after(async () => {
  await stack?.stop();
});

describe('win_lose_complete', () => {
  test('win_moves_an_open_lead_to_won', async () => {
    const l = await newLead();
    const r = await act(agent, l.id, 'win');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'won');
    assert.equal(r.body.status_id, id.won);
    assert.equal(r.body.version, 2);
    assert.deepEqual(row(l.id, 'state, status_id, version'), ['won', String(id.won), '2']);
    assert.deepEqual(
      stack.sql(`SELECT before_value, after_value, actor_id FROM lead_history WHERE lead_id = ${l.id} AND action = 'win' AND field = 'state'`),
      [['new', 'won', String(agent.user.id)]],
    );
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity_id = ${l.id} AND action = 'lead.win' AND user_id = ${agent.user.id}`), 1);
  });

  test('win_with_a_status_of_another_state_is_400', async () => {
    const l = await newLead();
    const before = snapshot(l.id);
    const r = await act(agent, l.id, 'win', { status_id: id.lost });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('status_id' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(l.id), before);
  });

  test('lose_requires_lost_reason', async () => {
    const l = await newLead();
    const before = snapshot(l.id);
    const r = await act(agent, l.id, 'lose');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('lost_reason_id' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(l.id), before);

    const wrongKind = await act(agent, l.id, 'lose', { lost_reason_id: id.competitor });
    assertEnvelope(assert, wrongKind, 400, 'validation_failed');
    assert.ok('lost_reason_id' in wrongKind.body.error.fields, wrongKind.text);
    assert.deepEqual(snapshot(l.id), before);
  });

  test('lose_with_a_reason_moves_the_lead_to_lost', async () => {
    const l = await newLead();
    const r = await act(agent, l.id, 'lose', { lost_reason_id: id.tooExpensive });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'lost');
    assert.equal(r.body.lost_reason_id, id.tooExpensive);
    assert.deepEqual(row(l.id, 'state, status_id, lost_reason_id'), ['lost', String(id.lost), String(id.tooExpensive)]);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id} AND action = 'lose' AND field = 'lost_reason' AND after_value = 'Too expensive'`), 1);
  });

  test('complete_sets_actual_completion', async () => {
    const w = await winLead();
    assert.equal(w.actual_completion, null);
    const r = await act(agent, w.id, 'complete');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'completed');
    assert.equal(r.body.status_id, id.completed);
    assert.ok(Math.abs(Date.parse(r.body.actual_completion) - Date.now()) < 120_000, r.body.actual_completion);
    assert.deepEqual(row(w.id, 'state, actual_completion IS NOT NULL, TIMESTAMPDIFF(SECOND, actual_completion, UTC_TIMESTAMP(6)) < 120'), ['completed', '1', '1']);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${w.id} AND action = 'complete' AND field = 'actual_completion'`), 1);
  });

  const notAllowed = [
    ['complete', 'a_new_lead', async () => newLead()],
    ['win', 'a_won_lead', winLead],
    ['lose', 'a_won_lead', winLead],
    ['accept', 'a_won_lead', winLead],
    ['convert', 'a_new_lead', async () => newLead()],
    ['reactivate', 'an_open_lead', async () => newLead()],
  ];
  for (const [action, what, make] of notAllowed) {
    test(`${action}_of_${what}_is_409_and_changes_nothing`, async () => {
      const l = await make();
      const before = snapshot(l.id);
      const who = action === 'reactivate' ? admin : agent;
      const r = await act(who, l.id, action, action === 'lose' ? { lost_reason_id: id.tooExpensive } : undefined);
      assertEnvelope(assert, r, 409, 'action_not_allowed');
      assert.deepEqual(snapshot(l.id), before);
    });
  }

  test('an_unknown_action_is_404', async () => {
    const l = await newLead();
    const before = snapshot(l.id);
    const r = await act(agent, l.id, 'teleport');
    assertEnvelope(assert, r, 404);
    assert.deepEqual(snapshot(l.id), before);
  });

  test('an_action_body_with_unknown_keys_is_400', async () => {
    const l = await newLead();
    const before = snapshot(l.id);
    const r = await act(agent, l.id, 'win', { because: 'yes' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('because' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(l.id), before);
  });
});

describe('archive_and_reactivate', () => {
  test('archive_requires_a_reason', async () => {
    const l = await newLead();
    const before = snapshot(l.id);
    for (const body of [undefined, {}, { reason: '' }]) {
      const r = await act(agent, l.id, 'archive', body);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok('reason' in r.body.error.fields, r.text);
    }
    assert.deepEqual(snapshot(l.id), before);
  });

  test('archive_keeps_the_state_and_blocks_other_actions', async () => {
    const l = await newLead();
    const r = await act(agent, l.id, 'archive', { reason: 'Asked not to be contacted' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.archived, true);
    assert.equal(r.body.archive_reason, 'Asked not to be contacted');
    assert.equal(r.body.state, 'new');
    assert.deepEqual(row(l.id, 'state, archived_at IS NOT NULL, archive_reason'), ['new', '1', 'Asked not to be contacted']);
    const before = snapshot(l.id);
    const win = await act(agent, l.id, 'win');
    assertEnvelope(assert, win, 409, 'action_not_allowed');
    const again = await act(agent, l.id, 'archive', { reason: 'twice' });
    assertEnvelope(assert, again, 409, 'action_not_allowed');
    assert.deepEqual(snapshot(l.id), before);
  });

  test('reactivate_without_the_permission_is_403', async () => {
    const l = await newLead();
    assert.equal((await act(agent, l.id, 'archive', { reason: 'Duplicate' })).status, 200);
    const before = snapshot(l.id);
    const r = await act(agent, l.id, 'reactivate');
    assertEnvelope(assert, r, 403, 'forbidden');
    assert.deepEqual(snapshot(l.id), before);
  });

  test('reactivate_by_an_admin_unarchives_the_lead', async () => {
    const l = await newLead();
    assert.equal((await act(agent, l.id, 'archive', { reason: 'Duplicate' })).status, 200);
    const r = await act(admin, l.id, 'reactivate');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.archived, false);
    assert.equal(r.body.state, 'new', 'back in the state it was archived in');
    assert.deepEqual(row(l.id, 'state, archived_at, archive_reason'), ['new', null, null]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity_id = ${l.id} AND action = 'lead.reactivate' AND user_id = ${admin.user.id}`), 1);
  });

  test('reactivate_of_a_lost_lead_reopens_it', async () => {
    const l = await newLead();
    assert.equal((await act(agent, l.id, 'lose', { lost_reason_id: id.tooExpensive })).status, 200);
    const denied = await act(agent, l.id, 'reactivate');
    assertEnvelope(assert, denied, 403, 'forbidden');
    assert.equal(row(l.id, 'state')[0], 'lost');
    const r = await act(admin, l.id, 'reactivate');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'in_progress');
    assert.deepEqual(row(l.id, 'state, status_id'), ['in_progress', String(id.inProgress)]);
  });
});

describe('convert', () => {
  test('convert_creates_one_account_linked_to_the_lead', async () => {
    const w = await winLead();
    const r = await act(agent, w.id, 'convert');
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.body.account_id, 'number');
    assert.equal(r.body.state, 'won', 'the state stays');
    const rows = stack.sql(`SELECT id, lead_id, name, created_by FROM accounts WHERE lead_id = ${w.id}`);
    assert.deepEqual(rows, [[String(r.body.account_id), String(w.id), `Act ${w.last_name}`, String(agent.user.id)]]);

    const before = snapshot(w.id);
    const again = await act(agent, w.id, 'convert');
    assertEnvelope(assert, again, 409);
    assert.deepEqual(snapshot(w.id), before);
    assert.equal(num(`SELECT COUNT(*) FROM accounts WHERE lead_id = ${w.id}`), 1);
  });

  test('a_completed_lead_can_be_converted', async () => {
    const w = await winLead();
    assert.equal((await act(agent, w.id, 'complete')).status, 200);
    const r = await act(agent, w.id, 'convert');
    assert.equal(r.status, 200, r.text);
    assert.equal(num(`SELECT COUNT(*) FROM accounts WHERE lead_id = ${w.id}`), 1);
  });
});

describe('accept', () => {
  test('the_owner_accepts_his_new_lead_into_in_progress', async () => {
    const l = await newLead();
    const r = await act(agent, l.id, 'accept');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.state, 'in_progress');
    assert.equal(r.body.owner_id, agent.user.id);
    assert.deepEqual(row(l.id, 'state, status_id, owner_id'), ['in_progress', String(id.inProgress), String(agent.user.id)]);
  });

  test('first_of_20_concurrent_unit_members_wins_the_accept', async () => {
    // a unit of 20 fresh agents, made through the settings API
    const u = await stack.api('POST', '/api/v1/settings/units', { token: admin.token, json: { name: `Accept squad ${process.pid}` } });
    assert.equal(u.status, 201, u.text);
    const unitId = u.body.id;
    const members = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const email = `accept-${i}-${process.pid}@example.com`;
        const c = await stack.api('POST', '/api/v1/settings/users', {
          token: admin.token,
          json: { email, name: `Accepter ${i}`, role: 'agent', unit_ids: [unitId], password: 'accept-pass-1' },
        });
        assert.equal(c.status, 201, c.text);
        return { id: c.body.id, email, token: (await login(email, 'accept-pass-1')).token };
      }),
    );
    assert.equal(num(`SELECT COUNT(*) FROM user_units WHERE unit_id = ${unitId}`), 20);

    const l = await newLead(admin, { owner_id: null, unit_id: unitId });
    assert.equal(l.owner_id, null);
    assert.equal(l.unit_id, unitId);

    // a supervisor who sees the lead (his group) but is not in the unit may not take it
    const outsider = await act(supervisor, l.id, 'accept');
    assertEnvelope(assert, outsider, 403, 'forbidden');
    assert.equal(row(l.id, 'owner_id')[0], null);

    const results = await Promise.all(members.map((m) => act(m, l.id, 'accept')));
    const ok = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status === 409);
    assert.equal(ok.length, 1, `exactly one 200: ${results.map((r) => r.status).join(',')}`);
    assert.equal(lost.length, 19, `the rest 409: ${results.map((r) => r.status).join(',')}`);
    for (const r of lost) assertEnvelope(assert, r, 409, 'already_accepted');
    const winner = members[results.indexOf(ok[0])];
    assert.equal(ok[0].body.owner_id, winner.id);
    assert.equal(ok[0].body.state, 'in_progress');
    assert.deepEqual(row(l.id, 'owner_id, state, status_id'), [String(winner.id), 'in_progress', String(id.inProgress)]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity_id = ${l.id} AND action = 'lead.accept'`), 1, 'one accept happened');
    assert.equal(
      num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id} AND action = 'accept' AND field = 'owner_id' AND after_value = '${winner.id}'`),
      1,
    );
  });
});
