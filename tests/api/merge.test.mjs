// Merging two leads (issue 12): the agent picks the surviving value of each
// differing field; every note, history row, custom value, step value, call
// attempt, schedule entry and audit row of the other lead moves to the
// survivor in one transaction; the merged-away id answers 301 naming the
// survivor and leaves lists and search; two merges of one lead at once: one
// wins.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let agent;
let agent2;
let seq = 0;

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

const api = (method, path, who, json) => stack.api(method, path, { token: who.token, json });

async function newLead(extra = {}, who = agent) {
  seq++;
  const r = await api('POST', '/api/v1/leads?allow_duplicate=true', who, { first_name: 'Merge', last_name: `Mergee${seq}`, emails: [`mergee${seq}@example.org`], ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

// map changes are version-checked like a lead edit: send the lead's ETag
const etagOf = async (id) => (await stack.api('GET', `/api/v1/leads/${id}`, { token: agent.token })).headers.get('etag');
const apiMap = async (method, path, id, who, json) =>
  stack.api(method, path, { token: who.token, json, headers: { 'If-Match': await etagOf(id) } });
const fresh = async (id) => (await api('GET', `/api/v1/leads/${id}`, agent)).body;
const merge = (survivor, other, values, who = agent) =>
  api('POST', `/api/v1/leads/${survivor.id}/merge`, who, { other_id: other.id, version: survivor.version, other_version: other.version, values });
const count = (q) => Number(stack.sqlValue(q));

/** The step of a lead's map by type. */
function stepOfType(map, type) {
  for (const t of map.tracks) for (const s of t.steps) if (s.type === type) return s;
  throw new Error(`no ${type} step`);
}

before(async () => {
  stack = await startStack({ workers: 2 });
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
});

after(async () => {
  await stack?.stop();
});

describe('merge', () => {
  test('merge_keeps_everything_of_both_leads_on_the_survivor', async () => {
    let a = await newLead({ first_name: 'Annie', phones: ['+1 555 880 1001'], custom: { referral: 'Dr. Who' } });
    let b = await newLead({ first_name: 'Anne', phones: ['555 880 1002'], address: { street: '1 Elm St', city: 'Springfield', postal_code: '12345' }, custom: { visits: 3, referral: 'Neighbour' } });
    // a note, a map with a step value and a call attempt, all on b
    assert.equal((await api('POST', `/api/v1/leads/${b.id}/notes`, agent, { body: 'Called about whitening' })).status, 201);
    const mapId = Number(stack.sqlValue('SELECT MIN(id) FROM maps WHERE active = 1'));
    let r = await apiMap('PUT', `/api/v1/leads/${b.id}/map`, b.id, agent, { map_id: mapId });
    assert.equal(r.status, 200, r.text);
    const checkbox = stepOfType(r.body.map, 'checkbox');
    assert.equal((await apiMap('PUT', `/api/v1/leads/${b.id}/steps/${checkbox.id}`, b.id, agent, { done: true })).status, 200);
    const call = stepOfType(r.body.map, 'call');
    assert.equal((await apiMap('POST', `/api/v1/leads/${b.id}/steps/${call.id}/attempts`, b.id, agent, { outcome: 'no_answer' })).status, 201);
    const bHistory = count(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${b.id}`);
    const bAudit = count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = ${b.id}`);
    assert.ok(bHistory > 0 && bAudit > 0);
    // tasks of both leads from one rule and occurrence (a recurring rule per lead), and one more of b
    stack.sql(`INSERT INTO task_definitions (name, contact_message, pending_message, complete_message) VALUES ('Merge check', 'Call', 'Wait', 'Done')`);
    const defId = Number(stack.sqlValue("SELECT id FROM task_definitions WHERE name = 'Merge check'"));
    stack.sql(`INSERT INTO task_rules (name, definition_id, trigger_kind, active) VALUES ('Merge rule', ${defId}, 'lead_created', 0)`);
    const ruleId = Number(stack.sqlValue("SELECT id FROM task_rules WHERE name = 'Merge rule'"));
    const ownerId = Number(stack.sqlValue(`SELECT owner_id FROM leads WHERE id = ${b.id}`));
    for (const [lead, key] of [[a.id, 'occ-1'], [b.id, 'occ-1'], [b.id, 'occ-2']]) {
      stack.sql(`INSERT INTO tasks (definition_id, rule_id, lead_id, occurrence_key, assignee_id, due_at) VALUES (${defId}, ${ruleId}, ${lead}, '${key}', ${ownerId}, UTC_TIMESTAMP())`);
    }
    a = await fresh(a.id);
    b = await fresh(b.id);

    r = await merge(a, b, { first_name: 'other', 'custom.referral': 'other' });
    assert.equal(r.status, 200, r.text);
    const n = Number(r.headers.get('x-db-statements'));
    console.log(`# merge: ${n} statements`);
    assert.ok(n <= 50, `a merge runs a bounded number of statements, however many rows the leads hold: ${n}`);
    const m = r.body;
    assert.equal(m.id, a.id);
    assert.equal(m.first_name, 'Anne', 'the chosen value');
    assert.equal(m.address.street, '1 Elm St', 'the survivor had no address: the other\'s fills it');
    assert.equal(m.phones.length, 2, 'phones of both');
    assert.deepEqual(m.emails.sort(), [...a.emails, ...b.emails].sort());
    assert.equal(m.custom.referral, 'Neighbour', 'chosen');
    assert.equal(m.custom.visits, 3, 'a value only the other had moves over');
    assert.equal(m.map?.map_id ?? m.map?.id, mapId, 'the other\'s map moves to a survivor without one');
    assert.ok(m.version > a.version);

    // every row of b now hangs off a
    assert.equal(count(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${b.id}`), 0);
    assert.equal(count(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${a.id} AND body = 'Called about whitening'`), 1);
    assert.equal(count(`SELECT COUNT(*) FROM lead_call_attempts WHERE lead_id = ${a.id}`), 1);
    assert.equal(count(`SELECT COUNT(*) FROM lead_call_attempts WHERE lead_id = ${b.id}`), 0);
    assert.equal(count(`SELECT COUNT(*) FROM tasks WHERE lead_id = ${b.id}`), 0, 'no task left on the merged-away lead');
    assert.equal(count(`SELECT COUNT(*) FROM tasks WHERE lead_id = ${a.id} AND rule_id = ${ruleId}`), 3, 'both leads\' tasks on the survivor, the shared occurrence kept twice');
    assert.equal(count(`SELECT COUNT(*) FROM lead_step_values WHERE lead_id = ${a.id} AND step_id = ${checkbox.id} AND done = 1`), 1);
    for (const t of ['lead_step_values', 'lead_phones', 'lead_emails', 'lead_custom_values', 'lead_maps']) {
      assert.equal(count(`SELECT COUNT(*) FROM ${t} WHERE lead_id = ${b.id}`), 0, t);
    }
    assert.ok(count(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${a.id}`) >= bHistory, 'b\'s history moved');
    assert.deepEqual(stack.sql(`SELECT action, field FROM lead_history WHERE lead_id = ${b.id}`), [['merge', 'merged_into']]);
    assert.ok(count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = ${a.id} AND action = 'lead.merge'`) === 1);
    assert.equal(stack.sqlValue(`SELECT merged_into FROM leads WHERE id = ${b.id}`), String(a.id));

    // the merge is in the survivor's history
    const h = await api('GET', `/api/v1/leads/${a.id}/history?limit=200`, agent);
    assert.ok(h.body.items.some((i) => i.action === 'merge' && i.field === 'merged_from' && String(i.after).includes(`#${b.id}`)), JSON.stringify(h.body.items.slice(0, 5)));
    assert.ok(h.body.items.some((i) => i.action === 'merge' && i.field === 'first_name'));

    // the merged-away id answers 301 naming the survivor
    const g = await api('GET', `/api/v1/leads/${b.id}`, agent);
    assert.equal(g.status, 301, g.text);
    assert.equal(g.headers.get('location'), `/api/v1/leads/${a.id}`);
    assert.equal(g.body.merged_into, a.id);
    // … and is gone from search, by its e-mail and in the list
    const s = await api('GET', `/api/v1/leads?email=${encodeURIComponent(b.emails[0])}`, agent);
    assert.deepEqual(s.body.items.map((i) => i.id), [a.id]);
    const all = await api('GET', `/api/v1/leads?q=Mergee&limit=200`, agent);
    assert.ok(!all.body.items.some((i) => i.id === b.id));
    // … and from the call log and its bank
    assert.equal(stack.sqlValue(`SELECT call_tab FROM leads WHERE id = ${b.id}`), 'none');
    // … and is no duplicate candidate any more
    const d = await api('POST', '/api/v1/leads', agent, { last_name: 'Againb', emails: [b.emails[0]] });
    assert.deepEqual(d.body.error.candidates.items.map((c) => c.id), [a.id]);
    // a change to the merged-away lead is refused
    const p = await stack.api('PATCH', `/api/v1/leads/${b.id}`, { token: agent.token, json: { first_name: 'X' }, headers: { 'if-match': `"v${b.version + 1}"` } });
    assertEnvelope(assert, p, 404, 'merged');
  });

  test('a_stale_version_of_either_lead_is_412_and_changes_nothing', async () => {
    const a = await newLead();
    const b = await newLead();
    const r = await api('POST', `/api/v1/leads/${a.id}/merge`, agent, { other_id: b.id, version: a.version, other_version: b.version + 1 });
    assertEnvelope(assert, r, 412, 'precondition_failed');
    assert.equal(stack.sqlValue(`SELECT merged_into FROM leads WHERE id = ${b.id}`), null);
  });

  test('merging_a_merged_lead_again_is_409', async () => {
    const a = await newLead();
    const b = await newLead();
    const c = await newLead();
    assert.equal((await merge(a, b)).status, 200);
    const r = await merge(c, await (async () => ({ ...b, version: b.version + 1 }))());
    assertEnvelope(assert, r, 409, 'already_merged');
  });

  test('two_merges_of_one_lead_at_once_one_wins', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await newLead();
      const b = await newLead();
      const c = await newLead();
      const [r1, r2] = await Promise.all([merge(a, b), merge(c, b)]);
      const statuses = [r1.status, r2.status].sort();
      assert.deepEqual(statuses, [200, 409], `${r1.text} / ${r2.text}`);
      const into = stack.sqlValue(`SELECT merged_into FROM leads WHERE id = ${b.id}`);
      assert.equal(into, String(r1.status === 200 ? a.id : c.id));
      assert.equal(count(`SELECT COUNT(*) FROM lead_emails WHERE email = '${b.emails[0]}'`), 1, 'b\'s e-mail went to one survivor');
    }
  });

  test('a_lead_out_of_reach_cannot_be_merged', async () => {
    const mine = await newLead();
    const theirs = await newLead({}, agent2);
    const r = await merge(mine, theirs);
    assertEnvelope(assert, r, 404, 'not_found');
    assert.equal(stack.sqlValue(`SELECT merged_into FROM leads WHERE id = ${theirs.id}`), null);
  });

  test('bad_bodies_are_400_naming_the_field', async () => {
    const a = await newLead();
    let r = await api('POST', `/api/v1/leads/${a.id}/merge`, agent, { version: a.version });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.other_id && r.body.error.fields.other_version);
    r = await api('POST', `/api/v1/leads/${a.id}/merge`, agent, { other_id: a.id + 1, version: 1, other_version: 1, values: { owner: 'other', first_name: 'mine' } });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields['values.owner'] && r.body.error.fields['values.first_name']);
    r = await merge(a, a);
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.other_id);
  });
});
