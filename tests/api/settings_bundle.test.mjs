// The settings bundle (GET /api/v1/settings/bundle): every settings list and
// the user directory in one response, versioned by settings_version with an
// ETag, answered 304 when the client's copy is current, and rebuilt in every
// worker when a setting changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

const KINDS = ['lead-types', 'categories', 'priorities', 'importance-levels', 'sources', 'lost-reasons',
  'competitors', 'statuses', 'products', 'custom-fields', 'groups', 'units'];

let stack;
let admin;
let agent;

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

const bundle = (who, headers = {}) => stack.api('GET', '/api/v1/settings/bundle', { token: who.token, headers });
const dbVersion = () => Number(stack.sqlValue('SELECT version FROM settings_version WHERE id = 1'));

/** The version in an ETag header: "s12" or, compressed by nginx, W/"s12". */
function etagVersion(r) {
  const m = /^(?:W\/)?"s(\d+)"$/.exec(r.headers.get('etag') ?? '');
  assert.ok(m, `ETag "s<N>" expected, got ${r.headers.get('etag')}`);
  return Number(m[1]);
}

before(async () => {
  stack = await startStack({ workers: 2 });
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
});
after(async () => {
  await stack?.stop();
});

test('bundle_lists_equal_the_individual_lists_and_the_directory', async () => {
  const r = await bundle(agent);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.body).sort(), ['lists', 'users', 'version']);
  assert.deepEqual(Object.keys(r.body.lists).sort(), [...KINDS].sort());
  for (const kind of KINDS) {
    const one = await stack.api('GET', `/api/v1/settings/${kind}`, { token: agent.token });
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(r.body.lists[kind], one.body.items, kind);
  }
  const dir = await stack.api('GET', '/api/v1/users', { token: agent.token });
  assert.deepEqual(r.body.users, dir.body.items);
  assert.equal(r.body.version, dbVersion());
  assert.equal(etagVersion(r), r.body.version);
  assert.equal(r.headers.get('cache-control'), 'private, no-cache');
});

test('if_none_match_with_the_current_etag_is_304_without_a_body', async () => {
  const r = await bundle(agent);
  assert.equal(r.status, 200, r.text);
  const etag = r.headers.get('etag');
  const n = etagVersion(r);
  for (const inm of [etag, `"s${n}"`, `W/"s${n}"`, `"s0", "s${n}"`, '*']) {
    for (let i = 0; i < 4; i++) { // both workers
      const c = await bundle(agent, { 'if-none-match': inm });
      assert.equal(c.status, 304, `If-None-Match ${inm}: ${c.status} ${c.text}`);
      assert.equal(c.text, '');
      assert.equal(etagVersion(c), n);
    }
  }
  const stale = await bundle(agent, { 'if-none-match': `"s${n - 1}"` });
  assert.equal(stale.status, 200);
  assert.deepEqual(stale.body, r.body);
});

test('renaming_a_status_changes_the_version_and_the_bundle_shows_the_new_name', async () => {
  const before0 = await bundle(agent);
  const status = before0.body.lists.statuses[0];
  const name = `Renamed ${Date.now()}`;
  const p = await stack.api('PATCH', `/api/v1/settings/statuses/${status.id}`, { token: admin.token, json: { name } });
  assert.equal(p.status, 200, p.text);
  assert.ok(dbVersion() > before0.body.version, 'the trigger raised the version');
  for (let i = 0; i < 4; i++) { // every worker rebuilds its kept bundle
    const r = await bundle(agent, { 'if-none-match': before0.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.version > before0.body.version);
    assert.equal(r.body.version, dbVersion());
    assert.equal(etagVersion(r), r.body.version);
    assert.equal(r.body.lists.statuses.find((s) => s.id === status.id).name, name);
  }
});

test('renaming_a_user_changes_the_bundle_users', async () => {
  const before0 = await bundle(agent);
  const name = `Agent ${Date.now()}`;
  const p = await stack.api('PATCH', `/api/v1/settings/users/${agent.user.id}`, { token: admin.token, json: { name } });
  assert.equal(p.status, 200, p.text);
  const r = await bundle(agent, { 'if-none-match': before0.headers.get('etag') });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.version > before0.body.version);
  assert.equal(r.body.users.find((u) => u.id === agent.user.id).name, name);
});

test('the_bundle_needs_a_signed_in_user', async () => {
  const r = await stack.api('GET', '/api/v1/settings/bundle');
  assertEnvelope(assert, r, 401);
  assert.equal(r.headers.get('etag'), null);
});
