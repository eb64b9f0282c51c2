// Settings lists (/api/v1/settings/{kind}) and user admin
// (/api/v1/settings/users, /api/v1/users): every kind can be created, listed,
// edited partially and removed; names are unique; custom-field options are
// checked; only admins write; users get role, group, units and permissions,
// lose access at once when deactivated, and a password reset ends sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let supervisor;
let agent;
let agent2;
const id = {};

const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

async function login(email, password) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email, password);
    if (l.status === 429 && i < 40) {
      await sleep(250); // nginx limit_req on login
      continue;
    }
    return l;
  }
}

async function loginOk(email, password) {
  const l = await login(email, password);
  assert.equal(l.status, 200, `login ${email}: ${JSON.stringify(l.body)}`);
  return l;
}

function num(query) {
  const v = stack.sqlValue(query);
  assert.ok(v !== undefined && v !== null, `no value for: ${query}`);
  return Number(v);
}

const list = (who, kind) => stack.api('GET', `/api/v1/settings/${kind}`, { token: who.token });
const post = (who, kind, json) => stack.api('POST', `/api/v1/settings/${kind}`, { token: who.token, json });
const patch = (who, kind, rowId, json) => stack.api('PATCH', `/api/v1/settings/${kind}/${rowId}`, { token: who.token, json });
const del = (who, kind, rowId) => stack.api('DELETE', `/api/v1/settings/${kind}/${rowId}`, { token: who.token });

async function listed(kind, rowId) {
  const r = await list(admin, kind);
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((x) => x.id === rowId);
}

let uniq = 0;
const unique = (s) => `${s} ${process.pid}-${++uniq}`;

before(async () => {
  stack = await startStack();
  admin = await loginOk('admin@example.com');
  supervisor = await loginOk('supervisor@example.com');
  agent = await loginOk('agent@example.com');
  agent2 = await loginOk('agent2@example.com');
  id.ortho = num("SELECT id FROM lookups WHERE kind = 'lead_type' AND name = 'Orthodontics'");
  id.north = num("SELECT id FROM org_groups WHERE name = 'North Clinic'");
  id.main = num("SELECT id FROM org_groups WHERE name = 'Main Clinic'");
  id.sales = num("SELECT id FROM units WHERE name = 'Sales'");
  id.frontDesk = num("SELECT id FROM units WHERE name = 'Front Desk'");
});
after(async () => {
  await stack?.stop();
});

// --- lists with an active flag ------------------------------------------------

const lookupKinds = [
  ['lead-types', 'lead_type'],
  ['categories', 'category'],
  ['priorities', 'priority'],
  ['importance-levels', 'importance'],
  ['sources', 'source'],
  ['lost-reasons', 'lost_reason'],
  ['competitors', 'competitor'],
];

describe('lookup_lists', () => {
  for (const [kind, dbKind] of lookupKinds) {
    test(`${kind}_create_list_patch_deactivate`, async () => {
      const name = unique(`New ${kind}`);
      const c = await post(admin, kind, { name, position: 5 });
      assert.equal(c.status, 201, c.text);
      assert.equal(c.body.name, name);
      assert.equal(c.body.position, 5);
      assert.equal(c.body.active, true);
      const rowId = c.body.id;
      assert.deepEqual(stack.sql(`SELECT kind, name, position, active FROM lookups WHERE id = ${rowId}`), [[dbKind, name, '5', '1']]);
      assert.deepEqual(await listed(kind, rowId), c.body);

      // partial edit: the name stays
      const p = await patch(admin, kind, rowId, { position: 9 });
      assert.equal(p.status, 200, p.text);
      assert.equal(p.body.name, name);
      assert.equal(p.body.position, 9);
      assert.equal(p.body.version, c.body.version + 1);
      assert.deepEqual(stack.sql(`SELECT name, position FROM lookups WHERE id = ${rowId}`), [[name, '9']]);

      const d = await del(admin, kind, rowId);
      assert.equal(d.status, 204, d.text);
      assert.equal(stack.sqlValue(`SELECT active FROM lookups WHERE id = ${rowId}`), '0');
      const after = await listed(kind, rowId);
      assert.ok(after, 'a deactivated entry is still listed');
      assert.equal(after.active, false);
    });

    test(`${kind}_duplicate_name_is_400`, async () => {
      const name = unique(`Dup ${kind}`);
      assert.equal((await post(admin, kind, { name })).status, 201);
      const count = num(`SELECT COUNT(*) FROM lookups WHERE kind = ${lit(dbKind)}`);
      const r = await post(admin, kind, { name });
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok('name' in r.body.error.fields, r.text);
      assert.equal(num(`SELECT COUNT(*) FROM lookups WHERE kind = ${lit(dbKind)}`), count);
    });
  }

  test('the_same_name_may_exist_in_two_lists', async () => {
    const r = await post(admin, 'categories', { name: 'Referral' }); // also a source
    assert.equal(r.status, 201, r.text);
  });

  test('renaming_onto_an_existing_name_is_400', async () => {
    const a = await post(admin, 'sources', { name: unique('Source A') });
    const b = await post(admin, 'sources', { name: unique('Source B') });
    const r = await patch(admin, 'sources', b.body.id, { name: a.body.name });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('name' in r.body.error.fields, r.text);
    assert.equal(stack.sqlValue(`SELECT name FROM lookups WHERE id = ${b.body.id}`), b.body.name);
  });

  test('a_lookup_body_with_bad_values_is_400', async () => {
    const count = num('SELECT COUNT(*) FROM lookups');
    for (const json of [{}, { name: '' }, { name: 'x'.repeat(121) }, { name: 'ok', position: -1 }, { name: 'ok', active: 'yes' }, { name: 'ok', colour: 'red' }]) {
      const r = await post(admin, 'sources', json);
      assertEnvelope(assert, r, 400, 'validation_failed');
    }
    assert.equal(num('SELECT COUNT(*) FROM lookups'), count);
  });

  test('a_deactivated_source_cannot_be_set_on_a_lead', async () => {
    const s = await post(admin, 'sources', { name: unique('Billboard') });
    assert.equal((await del(admin, 'sources', s.body.id)).status, 204);
    const count = num('SELECT COUNT(*) FROM leads');
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Billboard', emails: ['bb@example.org'], source_id: s.body.id },
    });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('source_id' in r.body.error.fields, r.text);
    assert.equal(num('SELECT COUNT(*) FROM leads'), count);
  });

  test('patch_or_delete_of_an_unknown_entry_is_404', async () => {
    assertEnvelope(assert, await patch(admin, 'sources', 99999999, { name: 'Nope' }), 404);
    assertEnvelope(assert, await del(admin, 'sources', 99999999), 404);
    // an id of another list is not found in this one
    const cat = await post(admin, 'categories', { name: unique('Cat') });
    assertEnvelope(assert, await patch(admin, 'sources', cat.body.id, { position: 3 }), 404);
    assert.equal(stack.sqlValue(`SELECT position FROM lookups WHERE id = ${cat.body.id}`), '0');
  });
});

describe('statuses', () => {
  test('statuses_create_list_patch_deactivate', async () => {
    const name = unique('Awaiting X-ray');
    const c = await post(admin, 'statuses', { name, state: 'in_progress', color: '#123abc', position: 3 });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(
      [c.body.name, c.body.state, c.body.color, c.body.position, c.body.active],
      [name, 'in_progress', '#123abc', 3, true],
    );
    assert.deepEqual(stack.sql(`SELECT name, state, color, active FROM statuses WHERE id = ${c.body.id}`), [[name, 'in_progress', '#123abc', '1']]);
    assert.deepEqual(await listed('statuses', c.body.id), c.body);

    const p = await patch(admin, 'statuses', c.body.id, { color: '#00ff00' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.name, p.body.state, p.body.color, p.body.position], [name, 'in_progress', '#00ff00', 3]);

    const d = await del(admin, 'statuses', c.body.id);
    assert.equal(d.status, 204, d.text);
    assert.equal(stack.sqlValue(`SELECT active FROM statuses WHERE id = ${c.body.id}`), '0');
    assert.equal((await listed('statuses', c.body.id))?.active, false);
  });

  test('a_status_keeps_its_state', async () => {
    const c = await post(admin, 'statuses', { name: unique('Fixed state'), state: 'new' });
    assert.equal(c.status, 201, c.text);
    const r = await patch(admin, 'statuses', c.body.id, { state: 'won' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('state' in r.body.error.fields);
    assert.equal(stack.sqlValue(`SELECT state FROM statuses WHERE id = ${c.body.id}`), 'new');
  });

  test('a_status_needs_a_valid_state_and_colour_and_a_unique_name', async () => {
    const count = num('SELECT COUNT(*) FROM statuses');
    const cases = [
      [{ name: unique('S') }, 'state'],
      [{ name: unique('S'), state: 'archived' }, 'state'],
      [{ name: unique('S'), state: 'new', color: 'blue' }, 'color'],
      [{ name: 'Won', state: 'won' }, 'name'],
    ];
    for (const [json, field] of cases) {
      const r = await post(admin, 'statuses', json);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(field in r.body.error.fields, `${field}: ${r.text}`);
    }
    assert.equal(num('SELECT COUNT(*) FROM statuses'), count);
  });
});

describe('products', () => {
  test('products_create_list_patch_deactivate', async () => {
    const name = unique('Night guard');
    const c = await post(admin, 'products', { name, price: '349.9' });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.price, '349.90');
    assert.equal(stack.sqlValue(`SELECT CAST(price AS CHAR) FROM products WHERE id = ${c.body.id}`), '349.90');
    assert.deepEqual(await listed('products', c.body.id), c.body);

    const p = await patch(admin, 'products', c.body.id, { position: 8 });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.name, p.body.price, p.body.position], [name, '349.90', 8], 'the price stays');

    const d = await del(admin, 'products', c.body.id);
    assert.equal(d.status, 204, d.text);
    assert.equal(stack.sqlValue(`SELECT active FROM products WHERE id = ${c.body.id}`), '0');
    assert.equal((await listed('products', c.body.id))?.active, false);
  });

  test('a_product_needs_a_price_like_money_and_a_unique_name', async () => {
    const count = num('SELECT COUNT(*) FROM products');
    const bad = await post(admin, 'products', { name: unique('P'), price: '12,50' });
    assertEnvelope(assert, bad, 400, 'validation_failed');
    assert.ok('price' in bad.body.error.fields);
    const dup = await post(admin, 'products', { name: 'Whitening' });
    assertEnvelope(assert, dup, 400, 'validation_failed');
    assert.ok('name' in dup.body.error.fields);
    assert.equal(num('SELECT COUNT(*) FROM products'), count);
  });
});

describe('custom_fields', () => {
  test('custom_fields_create_list_patch_deactivate', async () => {
    const key = `tooth_count_${process.pid}`;
    const c = await post(admin, 'custom-fields', {
      key, label: 'Teeth to treat', type: 'number', required: false, help: 'How many', position: 20,
    });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(
      [c.body.key, c.body.label, c.body.type, c.body.required, c.body.help, c.body.active, c.body.type_ids],
      [key, 'Teeth to treat', 'number', false, 'How many', true, []],
    );
    assert.deepEqual(stack.sql(`SELECT label, type, active FROM custom_fields WHERE field_key = ${lit(key)}`), [['Teeth to treat', 'number', '1']]);
    assert.deepEqual(await listed('custom-fields', c.body.id), c.body);

    // the field is usable on leads at once
    const lead = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Teeth', emails: ['teeth@example.org'], custom: { [key]: 3 } },
    });
    assert.equal(lead.status, 201, lead.text);
    assert.equal(lead.body.custom[key], 3);

    const p = await patch(admin, 'custom-fields', c.body.id, { label: 'Teeth' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.key, p.body.label, p.body.type, p.body.help], [key, 'Teeth', 'number', 'How many']);

    const d = await del(admin, 'custom-fields', c.body.id);
    assert.equal(d.status, 204, d.text);
    assert.equal(stack.sqlValue(`SELECT active FROM custom_fields WHERE id = ${c.body.id}`), '0');
    assert.equal((await listed('custom-fields', c.body.id))?.active, false);
    // a deactivated field takes no new values
    const again = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Teeth', emails: ['teeth2@example.org'], custom: { [key]: 4 } },
    });
    assertEnvelope(assert, again, 400, 'validation_failed');
    assert.ok(`custom.${key}` in again.body.error.fields, again.text);
  });

  test('a_dropdown_field_for_one_lead_type', async () => {
    const key = `aligner_brand_${process.pid}`;
    const c = await post(admin, 'custom-fields', {
      key, label: 'Aligner brand', type: 'dropdown', options: ['Invisalign', 'ClearCorrect'], default: 'Invisalign', type_ids: [id.ortho],
    });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.body.options, ['Invisalign', 'ClearCorrect']);
    assert.equal(c.body.default, 'Invisalign');
    assert.deepEqual(c.body.type_ids, [id.ortho]);
    assert.deepEqual(stack.sql(`SELECT type_id FROM custom_field_types WHERE field_id = ${c.body.id}`), [[String(id.ortho)]]);
    // a PATCH of the options only keeps the rest
    const p = await patch(admin, 'custom-fields', c.body.id, { options: ['Invisalign', 'ClearCorrect', 'Spark'] });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.body.options, ['Invisalign', 'ClearCorrect', 'Spark']);
    assert.deepEqual(p.body.type_ids, [id.ortho]);
    assert.equal(p.body.default, 'Invisalign');
  });

  const badFields = [
    ['dropdown_without_options', { type: 'dropdown' }, 'options'],
    ['dropdown_with_empty_options', { type: 'dropdown', options: [] }, 'options'],
    ['radio_with_repeated_options', { type: 'radio', options: ['A', 'A'] }, 'options'],
    ['multi_select_with_a_number_option', { type: 'multi_select', options: ['A', 2] }, 'options'],
    ['dropdown_with_an_empty_option', { type: 'dropdown', options: ['A', ''] }, 'options'],
    ['text_with_options', { type: 'text', options: ['A'] }, 'options'],
    ['default_not_an_option', { type: 'dropdown', options: ['A', 'B'], default: 'C' }, 'default'],
    ['number_default_given_text', { type: 'number', default: 'ten' }, 'default'],
    ['bad_key', { type: 'text', key: 'Bad Key' }, 'key'],
    ['unknown_type', { type: 'colour' }, 'type'],
    ['duplicate_key', { type: 'text', key: 'insurance' }, 'key'],
  ];
  for (const [name, body, field] of badFields) {
    test(`custom_field_${name}_is_400`, async () => {
      const count = num('SELECT COUNT(*) FROM custom_fields');
      const r = await post(admin, 'custom-fields', { key: `f_${name}_${process.pid}`, label: 'Bad', ...body });
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(field in r.body.error.fields, `${field}: ${r.text}`);
      assert.equal(num('SELECT COUNT(*) FROM custom_fields'), count);
    });
  }

  test('new_options_must_still_hold_the_default', async () => {
    // Options that drop the default would leave a default no lead can take:
    // every new lead would then fail on a field the user never touched.
    // scoped to a lead type of its own, so that the other tests' leads are not affected
    const type = await post(admin, 'lead-types', { name: unique('Veneers') });
    assert.equal(type.status, 201, type.text);
    const key = `shade_${process.pid}`;
    const c = await post(admin, 'custom-fields', {
      key, label: 'Shade', type: 'dropdown', options: ['A1', 'A2'], default: 'A1', type_ids: [type.body.id],
    });
    assert.equal(c.status, 201, c.text);
    const r = await patch(admin, 'custom-fields', c.body.id, { options: ['B1', 'B2'] });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('default' in r.body.error.fields || 'options' in r.body.error.fields, r.text);
    assert.equal(stack.sqlValue(`SELECT options FROM custom_fields WHERE id = ${c.body.id}`), '["A1","A2"]');
    const lead = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Shade', emails: ['shade@example.org'], type_id: type.body.id },
    });
    assert.equal(lead.status, 201, `a plain lead can still be created: ${lead.text}`);
    assert.equal(lead.body.custom[key], 'A1');
    // options and a new default together are fine
    const ok = await patch(admin, 'custom-fields', c.body.id, { options: ['B1', 'B2'], default: 'B2' });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.body.options, ok.body.default], [['B1', 'B2'], 'B2']);
  });

  test('a_field_keeps_its_key_and_type_and_its_options_stay_valid', async () => {
    const f = num("SELECT id FROM custom_fields WHERE field_key = 'insurance'");
    const before = stack.sql(`SELECT field_key, type, options, version FROM custom_fields WHERE id = ${f}`);
    for (const [json, field] of [[{ key: 'insurance2' }, 'key'], [{ type: 'text' }, 'type'], [{ options: [] }, 'options']]) {
      const r = await patch(admin, 'custom-fields', f, json);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(field in r.body.error.fields, `${field}: ${r.text}`);
    }
    assert.deepEqual(stack.sql(`SELECT field_key, type, options, version FROM custom_fields WHERE id = ${f}`), before);
  });
});

// --- groups and units ------------------------------------------------------

describe('groups_and_units', () => {
  test('a_group_with_geographic_rules_owns_matching_new_leads', async () => {
    const name = unique('West Clinic');
    const c = await post(admin, 'groups', { name, rules: [{ kind: 'postal_prefix', value: '995' }, { kind: 'region', value: 'AK' }] });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.body.rules, [{ kind: 'postal_prefix', value: '995' }, { kind: 'region', value: 'AK' }]);
    assert.deepEqual(stack.sql(`SELECT kind, value FROM group_rules WHERE group_id = ${c.body.id} ORDER BY position`), [
      ['postal_prefix', '995'], ['region', 'AK'],
    ]);
    assert.deepEqual(await listed('groups', c.body.id), c.body);

    const lead = await stack.api('POST', '/api/v1/leads', {
      token: agent.token,
      json: { last_name: 'Anchorage', phones: ['555 901 0001'], address: { city: 'Anchorage', postal_code: '99501' } },
    });
    assert.equal(lead.status, 201, lead.text);
    assert.equal(lead.body.group_id, c.body.id);

    // renaming keeps the rules; new rules replace the old
    const p = await patch(admin, 'groups', c.body.id, { name: `${name} renamed` });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.body.rules, c.body.rules);
    const p2 = await patch(admin, 'groups', c.body.id, { rules: [{ kind: 'country', value: 'CA' }] });
    assert.equal(p2.status, 200, p2.text);
    assert.deepEqual(p2.body.rules, [{ kind: 'country', value: 'CA' }]);
    assert.equal(num(`SELECT COUNT(*) FROM group_rules WHERE group_id = ${c.body.id}`), 1);
  });

  test('a_group_rule_must_be_well_formed', async () => {
    const count = num('SELECT COUNT(*) FROM org_groups');
    for (const rules of [[{ kind: 'city', value: 'Paris' }], [{ kind: 'region', value: '' }], [{ kind: 'region' }], 'IL']) {
      const r = await post(admin, 'groups', { name: unique('Bad rules'), rules });
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok('rules' in r.body.error.fields, r.text);
    }
    const dup = await post(admin, 'groups', { name: 'Main Clinic' });
    assertEnvelope(assert, dup, 400, 'validation_failed');
    assert.ok('name' in dup.body.error.fields);
    assert.equal(num('SELECT COUNT(*) FROM org_groups'), count);
  });

  test('a_unit_with_members', async () => {
    const name = unique('Implant team');
    const c = await post(admin, 'units', { name, member_ids: [agent2.user.id, agent.user.id] });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.body.member_ids, [agent.user.id, agent2.user.id].sort((a, b) => a - b));
    assert.deepEqual(
      stack.sql(`SELECT user_id FROM user_units WHERE unit_id = ${c.body.id} ORDER BY user_id`).map((x) => Number(x[0])),
      [agent.user.id, agent2.user.id].sort((a, b) => a - b),
    );
    assert.deepEqual(await listed('units', c.body.id), c.body);
    const p = await patch(admin, 'units', c.body.id, { member_ids: [agent2.user.id] });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.body.member_ids, [agent2.user.id]);
    assert.equal(p.body.name, name);
    assert.deepEqual(stack.sql(`SELECT user_id FROM user_units WHERE unit_id = ${c.body.id}`), [[String(agent2.user.id)]]);
    // the other units of the member are untouched
    assert.equal(num(`SELECT COUNT(*) FROM user_units WHERE user_id = ${agent2.user.id} AND unit_id = ${id.sales}`), 1);

    const bad = await patch(admin, 'units', c.body.id, { member_ids: [99999999] });
    assertEnvelope(assert, bad, 400, 'validation_failed');
    assert.ok('member_ids' in bad.body.error.fields, bad.text);
    assert.deepEqual(stack.sql(`SELECT user_id FROM user_units WHERE unit_id = ${c.body.id}`), [[String(agent2.user.id)]], 'rolled back');
  });

  // Groups and units have no active flag: DELETE removes one nobody uses and
  // refuses (409) one that users or leads still reference.
  test('an_unused_group_or_unit_is_removed', async () => {
    const g = await post(admin, 'groups', { name: unique('Pop-up clinic'), rules: [{ kind: 'region', value: 'ZZ' }] });
    const u = await post(admin, 'units', { name: unique('Pop-up unit'), member_ids: [agent.user.id] });
    assert.equal((await del(admin, 'groups', g.body.id)).status, 204);
    assert.equal((await del(admin, 'units', u.body.id)).status, 204);
    assert.equal(num(`SELECT COUNT(*) FROM org_groups WHERE id = ${g.body.id}`), 0);
    assert.equal(num(`SELECT COUNT(*) FROM group_rules WHERE group_id = ${g.body.id}`), 0);
    assert.equal(num(`SELECT COUNT(*) FROM units WHERE id = ${u.body.id}`), 0);
    assert.equal(num(`SELECT COUNT(*) FROM user_units WHERE unit_id = ${u.body.id}`), 0);
    assert.equal(await listed('groups', g.body.id), undefined);
    assert.equal(await listed('units', u.body.id), undefined);
  });

  test('a_group_or_unit_in_use_is_409_and_kept', async () => {
    const r = await del(admin, 'groups', id.north);
    assertEnvelope(assert, r, 409, 'in_use');
    assert.equal(num(`SELECT COUNT(*) FROM org_groups WHERE id = ${id.north}`), 1);
    assert.ok(num(`SELECT COUNT(*) FROM group_rules WHERE group_id = ${id.north}`) > 0, 'rules kept');
    const leadUnit = num('SELECT unit_id FROM leads WHERE unit_id IS NOT NULL LIMIT 1');
    const members = num(`SELECT COUNT(*) FROM user_units WHERE unit_id = ${leadUnit}`);
    const u = await del(admin, 'units', leadUnit);
    assertEnvelope(assert, u, 409, 'in_use');
    assert.equal(num(`SELECT COUNT(*) FROM units WHERE id = ${leadUnit}`), 1);
    assert.equal(num(`SELECT COUNT(*) FROM user_units WHERE unit_id = ${leadUnit}`), members, 'members kept');
  });
});

// --- who may change settings --------------------------------------------------

describe('settings_access', () => {
  const kinds = [...lookupKinds.map(([k]) => k), 'statuses', 'products', 'custom-fields', 'groups', 'units'];

  test('agents_and_supervisors_may_read_every_list', async () => {
    for (const who of [agent, supervisor]) {
      for (const kind of kinds) {
        const r = await list(who, kind);
        assert.equal(r.status, 200, `${kind}: ${r.text}`);
        assert.ok(Array.isArray(r.body.items), kind);
        assert.ok(r.body.items.length > 0, `${kind} has demo entries`);
      }
    }
  });

  test('agents_and_supervisors_may_not_write_settings', async () => {
    const snapshot = () => ({
      lookups: stack.sql('SELECT id, name, position, active, version FROM lookups ORDER BY id'),
      statuses: stack.sql('SELECT id, name, active, version FROM statuses ORDER BY id'),
      products: stack.sql('SELECT id, name, active, version FROM products ORDER BY id'),
      fields: stack.sql('SELECT id, label, active, version FROM custom_fields ORDER BY id'),
      groups: stack.sql('SELECT id, name FROM org_groups ORDER BY id'),
      units: stack.sql('SELECT id, name FROM units ORDER BY id'),
      members: stack.sql('SELECT user_id, unit_id FROM user_units ORDER BY user_id, unit_id'),
    });
    const before = snapshot();
    for (const who of [agent, supervisor]) {
      for (const kind of kinds) {
        const first = (await list(admin, kind)).body.items[0].id;
        const body = kind === 'custom-fields' ? { key: 'sneaky', label: 'Sneaky', type: 'text' } : { name: 'Sneaky', state: 'new' };
        assertEnvelope(assert, await post(who, kind, body), 403, 'forbidden');
        assertEnvelope(assert, await patch(who, kind, first, kind === 'custom-fields' ? { label: 'Sneaky' } : { name: 'Sneaky' }), 403, 'forbidden');
        assertEnvelope(assert, await del(who, kind, first), 403, 'forbidden');
      }
    }
    assert.deepEqual(snapshot(), before);
  });

  test('an_unknown_kind_is_404', async () => {
    assertEnvelope(assert, await list(admin, 'colours'), 404, 'not_found');
    assertEnvelope(assert, await post(admin, 'colours', { name: 'Red' }), 404, 'not_found');
  });

  test('settings_need_a_token', async () => {
    assertEnvelope(assert, await stack.api('GET', '/api/v1/settings/sources'), 401);
  });
});

// --- users ---------------------------------------------------------------------

describe('users', () => {
  const createUser = (json) => stack.api('POST', '/api/v1/settings/users', { token: admin.token, json });
  const patchUser = (userId, json) => stack.api('PATCH', `/api/v1/settings/users/${userId}`, { token: admin.token, json });
  let m = 0;
  const email = () => `user-${process.pid}-${++m}@example.com`;

  test('create_user_with_role_group_units_and_permissions', async () => {
    const e = email();
    const r = await createUser({
      email: e, name: 'Nora North', role: 'supervisor', group_id: id.north,
      unit_ids: [id.sales, id.frontDesk], permissions: ['archive.reactivate'], password: 'north-pass-1',
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body, {
      id: r.body.id, email: e, name: 'Nora North', role: 'supervisor', group_id: id.north, active: true,
      unit_ids: [id.sales, id.frontDesk].sort((a, b) => a - b), permissions: ['archive.reactivate'],
    });
    assert.deepEqual(stack.sql(`SELECT email, name, role, group_id, active FROM users WHERE id = ${r.body.id}`), [[e, 'Nora North', 'supervisor', String(id.north), '1']]);
    assert.notEqual(stack.sqlValue(`SELECT password_hash FROM users WHERE id = ${r.body.id}`), 'north-pass-1');
    assert.equal(num(`SELECT COUNT(*) FROM user_units WHERE user_id = ${r.body.id}`), 2);
    assert.deepEqual(stack.sql(`SELECT permission FROM user_permissions WHERE user_id = ${r.body.id}`), [['archive.reactivate']]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND entity_id = ${r.body.id} AND user_id = ${admin.user.id}`), 1);

    const l = await loginOk(e, 'north-pass-1');
    assert.equal(l.user.id, r.body.id);
    assert.equal(l.user.role, 'supervisor');
    assert.deepEqual(l.user.permissions, ['archive.reactivate']);
    const me = await stack.api('GET', '/api/v1/me', { token: l.token });
    assert.equal(me.status, 200, me.text);

    // listed for admins
    const all = await stack.api('GET', '/api/v1/settings/users?limit=200', { token: admin.token });
    assert.equal(all.status, 200, all.text);
    assert.ok(all.body.items.some((u) => u.id === r.body.id && u.email === e));
  });

  test('create_user_checks_every_field', async () => {
    const count = num('SELECT COUNT(*) FROM users');
    const cases = [
      [{ email: 'not-an-email', name: 'X', role: 'agent', password: 'long-enough-1' }, 'email'],
      [{ email: email(), name: '', role: 'agent', password: 'long-enough-1' }, 'name'],
      [{ email: email(), name: 'X', role: 'boss', password: 'long-enough-1' }, 'role'],
      [{ email: email(), name: 'X', role: 'agent', password: 'short' }, 'password'],
      [{ email: email(), name: 'X', role: 'agent', password: 'long-enough-1', permissions: ['delete.everything'] }, 'permissions'],
      [{ email: email(), name: 'X', role: 'agent', password: 'long-enough-1', unit_ids: ['Sales'] }, 'unit_ids'],
      [{ email: email(), name: 'X', role: 'agent', password: 'long-enough-1', shoe_size: 42 }, 'shoe_size'],
    ];
    for (const [json, field] of cases) {
      const r = await createUser(json);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(field in r.body.error.fields, `${field}: ${r.text}`);
    }
    const noGroup = await createUser({ email: email(), name: 'X', role: 'agent', password: 'long-enough-1', group_id: 99999999 });
    assertEnvelope(assert, noGroup, 400, 'validation_failed');
    assert.equal(num('SELECT COUNT(*) FROM users'), count);
  });

  test('unknown_unit_ids_are_400_not_silently_dropped', async () => {
    const count = num('SELECT COUNT(*) FROM users');
    const r = await createUser({ email: email(), name: 'Lost Units', role: 'agent', password: 'long-enough-1', unit_ids: [99999999] });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('unit_ids' in r.body.error.fields, r.text);
    assert.equal(num('SELECT COUNT(*) FROM users'), count);
    const before = stack.sql(`SELECT unit_id FROM user_units WHERE user_id = ${agent2.user.id} ORDER BY unit_id`);
    const p = await patchUser(agent2.user.id, { unit_ids: [id.sales, 99999999] });
    assertEnvelope(assert, p, 400, 'validation_failed');
    assert.ok('unit_ids' in p.body.error.fields, p.text);
    assert.deepEqual(stack.sql(`SELECT unit_id FROM user_units WHERE user_id = ${agent2.user.id} ORDER BY unit_id`), before, 'memberships unchanged');
  });

  test('a_taken_email_is_409', async () => {
    const count = num('SELECT COUNT(*) FROM users');
    const r = await createUser({ email: 'agent@example.com', name: 'Copy', role: 'agent', password: 'long-enough-1' });
    assertEnvelope(assert, r, 409);
    assert.ok('email' in (r.body.error.fields ?? {}), r.text);
    assert.equal(num('SELECT COUNT(*) FROM users'), count);
  });

  test('patch_user_is_partial', async () => {
    const e = email();
    const c = await createUser({ email: e, name: 'Pat Partial', role: 'agent', group_id: id.main, unit_ids: [id.sales], password: 'partial-pass-1' });
    assert.equal(c.status, 201, c.text);
    const r = await patchUser(c.body.id, { role: 'supervisor' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.name, r.body.role, r.body.group_id, r.body.unit_ids, r.body.active], ['Pat Partial', 'supervisor', id.main, [id.sales], true]);
    assert.deepEqual(stack.sql(`SELECT name, role, group_id FROM users WHERE id = ${c.body.id}`), [['Pat Partial', 'supervisor', String(id.main)]]);
    const r2 = await patchUser(c.body.id, { permissions: ['archive.reactivate'], unit_ids: [] });
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual([r2.body.permissions, r2.body.unit_ids, r2.body.role], [['archive.reactivate'], [], 'supervisor']);
    const r3 = await patchUser(c.body.id, { email: 'other@example.com' });
    assertEnvelope(assert, r3, 400, 'validation_failed');
    assert.equal(stack.sqlValue(`SELECT email FROM users WHERE id = ${c.body.id}`), e);
  });

  test('deactivating_a_user_ends_his_access_at_once', async () => {
    const e = email();
    const c = await createUser({ email: e, name: 'Dee Activated', role: 'agent', password: 'deactivate-1' });
    assert.equal(c.status, 201, c.text);
    const l = await loginOk(e, 'deactivate-1');
    assert.ok(l.cookie, 'refresh cookie');
    assert.equal((await stack.api('GET', '/api/v1/me', { token: l.token })).status, 200);

    const r = await patchUser(c.body.id, { active: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.active, false);
    assert.equal(stack.sqlValue(`SELECT active FROM users WHERE id = ${c.body.id}`), '0');
    assert.equal(num(`SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ${c.body.id} AND revoked_at IS NULL`), 0, 'refresh tokens revoked');
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.deactivate' AND entity_id = ${c.body.id}`), 1);

    assertEnvelope(assert, await stack.api('GET', '/api/v1/me', { token: l.token }), 401);
    assertEnvelope(assert, await stack.api('GET', '/api/v1/leads', { token: l.token }), 401);
    assertEnvelope(assert, await stack.api('POST', '/api/v1/auth/refresh', { cookie: l.cookie, headers: { 'x-requested-with': 'XMLHttpRequest' } }), 401);
    assert.equal((await login(e, 'deactivate-1')).status, 401);
    // still listed in the directory, as inactive
    const dir = await stack.api('GET', '/api/v1/users', { token: agent.token });
    assert.equal(dir.body.items.find((u) => u.id === c.body.id)?.active, false);
  });

  test('an_admin_cannot_deactivate_or_demote_himself', async () => {
    for (const json of [{ active: false }, { role: 'agent' }]) {
      const r = await patchUser(admin.user.id, json);
      assertEnvelope(assert, r, 400, 'validation_failed');
    }
    assert.deepEqual(stack.sql(`SELECT role, active FROM users WHERE id = ${admin.user.id}`), [['admin', '1']]);
  });

  test('password_reset_revokes_sessions_and_the_new_password_works', async () => {
    const e = email();
    const c = await createUser({ email: e, name: 'Reese Reset', role: 'agent', password: 'old-password-1' });
    assert.equal(c.status, 201, c.text);
    const l1 = await loginOk(e, 'old-password-1');
    const l2 = await loginOk(e, 'old-password-1');
    assert.equal(num(`SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ${c.body.id} AND revoked_at IS NULL`), 2);

    const short = await stack.api('POST', `/api/v1/settings/users/${c.body.id}/password`, { token: admin.token, json: { password: 'short' } });
    assertEnvelope(assert, short, 400, 'validation_failed');
    assert.equal(num(`SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ${c.body.id} AND revoked_at IS NULL`), 2);

    const hash = stack.sqlValue(`SELECT password_hash FROM users WHERE id = ${c.body.id}`);
    const r = await stack.api('POST', `/api/v1/settings/users/${c.body.id}/password`, { token: admin.token, json: { password: 'new-password-2' } });
    assert.equal(r.status, 204, r.text);
    assert.notEqual(stack.sqlValue(`SELECT password_hash FROM users WHERE id = ${c.body.id}`), hash);
    assert.equal(num(`SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ${c.body.id} AND revoked_at IS NULL`), 0, 'every refresh token revoked');
    for (const l of [l1, l2]) {
      assertEnvelope(assert, await stack.api('POST', '/api/v1/auth/refresh', { cookie: l.cookie, headers: { 'x-requested-with': 'XMLHttpRequest' } }), 401);
    }
    assert.equal((await login(e, 'old-password-1')).status, 401);
    const fresh = await loginOk(e, 'new-password-2');
    assert.ok(fresh.cookie, 'a new session');
    assert.equal((await stack.api('GET', '/api/v1/me', { token: fresh.token })).status, 200);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_reset' AND entity_id = ${c.body.id}`), 1);
  });

  test('user_admin_is_for_admins_only', async () => {
    const count = num('SELECT COUNT(*) FROM users');
    for (const who of [agent, supervisor]) {
      assertEnvelope(assert, await stack.api('GET', '/api/v1/settings/users', { token: who.token }), 403);
      assertEnvelope(assert, await stack.api('POST', '/api/v1/settings/users', {
        token: who.token, json: { email: email(), name: 'X', role: 'admin', password: 'long-enough-1' },
      }), 403);
      assertEnvelope(assert, await stack.api('PATCH', `/api/v1/settings/users/${who.user.id}`, { token: who.token, json: { role: 'admin' } }), 403);
      assertEnvelope(assert, await stack.api('POST', `/api/v1/settings/users/${agent2.user.id}/password`, {
        token: who.token, json: { password: 'hijacked-pass-1' },
      }), 403);
    }
    assert.equal(num('SELECT COUNT(*) FROM users'), count);
    assert.deepEqual(stack.sql(`SELECT role FROM users WHERE id IN (${agent.user.id}, ${supervisor.user.id}) ORDER BY id`).map((x) => x[0]).sort(), ['agent', 'supervisor']);
  });

  test('the_user_directory_is_open_to_agents', async () => {
    const r = await stack.api('GET', '/api/v1/users', { token: agent.token });
    assert.equal(r.status, 200, r.text);
    const byId = new Map(r.body.items.map((u) => [u.id, u]));
    for (const u of [admin.user, supervisor.user, agent.user, agent2.user]) {
      const d = byId.get(u.id);
      assert.ok(d, `${u.email} in the directory`);
      assert.equal(d.name, u.name);
      assert.equal(d.role, u.role);
    }
    for (const d of r.body.items) {
      assert.ok(!('password_hash' in d) && !('password' in d), JSON.stringify(d));
    }
    assert.equal(r.body.items.length, num('SELECT COUNT(*) FROM users'));
  });
});
