// Finding leads (issue 12, part 1): the one search box (name prefix, a phone
// in any formatting or its last digits, an e-mail whole or by prefix), every
// filter and sort checked against the database, keyset paging that neither
// repeats nor skips while leads are added, access, and bad parameters named.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let agent2;
let supervisor;
const run = `${process.pid}`.slice(-4);

const lit = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

async function login(email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
      await sleep(250);
      continue;
    }
    assert.equal(l.status, 200, `login ${email}`);
    return l;
  }
}

const num = (q) => Number(stack.sqlValue(q));
const search = (who, query) => stack.api('GET', `/api/v1/leads?${query}`, { token: who.token });
const create = async (who, json) => {
  const r = await stack.api('POST', '/api/v1/leads', { token: who.token, json });
  assert.equal(r.status, 201, r.text);
  return r.body;
};

/** Every id the search returns, page by page (limit 200), in order. */
async function all(who, query) {
  const ids = [];
  let after = null;
  for (let pages = 0; pages < 50; pages++) {
    const r = await search(who, `${query}${query ? '&' : ''}limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    assert.equal(r.status, 200, `${query}: ${r.text}`);
    ids.push(...r.body.items.map((i) => i.id));
    if (r.body.next === null) return ids;
    after = r.body.next;
  }
  throw new Error('paging did not end');
}

/** The ids of leads matching where, in the given order (admin sees all). */
const dbIds = (where, order = 'l.id DESC') =>
  stack.sql(`SELECT l.id FROM leads l WHERE ${where} ORDER BY ${order}`).map((x) => Number(x[0]));

before(async () => {
  stack = await startStack({ workers: 1 });
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  supervisor = await login('supervisor@example.com');
});
after(() => stack?.stop());

describe('one_box', () => {
  let lead;
  before(async () => {
    lead = await create(agent, {
      first_name: 'Odalys',
      last_name: `Brightwater${run}`,
      phones: [`(555) 01${run.slice(0, 1)}-${run.padStart(4, '0')}`],
      emails: [`Odalys.B${run}@Example.org`],
    });
  });

  test('a_phone_in_any_formatting_or_its_last_seven_digits_finds_the_lead', async () => {
    const d = lead.phones[0].replace(/\D/g, ''); // 10 digits
    const forms = [
      `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
      `+1 ${d.slice(0, 3)} ${d.slice(3)}`,
      d,
      `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
      d.slice(3), // the last seven digits
    ];
    for (const q of forms) {
      const ids = await all(agent, `q=${encodeURIComponent(q)}`);
      assert.ok(ids.includes(lead.id), `q=${q} finds the lead`);
    }
    const other = `${d.slice(0, 9)}${(Number(d[9]) + 1) % 10}`;
    assert.ok(!(await all(agent, `q=${other}`)).includes(lead.id), 'another number does not');
  });

  test('an_email_whole_or_by_prefix_in_any_case_finds_the_lead', async () => {
    for (const q of [`odalys.b${run}@example.org`, `ODALYS.B${run}@EXAMPLE.ORG`, `odalys.b${run}@`]) {
      assert.deepEqual(await all(agent, `q=${encodeURIComponent(q)}`), [lead.id], q);
    }
    assert.deepEqual(await all(agent, `email=${encodeURIComponent(`odalys.b${run}`)}`), [lead.id], 'email= is a prefix too');
    assert.deepEqual(await all(agent, `q=${encodeURIComponent('dalys.b@')}`), [], 'a prefix, not a substring');
  });

  test('a_name_prefix_finds_the_lead_and_the_app_and_api_agree', async () => {
    assert.deepEqual(await all(agent, `q=Brightwater${run}`), [lead.id]);
    assert.deepEqual(await all(agent, `q=Odalys%20Bright`), [lead.id], 'first and last name');
    assert.deepEqual(await all(agent, 'q=%25'), [], 'LIKE wildcards are literal');
    assert.deepEqual(await all(agent, `q=%20%20Odalys%20Bright%20`), [lead.id], 'spaces around the text do not count');
    const blank = await search(agent, 'q=%20%20&limit=3');
    assert.equal(blank.status, 200);
    assert.deepEqual(blank.body.items.map((i) => i.id), (await search(agent, 'limit=3')).body.items.map((i) => i.id), 'a blank box is no filter');
  });

  test('q_and_phone_together_is_400_naming_phone', async () => {
    const r = await search(agent, 'q=5550100&phone=5550100');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok('phone' in r.body.error.fields, r.text);
  });
});

describe('filters', () => {
  const id = {};
  before(() => {
    id.type = num("SELECT id FROM lookups WHERE kind = 'lead_type' AND name = 'Orthodontics'");
    id.source = num("SELECT id FROM lookups WHERE kind = 'source' ORDER BY id LIMIT 1");
    id.group = num("SELECT id FROM org_groups WHERE name = 'North Clinic'");
    id.unit = num('SELECT id FROM units ORDER BY id LIMIT 1');
  });

  test('each_filter_matches_the_database', async () => {
    const cases = [
      [`type=${id.type}`, `l.type_id = ${id.type}`],
      [`source=${id.source}`, `l.source_id = ${id.source}`],
      [`group=${id.group}`, `l.group_id = ${id.group}`],
      [`unit=${id.unit}`, `l.unit_id = ${id.unit}`],
      ['archived=true', 'l.archived_at IS NOT NULL'],
      ['archived=false', 'l.archived_at IS NULL'],
      ['call_state=missed', "l.call_state = 'missed'"],
      ['call_state=available', "l.call_state = 'available'"],
      ['state=in_progress&incomplete=false', "l.state = 'in_progress' AND l.incomplete = 0"],
    ];
    for (const [query, where] of cases) {
      const want = dbIds(where);
      assert.deepEqual(await all(admin, query), want, query);
    }
    assert.ok(dbIds('l.archived_at IS NOT NULL').length > 0 && dbIds("l.call_state = 'missed'").length > 0, 'the demo data has both');
  });

  test('map_and_track_filters_match_the_database', async () => {
    const [mapId, trackId] = stack.sql('SELECT map_id, current_track_id FROM lead_maps WHERE current_track_id IS NOT NULL LIMIT 1')[0].map(Number);
    assert.deepEqual(await all(admin, `map=${mapId}`), dbIds(`EXISTS (SELECT 1 FROM lead_maps m WHERE m.lead_id = l.id AND m.map_id = ${mapId})`));
    const onTrack = dbIds(`EXISTS (SELECT 1 FROM lead_maps m WHERE m.lead_id = l.id AND m.map_id = ${mapId} AND m.current_track_id = ${trackId})`);
    assert.ok(onTrack.length > 0);
    assert.deepEqual(await all(admin, `map=${mapId}&track=${trackId}`), onTrack);
  });

  test('created_and_updated_ranges_match_the_database', async () => {
    const [lo, hi] = stack.sql("SELECT DATE_FORMAT(MIN(created_at), '%Y-%m-%d'), DATE_FORMAT(MAX(created_at) - INTERVAL 1 DAY, '%Y-%m-%d') FROM leads")[0];
    assert.deepEqual(await all(admin, `created_from=${lo}&created_to=${hi}`),
      dbIds(`l.created_at >= '${lo}' AND l.created_at < '${hi}' + INTERVAL 1 DAY`), 'a date range includes its last day');
    const t = stack.sqlValue("SELECT DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM leads ORDER BY updated_at DESC LIMIT 1 OFFSET 3");
    assert.deepEqual(await all(admin, `updated_from=${t}`), dbIds(`l.updated_at >= '${t.replace('T', ' ').replace('Z', '')}'`), 'an instant');
  });

  test('custom_field_values_and_ranges_match_the_database', async () => {
    const cv = (key, cond) => `EXISTS (SELECT 1 FROM lead_custom_values v JOIN custom_fields f ON f.id = v.field_id
      WHERE v.lead_id = l.id AND f.field_key = '${key}' AND ${cond})`;
    const a = await create(agent, { first_name: 'Cf', last_name: `Ranger${run}`, emails: [`cf${run}@example.org`],
      custom: { visits: 7, birth_date: '1984-06-15', consent: false } });
    const cases = [
      ['cf.visits.min=5&cf.visits.max=8', cv('visits', 'v.value_num BETWEEN 5 AND 8')],
      ['cf.visits=7', cv('visits', 'v.value_num = 7')],
      ['cf.birth_date.min=1984-06-15&cf.birth_date.max=1984-06-15', cv('birth_date', "v.value_time >= '1984-06-15' AND v.value_time < '1984-06-16'")],
      ['cf.birth_date.max=1990-01-01', cv('birth_date', "v.value_time < '1990-01-02'")],
      ['cf.interests=Veneers', cv('interests', "v.value_text = 'Veneers'")],
      ['cf.consent=false', cv('consent', 'v.value_num = 0')],
      ['cf.insurance=Aetna&cf.visits.min=1', `${cv('insurance', "v.value_text = 'Aetna'")} AND ${cv('visits', 'v.value_num >= 1')}`],
    ];
    for (const [query, where] of cases) assert.deepEqual(await all(admin, query), dbIds(where), query);
    assert.ok((await all(admin, 'cf.visits=7')).includes(a.id));
    assert.ok((await all(admin, 'cf.birth_date=1984-06-15')).includes(a.id), 'a date matches its whole day');
  });
});

describe('sorts_and_paging', () => {
  const orders = {
    created: 'l.id DESC',
    updated: 'l.updated_at DESC, l.id DESC',
    name: 'l.last_name, l.first_name, l.id',
    follow_up: 'l.follow_up_at IS NULL, l.follow_up_at, l.id',
  };

  test('every_sort_walks_every_lead_once_in_the_database_order', async () => {
    for (const [sort, order] of Object.entries(orders)) {
      const want = dbIds('1 = 1', order);
      const seen = [];
      let after = null;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 200);
        const r = await search(admin, `sort=${sort}&limit=9${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        assert.equal(r.status, 200, r.text);
        seen.push(...r.body.items.map((i) => i.id));
        if (r.body.next === null) break;
        assert.equal(r.body.items.length, 9);
        after = r.body.next;
      }
      assert.deepEqual(seen, want, `sort=${sort}`);
    }
  });

  test('paging_by_name_neither_repeats_nor_skips_while_leads_are_added', async () => {
    const tag = `Pager${run}`;
    const names = ['Adams', 'Baker', 'Clark', 'Davis', 'Evans', 'Foster', 'Green', 'Hughes'];
    const made = [];
    for (const n of names) made.push((await create(agent, { first_name: n, last_name: `${tag}${n}`, emails: [`${n}${run}@example.org`] })).id);
    const q = `q=${tag}&sort=name&limit=3`;
    const first = await search(agent, q);
    assert.deepEqual(first.body.items.map((i) => i.id), made.slice(0, 3));
    // between pages: one lead sorts before the cursor, one after it
    const early = (await create(agent, { first_name: 'A', last_name: `${tag}Aaron`, emails: [`aaron${run}@example.org`] })).id;
    const late = (await create(agent, { first_name: 'Z', last_name: `${tag}Zane`, emails: [`zane${run}@example.org`] })).id;
    const seen = first.body.items.map((i) => i.id);
    let after = first.body.next;
    while (after) {
      const r = await search(agent, `${q}&after=${encodeURIComponent(after)}`);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items.map((i) => i.id));
      after = r.body.next;
      // and one more on every page, after the cursor
      if (after && seen.length < 12) await create(agent, { first_name: 'Y', last_name: `${tag}Young${seen.length}`, emails: [`y${seen.length}${run}@example.org`] });
    }
    assert.equal(new Set(seen).size, seen.length, 'no lead twice');
    for (const m of made) assert.ok(seen.includes(m), 'no lead that was there is skipped');
    assert.ok(seen.includes(late), 'a lead added after the cursor is reached');
    assert.ok(!seen.includes(early), 'a lead added before the cursor is not (the pages already read)');
  });

  test('name_paging_carries_the_longest_names_in_its_cursor', async () => {
    // 100 characters of 3-byte UTF-8 each, with the cursor's own separator in them (4-byte
    // characters are not used: utf8mb4_unicode_ci's LIKE range on an index misses them)
    const stem = `Long${run}|`;
    const pad = (c) => stem + c.repeat(100 - stem.length);
    const made = [];
    for (const c of ['漢', '字', '語']) {
      made.push((await create(agent, { first_name: `${c}|${c}`.repeat(33), last_name: pad(c), emails: [`long${made.length}${run}@example.org`] })).id);
    }
    const seen = [];
    let after = null;
    do {
      const r = await search(agent, `q=${encodeURIComponent(stem)}&sort=name&limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items.map((i) => i.id));
      after = r.body.next;
      assert.ok(seen.length <= 3, 'no lead twice');
    } while (after);
    assert.deepEqual(seen, dbIds(`l.id IN (${made.join(',')})`, 'l.last_name, l.first_name, l.id'));
  });

  test('paging_newest_first_is_stable_while_leads_are_added', async () => {
    const first = await search(admin, 'limit=5');
    const added = await create(agent, { first_name: 'New', last_name: `Arrival${run}`, emails: [`arrival${run}@example.org`] });
    const second = await search(admin, `limit=5&after=${encodeURIComponent(first.body.next)}`);
    const a = first.body.items.map((i) => i.id);
    const b = second.body.items.map((i) => i.id);
    assert.ok(!b.includes(added.id));
    assert.ok(Math.min(...a) > Math.max(...b), 'the second page follows the first');
    assert.deepEqual([...a, ...b], dbIds(`l.id <> ${added.id}`).slice(0, 10));
  });
});

describe('access', () => {
  test('an_agent_never_sees_another_agents_private_lead_in_results_or_export', async () => {
    const secret = await create(agent2, { first_name: 'Private', last_name: `Hidden${run}`, phones: [`555 0${run} 999`], emails: [`hidden${run}@example.org`] });
    stack.sql(`UPDATE leads SET call_state = 'scheduled' WHERE id = ${secret.id}`);
    assert.deepEqual(await all(agent2, `q=Hidden${run}`), [secret.id]);
    for (const q of [`q=Hidden${run}`, `q=hidden${run}%40`, `q=0${run}999`, `owner=${agent2.user.id}`]) {
      assert.ok(!(await all(agent, q)).includes(secret.id), q);
    }
    const csv = await stack.api('GET', `/api/v1/leads/export.csv?q=Hidden${run}`, { token: agent.token });
    assert.equal(csv.status, 200);
    assert.ok(!csv.text.includes(`Hidden${run}`));
    const visible = dbIds(`l.owner_id = ${agent.user.id}`);
    const got = await all(agent, `owner=${agent.user.id}`);
    assert.deepEqual(got, visible, 'own leads are all there');
  });
});

describe('bad_parameters', () => {
  test('each_bad_parameter_is_400_naming_it', async () => {
    const cases = [
      ['sort=priority', 'sort'],
      ['after=not-a-cursor', 'after'],
      ['colour=red', 'colour'],
      ['created_from=2026-13-01', 'created_from'],
      ['updated_to=yesterday', 'updated_to'],
      ['cf.visits.min=lots', 'cf.visits.min'],
      ['cf.insurance.max=3', 'cf.insurance.max'],
      ['cf.shoe_size=42', 'cf.shoe_size'],
      ['track=3', 'track'],
      ['archived=maybe', 'archived'],
      ['call_state=asleep', 'call_state'],
      ['type=x', 'type'],
      ['limit=0', 'limit'],
    ];
    for (const [query, field] of cases) {
      const r = await search(agent, query);
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(field in r.body.error.fields, `${query}: ${r.text}`);
    }
  });

  test('a_cursor_of_another_sort_is_400', async () => {
    const r = await search(admin, 'sort=name&limit=2');
    const bad = await search(admin, `sort=updated&after=${encodeURIComponent(r.body.next)}`);
    assertEnvelope(assert, bad, 400, 'validation_failed');
    assert.ok('after' in bad.body.error.fields);
  });

  test('hundreds_of_filter_shapes_never_fail_a_search', async () => {
    // each set of filters is its own statement; past the kept number the oldest goes
    const filters = ['state=new', 'incomplete=false', 'archived=false', 'call_state=scheduled', `owner=${agent.user.id}`, 'created_from=2000-01-01', 'updated_from=2000-01-01', 'cf.visits.min=0', 'cf.insurance=Aetna'];
    const sorts = ['created', 'updated', 'name'];
    const first = `${filters[0]}&sort=created`;
    const before = (await search(agent, `${first}&limit=200`)).body.items.map((i) => i.id);
    let n = 0;
    for (let mask = 1; mask < 1 << filters.length && n < 300; mask += 1) {
      for (const sort of sorts) {
        const q = filters.filter((_, i) => mask & (1 << i)).join('&');
        const r = await search(agent, `${q}&sort=${sort}&limit=1`);
        assert.equal(r.status, 200, `${q}: ${r.text}`);
        n += 1;
      }
    }
    assert.ok(n >= 300);
    assert.deepEqual((await search(agent, `${first}&limit=200`)).body.items.map((i) => i.id), before, 'an early shape, prepared again, answers the same');
  });

  test('a_search_reads_a_few_statements', async () => {
    const r = await search(agent, 'q=Smi&state=new&sort=name&limit=20');
    assert.equal(r.status, 200);
    assert.ok(Number(r.headers.get('x-db-statements')) <= 4, r.headers.get('x-db-statements'));
  });
});

describe('saved_searches', () => {
  const api = (who, method, path, json, headers) => stack.api(method, `/api/v1/saved-searches${path}`, { token: who.token, json, headers });

  test('saved_search_create_list_edit_delete', async () => {
    const c = await api(agent, 'POST', '', { name: 'My new leads', query: '?state=new&sort=name' });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual([c.body.name, c.body.query, c.body.shared, c.body.mine], ['My new leads', 'state=new&sort=name', false, true]);
    assert.equal(c.headers.get('etag'), '"v1"');
    assert.deepEqual(stack.sql(`SELECT name, query, group_id FROM saved_searches WHERE id = ${c.body.id}`), [['My new leads', 'state=new&sort=name', null]]);
    const list = await api(agent, 'GET', '');
    assert.ok(list.body.items.some((s) => s.id === c.body.id));
    assert.ok(!(await api(agent2, 'GET', '')).body.items.some((s) => s.id === c.body.id), 'not another agent’s');
    assertEnvelope(assert, await api(agent2, 'GET', `/${c.body.id}`), 404, 'not_found');

    const dup = await api(agent, 'POST', '', { name: 'My new leads', query: 'state=won' });
    assertEnvelope(assert, dup, 409, 'conflict');
    assert.ok('name' in dup.body.error.fields);

    assertEnvelope(assert, await api(agent, 'PATCH', `/${c.body.id}`, { name: 'x' }), 428);
    assertEnvelope(assert, await api(agent, 'PATCH', `/${c.body.id}`, { name: 'x' }, { 'if-match': '"v9"' }), 412);
    const p = await api(agent, 'PATCH', `/${c.body.id}`, { name: 'New, by name' }, { 'if-match': '"v1"' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.name, p.body.query, p.body.version], ['New, by name', 'state=new&sort=name', 2]);

    const d = await api(agent, 'DELETE', `/${c.body.id}`);
    assert.equal(d.status, 204);
    assert.equal(num(`SELECT COUNT(*) FROM saved_searches WHERE id = ${c.body.id}`), 0);
  });

  test('a_saved_query_is_checked_like_the_list', async () => {
    const r = await api(agent, 'POST', '', { name: 'Bad', query: 'sort=priority&colour=red&state=new', shared: 'yes', extra: 1 });
    assertEnvelope(assert, r, 400, 'validation_failed');
    for (const f of ['query.sort', 'query.colour', 'shared', 'extra']) assert.ok(f in r.body.error.fields, `${f}: ${r.text}`);
    const empty = await api(agent, 'POST', '', { name: '  ', query: 'x'.repeat(2001) });
    for (const f of ['name', 'query']) assert.ok(f in empty.body.error.fields, `${f}: ${empty.text}`);
    assert.equal(num(`SELECT COUNT(*) FROM saved_searches WHERE name = 'Bad'`), 0);
  });

  test('a_supervisor_shares_a_search_with_the_group_and_only_they_edit_it', async () => {
    const no = await api(agent, 'POST', '', { name: 'Team view', query: 'state=new', shared: true });
    assertEnvelope(assert, no, 400, 'validation_failed');
    assert.ok('shared' in no.body.error.fields);
    const s = await api(supervisor, 'POST', '', { name: `Group missed ${run}`, query: 'call_state=missed', shared: true });
    assert.equal(s.status, 201, s.text);
    assert.equal(s.body.shared, true);
    const seen = (await api(agent, 'GET', '')).body.items.find((x) => x.id === s.body.id);
    assert.ok(seen, 'a member of the group sees it');
    assert.deepEqual([seen.mine, seen.owner], [false, 'Sam Supervisor']);
    assert.ok(!(await api(agent2, 'GET', '')).body.items.some((x) => x.id === s.body.id), 'another group does not');
    assertEnvelope(assert, await api(agent, 'PATCH', `/${s.body.id}`, { name: 'Mine now' }, { 'if-match': '"v1"' }), 403, 'forbidden');
    assertEnvelope(assert, await api(agent, 'DELETE', `/${s.body.id}`), 403, 'forbidden');
    // the shared query runs for the member with the member's own access
    const r = await search(agent, seen.query);
    assert.equal(r.status, 200);
  });
});
