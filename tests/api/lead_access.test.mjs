// Who may see a lead: agents see the leads they own, are on the team of,
// that are assigned to one of their units, or that sit in the Lead Bank
// (call log abandoned or available); supervisors also see every lead
// of their group; admins see all. Any other lead answers 404 (as one that
// does not exist) on every route. Every view is written to the audit log and
// GET /leads/{id}/views (admins only) lists who looked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack, waitFor } from '../lib/stack.mjs';

let stack;
let admin;
let supervisor;
let agent;
let agent2;
const id = {};
const lead = {}; // leads made for these tests

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
      await sleep(250); // nginx limit_req on login
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

const get = (who, leadId) => stack.api('GET', `/api/v1/leads/${leadId}`, { token: who.token });

async function create(who, json) {
  const r = await stack.api('POST', '/api/v1/leads', { token: who.token, json });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const viewRows = (leadId, userId) =>
  num(`SELECT COUNT(*) FROM audit_log WHERE action = 'lead.view' AND entity = 'lead'
       AND entity_id = ${leadId} AND user_id = ${userId}`);

before(async () => {
  stack = await startStack();
  admin = await login('admin@example.com');
  supervisor = await login('supervisor@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  id.main = num("SELECT id FROM org_groups WHERE name = 'Main Clinic'");
  id.north = num("SELECT id FROM org_groups WHERE name = 'North Clinic'");
  id.sales = num("SELECT id FROM units WHERE name = 'Sales'");
  id.frontDesk = num("SELECT id FROM units WHERE name = 'Front Desk'");
  assert.equal(supervisor.user.group_id, id.main);
  assert.equal(agent2.user.group_id, id.north);
  assert.deepEqual(agent2.user.unit_ids, [id.sales]);

  // owned by agent, Main Clinic (agent's group), no team, no unit
  lead.privateMain = await create(agent, { first_name: 'Priv', last_name: 'Mainlead', emails: ['priv.main@example.org'] });
  // owned by agent, North Clinic by the 627 rule, no team, no unit
  lead.privateNorth = await create(agent, {
    first_name: 'Priv', last_name: 'Northlead', phones: ['555 600 7001'],
    address: { street: '9 Pine Rd', city: 'Springfield', region: 'IL', postal_code: '62711', country: 'US' },
  });
  // owned by agent with agent2 on the team
  lead.team = await create(agent, { first_name: 'Team', last_name: 'Teamlead', emails: ['team@example.org'], team: [agent2.user.id] });
  // nobody's, assigned to the Sales unit (agent2's)
  lead.unit = await create(admin, { first_name: 'Unit', last_name: 'Unitlead', emails: ['unit@example.org'], owner_id: null, unit_id: id.sales });
  assert.equal(lead.privateMain.group_id, id.main);
  assert.equal(lead.privateNorth.group_id, id.north);
  assert.equal(lead.unit.owner_id, null);
});
after(async () => {
  await stack?.stop();
});

describe('visibility', () => {
  test('an_agent_sees_the_leads_he_owns', async () => {
    for (const l of [lead.privateMain, lead.privateNorth, lead.team]) {
      const r = await get(agent, l.id);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.id, l.id);
    }
  });

  test('a_lead_outside_an_agents_reach_is_404_like_a_missing_one', async () => {
    const r = await get(agent2, lead.privateMain.id);
    assertEnvelope(assert, r, 404, 'not_found');
    const missing = await get(agent2, 99999999);
    assertEnvelope(assert, missing, 404, 'not_found');
    assert.equal(r.body.error.message, missing.body.error.message, 'no hint that the lead exists');
    await sleep(1300); // longer than the view writer's second
    assert.equal(viewRows(lead.privateMain.id, agent2.user.id), 0, 'a refused view is not a view');
  });

  test('every_route_of_a_hidden_lead_is_404_and_changes_nothing', async () => {
    const l = lead.privateMain;
    const row = stack.sql(`SELECT * FROM leads WHERE id = ${l.id}`);
    const notes = num(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${l.id}`);
    const history = num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id}`);
    const calls = [
      ['PATCH', `/api/v1/leads/${l.id}`, { json: { probability: 5 }, headers: { 'if-match': '"v1"' } }],
      ['PATCH', `/api/v1/leads/${l.id}`, { json: { probability: 5 } }],
      ['GET', `/api/v1/leads/${l.id}/history`, {}],
      ['GET', `/api/v1/leads/${l.id}/notes`, {}],
      ['POST', `/api/v1/leads/${l.id}/notes`, { json: { body: 'sneaky' } }],
      ['POST', `/api/v1/leads/${l.id}/actions/win`, {}],
      ['POST', `/api/v1/leads/${l.id}/actions/lose`, { json: { lost_reason_id: 1 } }],
      ['POST', `/api/v1/leads/${l.id}/actions/archive`, { json: { reason: 'x' } }],
      ['POST', `/api/v1/leads/${l.id}/actions/accept`, {}],
    ];
    for (const [method, path, opts] of calls) {
      const r = await stack.api(method, path, { token: agent2.token, ...opts });
      assertEnvelope(assert, r, 404, 'not_found');
    }
    assert.deepEqual(stack.sql(`SELECT * FROM leads WHERE id = ${l.id}`), row);
    assert.equal(num(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${l.id}`), notes);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id}`), history);
  });

  test('a_team_member_sees_the_lead', async () => {
    const r = await get(agent2, lead.team.id);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.team, [agent2.user.id]);
  });

  test('unit_members_see_a_lead_assigned_to_their_unit', async () => {
    const r = await get(agent2, lead.unit.id);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.unit_id, id.sales);
    assertEnvelope(assert, await get(agent, lead.unit.id), 404, 'not_found');
  });

  test('a_lead_in_the_lead_bank_is_visible_to_every_agent', async () => {
    const bank = stack.sqlValue(
      `SELECT l.id FROM leads l WHERE l.call_state IN ('abandoned', 'available')
       AND COALESCE(l.owner_id, 0) <> ${agent2.user.id} AND COALESCE(l.unit_id, 0) <> ${id.sales}
       AND NOT EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id) ORDER BY l.id LIMIT 1`,
    );
    assert.ok(bank, 'the demo data has a Lead Bank lead outside agent2\'s reach otherwise');
    const r = await get(agent2, Number(bank));
    assert.equal(r.status, 200, r.text);
    assert.ok(['abandoned', 'available'].includes(r.body.call_log?.state), JSON.stringify(r.body.call_log));
  });

  test('a_supervisor_sees_the_leads_of_his_group_only', async () => {
    const r = await get(supervisor, lead.privateMain.id);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.group_id, supervisor.user.group_id);
    assertEnvelope(assert, await get(supervisor, lead.privateNorth.id), 404, 'not_found');
  });

  test('an_admin_sees_every_lead', async () => {
    for (const l of Object.values(lead)) {
      const r = await get(admin, l.id);
      assert.equal(r.status, 200, `${l.id}: ${r.text}`);
    }
    const total = num('SELECT COUNT(*) FROM leads');
    const s = await stack.api('GET', '/api/v1/leads?limit=200', { token: admin.token });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.body.items.length, total);
  });
});

describe('reassignment', () => {
  // Supervisors reassign the leads of their group (PRODUCT §2); an agent
  // who merely sees a lead (team, unit) may not make it his, or the accept
  // race for unassigned unit leads could be skipped with a PATCH.
  test('an_agent_on_the_team_cannot_take_ownership_by_patch', async () => {
    const l = await create(agent, { first_name: 'Keep', last_name: 'Owner', emails: ['keep.owner@example.org'], team: [agent2.user.id] });
    const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: agent2.token, json: { owner_id: agent2.user.id }, headers: { 'if-match': '"v1"' },
    });
    assert.ok([400, 403].includes(r.status), `refused (400/403), got ${r.status}: ${r.text}`);
    assert.deepEqual(stack.sql(`SELECT owner_id, version FROM leads WHERE id = ${l.id}`), [[String(agent.user.id), '1']]);
  });

  test('a_unit_member_cannot_skip_the_accept_by_patching_the_owner', async () => {
    const l = await create(admin, { first_name: 'Skip', last_name: 'Accept', emails: ['skip.accept@example.org'], owner_id: null, unit_id: id.sales });
    const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: agent2.token, json: { owner_id: agent2.user.id }, headers: { 'if-match': '"v1"' },
    });
    assert.ok([400, 403].includes(r.status), `refused (400/403), got ${r.status}: ${r.text}`);
    assert.equal(stack.sqlValue(`SELECT owner_id FROM leads WHERE id = ${l.id}`), null);
  });

  test('a_supervisor_reassigns_a_lead_of_his_group', async () => {
    const l = await create(agent, { first_name: 'Re', last_name: 'Assigned', emails: ['re.assigned@example.org'] });
    assert.equal(l.group_id, supervisor.user.group_id);
    const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: supervisor.token, json: { owner_id: agent2.user.id }, headers: { 'if-match': '"v1"' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.owner_id, agent2.user.id);
    assert.equal(stack.sqlValue(`SELECT owner_id FROM leads WHERE id = ${l.id}`), String(agent2.user.id));
    assert.equal((await get(agent2, l.id)).status, 200, 'the new owner sees it');
  });
});

describe('who_may_share_a_lead', () => {
  // Groups own leads and come from the geographic rules; units are offered a
  // lead and accept it; the team shares it. Changing them changes who sees
  // the lead, so each has its rule (403 naming the field).
  test('an_agent_on_the_team_cannot_move_a_lead_to_another_group_or_unit', async () => {
    const l = await create(agent, { first_name: 'Stay', last_name: 'Ingroup', emails: ['stay.ingroup@example.org'], team: [agent2.user.id] });
    const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: agent2.token, json: { group_id: id.north, unit_id: id.sales }, headers: { 'if-match': '"v1"' },
    });
    assertEnvelope(assert, r, 403, 'forbidden');
    assert.ok(r.body.error.fields.group_id && r.body.error.fields.unit_id, JSON.stringify(r.body));
    assert.deepEqual(stack.sql(`SELECT group_id, unit_id, version FROM leads WHERE id = ${l.id}`), [[String(id.main), null, '1']]);
    assert.equal((await get(supervisor, l.id)).status, 200, "the group's supervisor still sees it");
  });

  test('an_agent_creates_leads_in_his_own_group_and_units_only', async () => {
    const other = await stack.api('POST', '/api/v1/leads', { token: agent.token, json: { last_name: 'Elsewhere', emails: ['elsewhere@example.org'], group_id: id.north } });
    assertEnvelope(assert, other, 403, 'forbidden');
    assert.ok(other.body.error.fields.group_id);
    const own = await stack.api('POST', '/api/v1/leads', { token: agent2.token, json: { last_name: 'Ownunit', emails: ['own.unit@example.org'], group_id: id.north, owner_id: null, unit_id: id.sales } });
    assert.equal(own.status, 201, own.text);
    assert.equal(own.body.unit_id, id.sales);
    const notMine = await stack.api('POST', '/api/v1/leads', { token: agent2.token, json: { last_name: 'Frontdesk', emails: ['front.desk@example.org'], owner_id: null, unit_id: id.frontDesk } });
    assertEnvelope(assert, notMine, 403, 'forbidden');
    assert.ok(notMine.body.error.fields.unit_id);
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM leads WHERE last_name IN ('Elsewhere', 'Frontdesk')"), '0');
  });

  test('only_the_owner_supervisors_and_admins_change_the_team', async () => {
    const l = await create(agent, { first_name: 'Team', last_name: 'Keeper', emails: ['team.keeper@example.org'], team: [agent2.user.id] });
    const byMember = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: agent2.token, json: { team: [agent2.user.id, supervisor.user.id] }, headers: { 'if-match': '"v1"' },
    });
    assertEnvelope(assert, byMember, 403, 'forbidden');
    assert.ok(byMember.body.error.fields.team);
    const byOwner = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: agent.token, json: { team: [] }, headers: { 'if-match': '"v1"' },
    });
    assert.equal(byOwner.status, 200, byOwner.text);
    assert.deepEqual(byOwner.body.team, []);
  });

  test('an_admin_moves_a_lead_to_another_group', async () => {
    const l = await create(agent, { first_name: 'Moved', last_name: 'Bytheadmin', emails: ['moved@example.org'] });
    const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
      token: admin.token, json: { group_id: id.north }, headers: { 'if-match': '"v1"' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.group_id, id.north);
  });
});

describe('search_respects_access', () => {
  const searchAll = async (who) => {
    const r = await stack.api('GET', '/api/v1/leads?limit=200', { token: who.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.next, null);
    return r.body.items.map((i) => i.id);
  };
  const reach = (u, extra = '0') =>
    stack
      .sql(
        `SELECT l.id FROM leads l WHERE l.owner_id = ${u.id}
         OR EXISTS (SELECT 1 FROM lead_team t WHERE t.lead_id = l.id AND t.user_id = ${u.id})
         OR EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = ${u.id} AND uu.unit_id = l.unit_id)
         OR l.call_state IN ('abandoned', 'available')
         OR ${extra}
         ORDER BY l.id DESC`,
      )
      .map((x) => Number(x[0]));

  test('an_agents_search_lists_exactly_the_leads_in_reach', async () => {
    const got = await searchAll(agent2);
    assert.deepEqual(got, reach(agent2.user));
    assert.ok(!got.includes(lead.privateMain.id));
    assert.ok(got.includes(lead.team.id) && got.includes(lead.unit.id));
  });

  test('a_supervisors_search_adds_his_groups_leads', async () => {
    const got = await searchAll(supervisor);
    assert.deepEqual(got, reach(supervisor.user, `l.group_id = ${id.main}`));
    assert.ok(got.includes(lead.privateMain.id));
    assert.ok(!got.includes(lead.privateNorth.id));
  });

  test('a_name_search_does_not_reveal_a_hidden_lead', async () => {
    const r = await stack.api('GET', '/api/v1/leads?q=Mainlead', { token: agent2.token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items, []);
    const mine = await stack.api('GET', '/api/v1/leads?q=Mainlead', { token: agent.token });
    assert.deepEqual(mine.body.items.map((i) => i.id), [lead.privateMain.id]);
  });
});

describe('audit_of_views', () => {
  test('every_get_writes_one_lead_view_audit_row', async () => {
    const l = lead.team;
    await sleep(1300); // views of earlier tests are written first
    const before = viewRows(l.id, agent2.user.id);
    const total = num("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.view'");
    const t0 = Date.now();
    assert.equal((await get(agent2, l.id)).status, 200);
    assert.equal((await get(agent2, l.id)).status, 200);
    // views are written by the worker's view writer within audit_flush_ms (1 s)
    await waitFor(() => viewRows(l.id, agent2.user.id) >= before + 2, { timeoutMs: 5000, what: 'two view rows' });
    assert.ok(Date.now() - t0 < 4000);
    await sleep(1200);
    assert.equal(num("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.view'"), total + 2, 'one row per view, nothing else');
    const [row] = stack.sql(
      `SELECT entity, at IS NOT NULL FROM audit_log WHERE action = 'lead.view' AND entity_id = ${l.id}
       AND user_id = ${agent2.user.id} ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(row, ['lead', '1']);
  });

  test('views_lists_who_looked_at_a_lead_for_admins', async () => {
    const l = lead.privateMain;
    assert.equal((await get(supervisor, l.id)).status, 200);
    assert.equal((await get(agent, l.id)).status, 200);
    await waitFor(() => viewRows(l.id, supervisor.user.id) > 0 && viewRows(l.id, agent.user.id) > 0, { what: 'view rows' });
    const r = await stack.api('GET', `/api/v1/leads/${l.id}/views`, { token: admin.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body.items));
    const views = r.body.items.filter((v) => v.action === 'lead.view');
    const viewers = views.map((v) => v.user_id);
    assert.ok(viewers.includes(supervisor.user.id), JSON.stringify(r.body.items));
    assert.ok(viewers.includes(agent.user.id), JSON.stringify(r.body.items));
    for (const v of views) {
      assert.equal(typeof v.at, 'string');
      assert.ok(!Number.isNaN(Date.parse(v.at)), v.at);
    }
    // the list agrees with the audit log
    const db = stack
      .sql(`SELECT user_id FROM audit_log WHERE entity = 'lead' AND entity_id = ${l.id} AND action = 'lead.view' ORDER BY id DESC`)
      .map((x) => Number(x[0]));
    assert.deepEqual(viewers, db);
  });

  test('views_pages_with_limit_and_after', async () => {
    const l = lead.unit;
    const had = viewRows(l.id, agent2.user.id);
    for (let i = 0; i < 3; i++) assert.equal((await get(agent2, l.id)).status, 200);
    await waitFor(() => viewRows(l.id, agent2.user.id) >= had + 3, { what: 'three view rows' });
    const first = await stack.api('GET', `/api/v1/leads/${l.id}/views?limit=2`, { token: admin.token });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.items.length, 2);
    assert.equal(typeof first.body.next, 'string');
    const second = await stack.api('GET', `/api/v1/leads/${l.id}/views?limit=2&after=${first.body.next}`, { token: admin.token });
    assert.equal(second.status, 200, second.text);
    const a = first.body.items.map((v) => v.id);
    const b = second.body.items.map((v) => v.id);
    assert.ok(b.length >= 1);
    assert.ok(Math.min(...a) > Math.max(...b), 'the second page is older, no overlap');
  });

  test('views_is_403_for_agents_and_supervisors', async () => {
    for (const who of [agent, supervisor]) {
      const r = await stack.api('GET', `/api/v1/leads/${lead.privateMain.id}/views`, { token: who.token });
      assertEnvelope(assert, r, 403, 'forbidden');
    }
  });
});
