// Duplicate detection on create (issue 12): a new lead whose phone (in any
// formatting, with or without the country code) or e-mail (any case) an
// existing lead has is not created; the answer names the candidates the
// user may see and only counts the others; ?allow_duplicate=true creates it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let agent;
let agent2;

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

const create = (who, body, query = '') => stack.api('POST', `/api/v1/leads${query}`, { token: who.token, json: body });
const countNamed = (last) => Number(stack.sqlValue(`SELECT COUNT(*) FROM leads WHERE last_name = '${last}'`));

before(async () => {
  stack = await startStack({ workers: 1 });
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
});

after(async () => {
  await stack?.stop();
});

describe('duplicate detection', () => {
  let first;

  before(async () => {
    const r = await create(agent, { first_name: 'Dora', last_name: 'Dupont', phones: ['(555) 010-2030'], emails: ['Dora.Dupont@Example.org'] });
    assert.equal(r.status, 201, r.text);
    first = r.body;
  });

  test('same_phone_in_other_formatting_answers_possible_duplicate_and_creates_nothing', async () => {
    for (const phone of ['+1 555 0102030', '555.010.2030', '15550102030']) {
      const r = await create(agent, { first_name: 'Dory', last_name: 'Dupphone', phones: [phone] });
      assertEnvelope(assert, r, 409, 'possible_duplicate');
      const items = r.body.error.candidates.items;
      assert.equal(items.length, 1, r.text);
      assert.equal(items[0].id, first.id);
      assert.equal(items[0].last_name, 'Dupont');
      assert.deepEqual(items[0].matched, ['phone']);
      assert.equal(r.body.error.candidates.hidden, 0);
    }
    assert.equal(countNamed('Dupphone'), 0, 'nothing was written');
  });

  test('same_email_in_other_case_is_a_duplicate', async () => {
    const r = await create(agent, { last_name: 'Dupmail', emails: ['DORA.dupont@example.ORG'] });
    assertEnvelope(assert, r, 409, 'possible_duplicate');
    assert.deepEqual(r.body.error.candidates.items.map((c) => c.id), [first.id]);
    assert.deepEqual(r.body.error.candidates.items[0].matched, ['email']);
  });

  test('phone_and_email_both_matching_name_the_lead_once', async () => {
    const r = await create(agent, { last_name: 'Dupboth', phones: ['555 010 2030'], emails: ['dora.dupont@example.org'] });
    assertEnvelope(assert, r, 409, 'possible_duplicate');
    assert.equal(r.body.error.candidates.items.length, 1);
    assert.deepEqual(r.body.error.candidates.items[0].matched.sort(), ['email', 'phone']);
  });

  test('allow_duplicate_true_creates_the_lead_anyway', async () => {
    const r = await create(agent, { last_name: 'Dupallowed', phones: ['+1 (555) 010-2030'] }, '?allow_duplicate=true');
    assert.equal(r.status, 201, r.text);
    assert.equal(countNamed('Dupallowed'), 1);
  });

  test('a_lead_the_user_may_not_see_is_counted_not_named', async () => {
    const r = await create(agent2, { first_name: 'Other', last_name: 'Agentlead', emails: ['dora.dupont@example.org'] });
    assertEnvelope(assert, r, 409, 'possible_duplicate');
    assert.deepEqual(r.body.error.candidates.items, []);
    assert.equal(r.body.error.candidates.hidden, 1);
    assert.ok(!r.text.includes('Dupont'), 'no name of a lead out of reach');
  });

  test('a_new_phone_or_email_is_no_duplicate', async () => {
    const a = await create(agent, { last_name: 'Freshphone', phones: ['+1 555 010 2031'] });
    assert.equal(a.status, 201, a.text);
    const c = await create(agent, { last_name: 'Freshmail', emails: ['fresh.contact@example.org'] });
    assert.equal(c.status, 201, c.text);
  });

  test('the_check_is_one_statement_through_the_phone_and_email_indexes', async () => {
    const r = await create(agent, { last_name: 'Dupcount', phones: ['555 010 2030'], emails: ['dora.dupont@example.org'] });
    assertEnvelope(assert, r, 409, 'possible_duplicate');
    assert.ok(Number(r.headers.get('x-db-statements')) <= 3, `user check, group rules, duplicates: ${r.headers.get('x-db-statements')}`);
    const plan = (sql) => stack.sql(`EXPLAIN ${sql}`).map((row) => [row[2], row[5]]);
    const phones = plan(`SELECT p.lead_id FROM JSON_TABLE('["5550102030"]', '$[*]' COLUMNS (t VARCHAR(10) PATH '$')) j JOIN lead_phones p ON p.dup_tail = j.t COLLATE utf8mb4_unicode_ci`);
    assert.deepEqual(phones.find(([table]) => table === 'p'), ['p', 'ix_lead_phones_dup_tail']);
    const emails = plan(`SELECT e.lead_id FROM JSON_TABLE('["a@example.org"]', '$[*]' COLUMNS (a VARCHAR(254) PATH '$')) j JOIN lead_emails e ON e.email = j.a COLLATE utf8mb4_unicode_ci`);
    assert.deepEqual(emails.find(([table]) => table === 'e'), ['e', 'ix_lead_emails_email']);
  });

  test('allow_duplicate_other_than_a_boolean_is_400_naming_it', async () => {
    const r = await create(agent, { last_name: 'Dupbad', emails: ['dupbad@example.org'] }, '?allow_duplicate=maybe');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.allow_duplicate);
  });
});
