// The lead record through /api/v1/leads: create with every field (defaults,
// owner, group from a geographic rule, exact money, custom values), the 4xx
// for each invalid input with nothing written, read (ETag, derived times),
// edit (If-Match, field-level history) and search (filters, keyset paging).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let agent2;
const id = {}; // ids of demo settings, looked up by name

/** A SQL string literal. */
const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
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

const lookup = (kind, name) => num(`SELECT id FROM lookups WHERE kind = ${lit(kind)} AND name = ${lit(name)}`);
const leadCount = () => num('SELECT COUNT(*) FROM leads');
const leadRow = (leadId) =>
  stack.sql(`SELECT * FROM leads WHERE id = ${leadId}`)[0];

// Fixtures repeat fullLead()'s phone and e-mail on purpose: duplicate detection is
// tests/api/duplicates.test.mjs's subject, so these creates skip it.
const create = (token, json) => stack.api('POST', '/api/v1/leads?allow_duplicate=true', { token, json });
const get = (token, leadId) => stack.api('GET', `/api/v1/leads/${leadId}`, { token });
const patch = (token, leadId, json, ifMatch) =>
  stack.api('PATCH', `/api/v1/leads/${leadId}`, {
    token,
    json,
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
  });
const search = (token, query) => stack.api('GET', `/api/v1/leads?${query}`, { token });

let uniq = 0;
/** A minimal valid lead with a unique last name. */
function minimal(extra = {}) {
  uniq += 1;
  return { first_name: 'Test', last_name: `Minimal${uniq}x${process.pid}`, emails: [`min${uniq}@example.org`], ...extra };
}

function fullLead() {
  return {
    first_name: 'Zora',
    last_name: 'Quistfull',
    address: { street: '12 Elm St', city: 'Springfield', region: 'IL', postal_code: '62704', country: 'us' },
    phones: ['+1 (555) 321-0101', '555.321.0102'],
    emails: ['Zora.Quist@Example.org', 'zq@example.net'],
    type_id: id.ortho,
    category_id: id.cosmetic,
    priority_id: id.high,
    importance_id: id.key,
    source_id: id.referral,
    probability: 40,
    target_amount: '999999999999.99',
    estimated_duration: { value: 3, unit: 'weeks' },
    products: [
      { product_id: id.implant, notes: 'Asked about financing' },
      { product_id: id.whitening },
    ],
    team: [agent2.user.id],
    competitors: [id.smile, id.downtown],
    custom: {
      referral: 'Dr. Kim',
      service_requested: 'Orthodontics',
      insurance: 'Aetna',
      preferred_contact: 'E-mail',
      consent: false,
      budget: '2500.50',
      birth_date: '1990-05-17',
      visits: 3,
      callback_at: '2026-12-01T09:00:00Z',
      interests: ['Braces', 'Veneers'],
      history: 'Allergic to latex.\nSecond line.',
    },
  };
}

/** Asserts an ETag for version v; nginx's gzip may mark a 200's ETag weak (W/). */
function assertEtag(r, v) {
  const e = r.headers.get('etag');
  assert.ok(e === `"v${v}"` || e === `W/"v${v}"`, `ETag "v${v}" expected, got ${e}`);
}

const near = (iso, ms = Date.now(), slackS = 120) =>
  Math.abs(Date.parse(iso) - ms) <= slackS * 1000;

before(async () => {
  stack = await startStack();
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  id.ortho = lookup('lead_type', 'Orthodontics');
  id.newPatient = lookup('lead_type', 'New patient');
  id.cosmetic = lookup('category', 'Cosmetic');
  id.high = lookup('priority', 'High');
  id.key = lookup('importance', 'Key account');
  id.referral = lookup('source', 'Referral');
  id.smile = lookup('competitor', 'Smile Studio');
  id.downtown = lookup('competitor', 'Downtown Dental');
  id.implant = num("SELECT id FROM products WHERE name = 'Dental implant'");
  id.whitening = num("SELECT id FROM products WHERE name = 'Whitening'");
  id.statusNew = num("SELECT id FROM statuses WHERE state = 'new' AND active = 1 ORDER BY position, id LIMIT 1");
  id.contacted = num("SELECT id FROM statuses WHERE name = 'Contacted'");
  id.booked = num("SELECT id FROM statuses WHERE name = 'Consultation booked'");
  id.won = num("SELECT id FROM statuses WHERE state = 'won' ORDER BY id LIMIT 1");
  id.main = num("SELECT id FROM org_groups WHERE name = 'Main Clinic'");
  id.north = num("SELECT id FROM org_groups WHERE name = 'North Clinic'");
});
after(async () => {
  await stack?.stop();
});

// --- create -------------------------------------------------------------

describe('create', () => {
  let full; // the response of the full create
  let fullRes;
  let countBefore;
  before(async () => {
    countBefore = leadCount();
    fullRes = await create(agent.token, fullLead());
    full = fullRes.body;
  });

  test('create_with_every_field_is_201_with_location_and_etag_v1', () => {
    const r = fullRes;
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof full.id, 'number');
    assert.equal(r.headers.get('location'), `/api/v1/leads/${full.id}`);
    assertEtag(r, 1);
    assert.equal(full.version, 1);
    assert.equal(leadCount(), countBefore + 1);

    assert.equal(full.first_name, 'Zora');
    assert.equal(full.last_name, 'Quistfull');
    assert.deepEqual(full.address, {
      street: '12 Elm St', city: 'Springfield', region: 'IL', postal_code: '62704', country: 'US',
    });
    assert.deepEqual(full.phones, ['+1 (555) 321-0101', '555.321.0102']);
    assert.deepEqual(full.emails, ['zora.quist@example.org', 'zq@example.net']);
    assert.equal(full.type_id, id.ortho);
    assert.equal(full.category_id, id.cosmetic);
    assert.equal(full.priority_id, id.high);
    assert.equal(full.importance_id, id.key);
    assert.equal(full.source_id, id.referral);
    assert.equal(full.probability, 40);
    assert.equal(full.target_amount, '999999999999.99', 'money is an exact decimal string');
    assert.deepEqual(full.estimated_duration, { value: 3, unit: 'weeks' });
    assert.deepEqual(
      full.products.map((p) => [p.product_id, p.notes]).sort((a, b) => a[0] - b[0]),
      [[id.implant, 'Asked about financing'], [id.whitening, null]].sort((a, b) => a[0] - b[0]),
    );
    assert.deepEqual(full.team, [agent2.user.id]);
    assert.deepEqual([...full.competitors].sort((a, b) => a - b), [id.smile, id.downtown].sort((a, b) => a - b));
    assert.deepEqual(full.custom, fullLead().custom);
    assert.equal(full.state, 'new');
    assert.equal(full.status_id, id.statusNew, 'defaults to the first status of state new');
  });

  test('create_stores_every_field_in_the_db', () => {
    const [row] = stack.sql(
      `SELECT first_name, last_name, street, city, region, postal_code, country, incomplete, type_id,
              category_id, priority_id, importance_id, source_id, probability, CAST(target_amount AS CHAR),
              status_id, state, start_date IS NOT NULL, duration_value, duration_unit, owner_id, group_id,
              created_by, version
       FROM leads WHERE id = ${full.id}`,
    );
    assert.deepEqual(row, [
      'Zora', 'Quistfull', '12 Elm St', 'Springfield', 'IL', '62704', 'US', '0', String(id.ortho),
      String(id.cosmetic), String(id.high), String(id.key), String(id.referral), '40', '999999999999.99',
      String(id.statusNew), 'new', '1', '3', 'weeks', String(agent.user.id), String(id.north),
      String(agent.user.id), '1',
    ]);
    assert.deepEqual(stack.sql(`SELECT phone, digits FROM lead_phones WHERE lead_id = ${full.id} ORDER BY position`), [
      ['+1 (555) 321-0101', '15553210101'],
      ['555.321.0102', '5553210102'],
    ]);
    assert.deepEqual(stack.sql(`SELECT email FROM lead_emails WHERE lead_id = ${full.id} ORDER BY position`), [
      ['zora.quist@example.org'],
      ['zq@example.net'],
    ]);
    assert.deepEqual(
      stack.sql(`SELECT product_id, notes FROM lead_products WHERE lead_id = ${full.id} ORDER BY product_id`),
      [[String(id.implant), 'Asked about financing'], [String(id.whitening), null]].sort((a, b) => a[0] - b[0]),
    );
    assert.deepEqual(stack.sql(`SELECT user_id FROM lead_team WHERE lead_id = ${full.id}`), [[String(agent2.user.id)]]);
    assert.equal(num(`SELECT COUNT(*) FROM lead_competitors WHERE lead_id = ${full.id}`), 2);
    const cv = Object.fromEntries(
      stack
        .sql(
          `SELECT CONCAT(f.field_key, '#', v.seq), CONCAT_WS('|', v.value_text, CAST(v.value_num AS CHAR),
                  DATE_FORMAT(v.value_time, '%Y-%m-%d %H:%i:%s'))
           FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.lead_id = ${full.id}`,
        )
        .map(([k, v]) => [k, v]),
    );
    assert.equal(cv['insurance#0'], 'Aetna');
    assert.equal(cv['referral#0'], 'Dr. Kim');
    assert.equal(cv['budget#0'], '2500.5000');
    assert.equal(cv['visits#0'], '3.0000');
    assert.equal(cv['consent#0'], '0.0000');
    assert.equal(cv['birth_date#0'], '1990-05-17 00:00:00');
    assert.equal(cv['callback_at#0'], '2026-12-01 09:00:00');
    assert.deepEqual([cv['interests#0'], cv['interests#1']], ['Braces', 'Veneers']);
    assert.equal(cv['history#0'], 'Allergic to latex.\nSecond line.'.replace('\n', '\\n'), 'long text kept');
  });

  test('create_sets_start_date_owner_group_and_derived_dates', () => {
    assert.ok(near(full.start_date), `start_date is now: ${full.start_date}`);
    assert.equal(full.owner_id, agent.user.id, 'owner = creator');
    assert.equal(full.created_by, agent.user.id);
    assert.equal(full.group_id, id.north, 'postal code 627xx → North Clinic by the geographic rule');
    assert.equal(full.incomplete, false, 'name, address and phone: complete');
    // expected end = start + 3 weeks; time_to_completion counts down to it
    const end = Date.parse(full.start_date) + 21 * 86400 * 1000;
    assert.ok(Math.abs(Date.parse(full.expected_end) - end) <= 1000, `expected_end ${full.expected_end}`);
    assert.ok(Math.abs(full.time_to_completion - 21 * 86400) <= 120, `time_to_completion ${full.time_to_completion}`);
    assert.equal(full.time_overdue, null);
    assert.equal(full.actual_completion, null);
  });

  test('create_writes_history_and_audit', () => {
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${full.id} AND action = 'created' AND actor_id = ${agent.user.id}`), 1);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity = 'lead' AND entity_id = ${full.id} AND action = 'lead.create' AND user_id = ${agent.user.id}`), 1);
  });

  test('group_comes_from_the_rule_before_the_creators_group', async () => {
    // agent2 belongs to North Clinic; region IL → Main Clinic
    const r = await create(agent2.token, minimal({ address: { city: 'Chicago', region: 'IL', postal_code: '60601' } }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.group_id, id.main);
    assert.equal(num(`SELECT group_id FROM leads WHERE id = ${r.body.id}`), id.main);
  });

  test('group_defaults_to_the_creators_group_when_no_rule_matches', async () => {
    const r = await create(agent2.token, minimal({ address: { city: 'Toronto', region: 'ON', postal_code: 'M5V 2T6', country: 'CA' } }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.group_id, agent2.user.group_id);
    assert.equal(r.body.group_id, id.north);
    assert.equal(num(`SELECT group_id FROM leads WHERE id = ${r.body.id}`), id.north);
    assert.equal(r.body.owner_id, agent2.user.id);
  });

  test('lead_without_address_or_phone_is_incomplete', async () => {
    const r = await create(agent.token, minimal());
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.incomplete, true);
    assert.equal(stack.sqlValue(`SELECT incomplete FROM leads WHERE id = ${r.body.id}`), '1');
    assert.equal(r.body.group_id, id.main, "no address: the creator's group");
    // custom defaults apply on create
    assert.equal(r.body.custom.preferred_contact, 'Phone');
    assert.equal(r.body.custom.consent, true);
  });

  test('expected_completion_is_accepted_instead_of_a_duration', async () => {
    const r = await create(agent.token, minimal({ expected_completion: '2031-06-01T12:00:00Z' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.expected_completion, '2031-06-01T12:00:00Z');
    assert.equal(r.body.estimated_duration, null);
    assert.equal(stack.sqlValue(`SELECT expected_completion FROM leads WHERE id = ${r.body.id}`), '2031-06-01 12:00:00.000000');
  });

  test('names_are_measured_in_characters_not_bytes', async () => {
    const name = 'é'.repeat(60); // 60 characters, 120 bytes; the limit is 100 characters
    const r = await create(agent.token, minimal({ first_name: name }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.first_name, name);
    assert.equal(stack.sqlValue(`SELECT first_name FROM leads WHERE id = ${r.body.id}`), name);
  });

  test('target_amount_keeps_cents_exactly', async () => {
    const r = await create(agent.token, minimal({ target_amount: '0.1' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.target_amount, '0.10');
    assert.equal(stack.sqlValue(`SELECT CAST(target_amount AS CHAR) FROM leads WHERE id = ${r.body.id}`), '0.10');
  });
});

// --- invalid input --------------------------------------------------------

describe('create_rejects_invalid_input', () => {
  const cases = [
    ['missing_name', () => ({ phones: ['555 444 0001'] }), ['last_name', 'first_name']],
    ['no_phone_and_no_email', () => ({ first_name: 'No', last_name: 'Contact' }), ['phones', 'emails']],
    ['bad_email', () => ({ last_name: 'Bad', emails: ['not-an-email'] }), ['emails']],
    ['probability_120', () => minimal({ probability: 120 }), ['probability']],
    ['target_amount_abc', () => minimal({ target_amount: 'abc' }), ['target_amount']],
    ['unknown_status_id', () => minimal({ status_id: 987654 }), ['status_id']],
    ['status_of_the_won_state', () => minimal({ status_id: id.won }), ['status_id']],
    ['state_in_the_body', () => minimal({ state: 'won' }), ['state']],
    ['unknown_custom_field', () => minimal({ custom: { shoe_size: 42 } }), ['custom.shoe_size']],
    ['number_field_given_text', () => minimal({ custom: { visits: 'three' } }), ['custom.visits']],
    ['checkbox_given_text', () => minimal({ custom: { consent: 'yes' } }), ['custom.consent']],
    ['dropdown_value_not_an_option', () => minimal({ custom: { insurance: 'Kaiser' } }), ['custom.insurance']],
    ['date_in_another_format', () => minimal({ custom: { birth_date: '17/05/1990' } }), ['custom.birth_date']],
    ['money_field_given_text', () => minimal({ custom: { budget: 'lots' } }), ['custom.budget']],
    ['field_of_another_lead_type', () => minimal({ type_id: id.newPatient, custom: { interests: ['Braces'] } }), ['custom.interests']],
    ['unknown_lookup_id', () => minimal({ source_id: id.cosmetic }), ['source_id']],
    ['unknown_top_level_field', () => minimal({ favourite_colour: 'blue' }), ['favourite_colour']],
    ['bad_duration_unit', () => minimal({ estimated_duration: { value: 3, unit: 'fortnights' } }), ['estimated_duration']],
  ];
  for (const [name, body, keys] of cases) {
    test(`create_with_${name}_is_400_naming_the_field`, async () => {
      const before = leadCount();
      const r = await create(agent.token, body());
      assertEnvelope(assert, r, 400, 'validation_failed');
      const fields = Object.keys(r.body.error.fields ?? {});
      assert.ok(keys.some((k) => fields.includes(k)), `one of ${keys} in error.fields, got ${r.text}`);
      assert.equal(leadCount(), before, 'nothing written');
    });
  }

  test('create_with_a_body_that_is_not_json_is_400_invalid_json', async () => {
    const before = leadCount();
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token,
      body: '{"last_name": "Broken", "emails": [',
      headers: { 'content-type': 'application/json' },
    });
    assertEnvelope(assert, r, 400, 'invalid_json');
    assert.equal(leadCount(), before);
  });

  test('create_with_a_json_array_body_is_400', async () => {
    const before = leadCount();
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token,
      body: '[{"last_name": "Array"}]',
      headers: { 'content-type': 'application/json' },
    });
    assertEnvelope(assert, r, 400);
    assert.equal(leadCount(), before);
  });

  test('create_with_a_wrong_content_type_is_415', async () => {
    const before = leadCount();
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token,
      body: JSON.stringify(minimal()),
      headers: { 'content-type': 'text/plain' },
    });
    assertEnvelope(assert, r, 415, 'unsupported_media_type');
    assert.equal(leadCount(), before);
  });

  test('create_without_a_token_is_401', async () => {
    const before = leadCount();
    const r = await stack.api('POST', '/api/v1/leads', { json: minimal() });
    assertEnvelope(assert, r, 401);
    assert.equal(leadCount(), before);
  });
});

// --- read -----------------------------------------------------------------

describe('read', () => {
  test('get_returns_the_record_with_its_etag', async () => {
    const c = await create(agent.token, fullLead());
    assert.equal(c.status, 201, c.text);
    const r = await get(agent.token, c.body.id);
    assert.equal(r.status, 200, r.text);
    assertEtag(r, 1);
    for (const k of ['first_name', 'last_name', 'address', 'phones', 'emails', 'custom', 'products', 'team',
      'competitors', 'target_amount', 'probability', 'owner_id', 'group_id', 'status_id', 'state', 'version']) {
      assert.deepEqual(r.body[k], c.body[k], k);
    }
  });

  test('get_of_an_unknown_lead_is_404', async () => {
    const r = await get(admin.token, 99999999);
    assertEnvelope(assert, r, 404, 'not_found');
  });

  test('time_overdue_is_derived_for_a_past_expected_completion', async () => {
    const c = await create(agent.token, minimal({ expected_completion: '2020-01-01T00:00:00Z' }));
    assert.equal(c.status, 201, c.text);
    const r = await get(agent.token, c.body.id);
    assert.equal(r.status, 200, r.text);
    const want = (Date.now() - Date.parse('2020-01-01T00:00:00Z')) / 1000;
    assert.ok(Math.abs(r.body.time_overdue - want) <= 120, `time_overdue ${r.body.time_overdue} ≈ ${want}`);
    assert.equal(r.body.time_to_completion, null);
  });

  test('time_to_completion_is_derived_at_read_never_stored', async () => {
    const when = new Date(Date.now() + 10 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const c = await create(agent.token, minimal({ expected_completion: when }));
    assert.equal(c.status, 201, c.text);
    const r1 = await get(agent.token, c.body.id);
    assert.ok(Math.abs(r1.body.time_to_completion - 10 * 86400) <= 120, `${r1.body.time_to_completion}`);
    assert.equal(r1.body.time_overdue, null);
    await sleep(2100);
    const r2 = await get(agent.token, c.body.id);
    assert.ok(r1.body.time_to_completion - r2.body.time_to_completion >= 1,
      `counts down between reads: ${r1.body.time_to_completion} → ${r2.body.time_to_completion}`);
    const cols = stack.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'leads'").map((x) => x[0]);
    assert.ok(!cols.includes('time_to_completion') && !cols.includes('time_overdue'), 'not stored');
  });
});

// --- edit -----------------------------------------------------------------

describe('edit', () => {
  let lead;
  // A fresh lead (version 1, probability 40, insurance Aetna) for every test.
  beforeEach(async () => {
    const c = await create(agent.token, fullLead());
    assert.equal(c.status, 201, c.text);
    lead = c.body;
  });

  const snapshot = (leadId) => ({
    row: leadRow(leadId),
    custom: stack.sql(`SELECT field_id, seq, value_text, value_num, value_time FROM lead_custom_values WHERE lead_id = ${leadId} ORDER BY field_id, seq`),
    phones: stack.sql(`SELECT phone FROM lead_phones WHERE lead_id = ${leadId} ORDER BY position`),
    history: num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${leadId}`),
  });

  test('patch_without_if_match_is_428_and_changes_nothing', async () => {
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { probability: 60 });
    assertEnvelope(assert, r, 428, 'precondition_required');
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('patch_with_a_stale_if_match_is_412_and_changes_nothing', async () => {
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { probability: 60, custom: { insurance: 'Cigna' } }, '"v7"');
    assertEnvelope(assert, r, 412, 'precondition_failed');
    assert.deepEqual(snapshot(lead.id), before);
    assert.equal(stack.sqlValue(`SELECT version FROM leads WHERE id = ${lead.id}`), '1');
  });

  test('patch_with_a_garbled_if_match_is_412', async () => {
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { probability: 60 }, 'v1');
    assertEnvelope(assert, r, 412);
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('patch_bumps_the_version_and_writes_field_history', async () => {
    const g = await get(agent.token, lead.id);
    assertEtag(g, 1);
    const etag = g.headers.get('etag');
    const maxBefore = num(`SELECT COALESCE(MAX(id), 0) FROM lead_history WHERE lead_id = ${lead.id}`);
    const r = await patch(agent.token, lead.id, { probability: 60, custom: { insurance: 'Cigna' } }, etag);
    assert.equal(r.status, 200, r.text);
    assertEtag(r, 2);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.probability, 60);
    assert.equal(r.body.custom.insurance, 'Cigna');
    assert.equal(r.body.custom.referral, 'Dr. Kim', 'custom values not in the PATCH stay');
    assert.equal(r.body.target_amount, '999999999999.99', 'fields not in the PATCH stay');
    assert.deepEqual(stack.sql(`SELECT version, probability FROM leads WHERE id = ${lead.id}`), [['2', '60']]);
    assert.equal(
      stack.sqlValue(`SELECT v.value_text FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id
                      WHERE v.lead_id = ${lead.id} AND f.field_key = 'insurance'`),
      'Cigna',
    );
    // the lead's service put it on the demo Orthodontics map, whose mirror
    // step of probability adds its own row (lead_map.test.mjs checks those)
    const rows = stack.sql(
      `SELECT action, field, before_value, after_value, actor_kind, actor_id FROM lead_history
       WHERE lead_id = ${lead.id} AND id > ${maxBefore} AND field NOT LIKE 'map.%' ORDER BY field`,
    );
    assert.deepEqual(rows, [
      ['edited', 'custom.insurance', 'Aetna', 'Cigna', 'agent', String(agent.user.id)],
      ['edited', 'probability', '40', '60', 'agent', String(agent.user.id)],
    ]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity_id = ${lead.id} AND action = 'lead.update'`), 1);
  });

  test('patch_accepts_a_weak_etag', async () => {
    // what a client gets back when nginx gzips the GET
    const r = await patch(agent.token, lead.id, { probability: 65 }, 'W/"v1"');
    assert.equal(r.status, 200, r.text);
    assertEtag(r, 2);
    assert.equal(stack.sqlValue(`SELECT probability FROM leads WHERE id = ${lead.id}`), '65');
  });

  test('two_edits_from_the_same_etag_never_overwrite_each_other', async () => {
    const etag = (await get(agent.token, lead.id)).headers.get('etag');
    const [a, b] = await Promise.all([
      patch(agent.token, lead.id, { probability: 11 }, etag),
      patch(agent2.token, lead.id, { probability: 22 }, etag),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 412], `${a.text} / ${b.text}`);
    const winner = a.status === 200 ? 11 : 22;
    assert.equal(stack.sqlValue(`SELECT probability FROM leads WHERE id = ${lead.id}`), String(winner));
  });

  test('patch_to_a_status_of_another_state_is_400_status_id', async () => {
    const g = await get(agent.token, lead.id);
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { status_id: id.won }, g.headers.get('etag'));
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('status_id' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('patch_of_the_state_is_400', async () => {
    const g = await get(agent.token, lead.id);
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { state: 'won' }, g.headers.get('etag'));
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('state' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('patch_between_statuses_of_the_same_state_is_allowed', async () => {
    const c = await create(agent.token, minimal({ status_id: id.contacted }));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.state, 'in_progress');
    const r = await patch(agent.token, c.body.id, { status_id: id.booked }, '"v1"');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status_id, id.booked);
    assert.deepEqual(stack.sql(`SELECT status_id, state FROM leads WHERE id = ${c.body.id}`), [[String(id.booked), 'in_progress']]);
  });

  test('patch_removing_every_phone_and_email_is_400', async () => {
    const g = await get(agent.token, lead.id);
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { phones: [], emails: [] }, g.headers.get('etag'));
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('patch_with_a_bad_custom_value_is_400_and_changes_nothing', async () => {
    const g = await get(agent.token, lead.id);
    const before = snapshot(lead.id);
    const r = await patch(agent.token, lead.id, { custom: { visits: 'many' } }, g.headers.get('etag'));
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('custom.visits' in r.body.error.fields, r.text);
    assert.deepEqual(snapshot(lead.id), before);
  });

  test('a_long_non_ascii_custom_text_can_be_edited', async () => {
    // History keeps at most 2000 bytes of a value; the cut must not split a
    // multi-byte character.
    const text = `a${'ü'.repeat(1500)}`;
    const r = await patch(agent.token, lead.id, { custom: { history: text } }, '"v1"');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.custom.history, text);
    assert.equal(
      stack.sqlValue(`SELECT v.value_text FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id
                      WHERE v.lead_id = ${lead.id} AND f.field_key = 'history'`),
      text,
    );
    const after = stack.sqlValue(`SELECT after_value FROM lead_history WHERE lead_id = ${lead.id} AND field = 'custom.history'`);
    assert.ok(after && text.startsWith(after), 'the history value is a clean prefix');
  });

  test('patch_adding_address_and_phone_makes_the_lead_complete', async () => {
    const c = await create(agent.token, minimal());
    assert.equal(c.body.incomplete, true);
    const r = await patch(agent.token, c.body.id, {
      address: { street: '3 Oak Ave', city: 'Peoria', region: 'IL', postal_code: '61602', country: 'US' },
      phones: ['(555) 888-1234'],
    }, '"v1"');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.incomplete, false);
    assert.equal(stack.sqlValue(`SELECT incomplete FROM leads WHERE id = ${c.body.id}`), '0');
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${c.body.id} AND field = 'phones' AND action = 'edited'`), 1);
  });
});

// --- search ---------------------------------------------------------------

describe('search', () => {
  const idsOf = (r) => r.body.items.map((i) => i.id);
  const dbIds = (where) =>
    stack.sql(`SELECT l.id FROM leads l WHERE ${where} ORDER BY l.id DESC`).map((x) => Number(x[0]));

  async function all(query) {
    const r = await search(admin.token, `${query}${query ? '&' : ''}limit=200`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.next, null);
    return idsOf(r);
  }

  test('q_finds_leads_by_name_prefix', async () => {
    const c = await create(agent.token, { first_name: 'Quentin', last_name: 'Xylophant', emails: ['qx@example.org'] });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(await all('q=Xylo'), [c.body.id]);
    assert.deepEqual(await all('q=Quentin%20Xy'), [c.body.id], 'first and last name');
    assert.deepEqual(await all('q=ylophant'), [], 'a prefix, not a substring');
  });

  test('q_treats_like_wildcards_literally', async () => {
    assert.deepEqual(await all('q=%25'), [], 'no name starts with %');
    assert.deepEqual(await all('q=_'), [], 'no name starts with _');
  });

  test('phone_in_another_formatting_finds_the_lead', async () => {
    const want = dbIds("EXISTS (SELECT 1 FROM lead_phones p WHERE p.lead_id = l.id AND p.phone = '+1 555 010 0001')");
    assert.equal(want.length, 1, 'demo lead with +1 555 010 0001');
    assert.deepEqual(await all('phone=555-010-0001'), want);
    assert.deepEqual(await all('phone=%2B1%20(555)%20010%200001'), want);
  });

  test('phone_with_too_few_digits_is_400', async () => {
    const r = await search(admin.token, 'phone=55');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('phone' in r.body.error.fields);
  });

  test('email_finds_the_lead_in_any_case', async () => {
    const c = await create(agent.token, minimal({ emails: ['Mixed.Case@Example.org'] }));
    assert.deepEqual(await all('email=MIXED.case%40example.ORG'), [c.body.id]);
  });

  test('state_filter_matches_the_db', async () => {
    assert.deepEqual(await all('state=won'), dbIds("l.state = 'won'"));
    assert.deepEqual(await all('state=in_progress'), dbIds("l.state = 'in_progress'"));
  });

  test('status_filter_matches_the_db', async () => {
    assert.deepEqual(await all(`status=${id.contacted}`), dbIds(`l.status_id = ${id.contacted}`));
  });

  test('owner_filter_matches_the_db', async () => {
    const want = dbIds(`l.owner_id = ${agent2.user.id}`);
    assert.ok(want.length > 0);
    assert.deepEqual(await all(`owner=${agent2.user.id}`), want);
  });

  test('incomplete_filter_matches_the_db', async () => {
    assert.deepEqual(await all('incomplete=true'), dbIds('l.incomplete = 1'));
    assert.deepEqual(await all('incomplete=false'), dbIds('l.incomplete = 0'));
  });

  test('custom_field_filter_matches_the_db', async () => {
    const want = dbIds(`EXISTS (SELECT 1 FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id
      WHERE v.lead_id = l.id AND f.field_key = 'insurance' AND v.value_text = 'Aetna')`);
    assert.ok(want.length > 0);
    assert.deepEqual(await all('cf.insurance=Aetna'), want);
    const dd = dbIds(`EXISTS (SELECT 1 FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id
      WHERE v.lead_id = l.id AND f.field_key = 'insurance' AND v.value_text = 'Delta Dental')`);
    assert.deepEqual(await all('cf.insurance=Delta%20Dental'), dd);
  });

  test('unknown_custom_field_filter_is_400', async () => {
    const r = await search(admin.token, 'cf.shoe_size=42');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('cf.shoe_size' in r.body.error.fields, r.text);
  });

  test('filters_combine', async () => {
    assert.deepEqual(
      await all(`state=in_progress&owner=${agent.user.id}&incomplete=false`),
      dbIds(`l.state = 'in_progress' AND l.owner_id = ${agent.user.id} AND l.incomplete = 0`),
    );
  });

  test('keyset_paging_walks_every_lead_once', async () => {
    const want = dbIds('1 = 1');
    const seen = [];
    let after = null;
    let pages = 0;
    for (;;) {
      const r = await search(admin.token, `limit=7${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.items.length <= 7);
      seen.push(...idsOf(r));
      pages += 1;
      assert.ok(pages < 100, 'paging ends');
      if (r.body.next === null) break;
      assert.equal(typeof r.body.next, 'string');
      assert.equal(r.body.items.length, 7, 'a page before the last is full');
      after = r.body.next;
    }
    assert.deepEqual(seen, want, 'every lead once, newest first');
    assert.equal(pages, Math.max(1, Math.ceil(want.length / 7)));
  });

  test('search_items_summarise_the_lead', async () => {
    const r = await search(admin.token, 'limit=1');
    assert.equal(r.status, 200, r.text);
    const [item] = r.body.items;
    for (const k of ['id', 'first_name', 'last_name', 'phones', 'emails', 'incomplete', 'status_id', 'state', 'owner_id', 'group_id']) {
      assert.ok(k in item, `${k} in ${JSON.stringify(item)}`);
    }
  });

  for (const bad of ['0', '201', 'abc', '-5', '10x']) {
    test(`bad_limit_${bad}_is_400`, async () => {
      const r = await search(admin.token, `limit=${bad}`);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok('limit' in r.body.error.fields, r.text);
    });
  }

  test('bad_state_and_incomplete_values_are_400', async () => {
    const r = await search(admin.token, 'state=bogus&incomplete=maybe&status=abc');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['incomplete', 'state', 'status']);
  });
});
