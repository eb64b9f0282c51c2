// Shared notes (/api/v1/leads/{id}/notes): each note keeps its author and
// time, an edit keeps the earlier text as a revision, only the author edits;
// and the lead's history (/api/v1/leads/{id}/history) with keyset paging.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let agent2;
let supervisor;

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

let n = 0;
/** A lead owned by agent with agent2 on its team (both may see it). */
async function sharedLead() {
  n += 1;
  const r = await stack.api('POST', '/api/v1/leads', {
    token: agent.token,
    json: { first_name: 'Noted', last_name: `Lead${n}`, emails: [`noted${n}@example.org`], team: [agent2.user.id] },
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const addNote = (who, leadId, body) =>
  stack.api('POST', `/api/v1/leads/${leadId}/notes`, { token: who.token, json: { body } });
const editNote = (who, leadId, noteId, body) =>
  stack.api('PATCH', `/api/v1/leads/${leadId}/notes/${noteId}`, { token: who.token, json: { body } });
const noteRow = (noteId) => stack.sql(`SELECT lead_id, author_id, body, version, edited_at FROM lead_notes WHERE id = ${noteId}`)[0];
const revisions = (noteId) => stack.sql(`SELECT body, edited_by FROM lead_note_revisions WHERE note_id = ${noteId} ORDER BY id`);
const near = (iso, slackS = 120) => Math.abs(Date.parse(iso) - Date.now()) <= slackS * 1000;

before(async () => {
  stack = await startStack();
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  supervisor = await login('supervisor@example.com');
});
after(async () => {
  await stack?.stop();
});

describe('notes', () => {
  test('add_note_stores_author_and_time', async () => {
    const l = await sharedLead();
    const r = await addNote(agent, l.id, 'Called; asked about Invisalign pricing.');
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof r.body.id, 'number');
    assert.equal(r.body.lead_id, l.id);
    assert.equal(r.body.author_id, agent.user.id);
    assert.equal(r.body.author, agent.user.name);
    assert.equal(r.body.body, 'Called; asked about Invisalign pricing.');
    assert.ok(near(r.body.created_at), `created_at is now: ${r.body.created_at}`);
    assert.equal(r.body.edited_at, null);
    assert.deepEqual(r.body.revisions, []);
    const [leadId, author, body, version, edited] = noteRow(r.body.id);
    assert.deepEqual([leadId, author, body, version, edited], [String(l.id), String(agent.user.id), 'Called; asked about Invisalign pricing.', '1', null]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_log WHERE entity_id = ${l.id} AND action = 'lead.note' AND user_id = ${agent.user.id}`), 1);
  });

  test('add_note_writes_note_added_to_history', async () => {
    const l = await sharedLead();
    const r = await addNote(agent2, l.id, 'Team mate note');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.author_id, agent2.user.id);
    assert.deepEqual(
      stack.sql(`SELECT actor_kind, actor_id, field, after_value FROM lead_history WHERE lead_id = ${l.id} AND action = 'note_added'`),
      [['agent', String(agent2.user.id), 'note', 'Team mate note']],
    );
    const h = await stack.api('GET', `/api/v1/leads/${l.id}/history`, { token: agent.token });
    assert.equal(h.status, 200, h.text);
    const added = h.body.items.find((e) => e.action === 'note_added');
    assert.ok(added, JSON.stringify(h.body.items));
    assert.equal(added.actor_id, agent2.user.id);
    assert.equal(added.after, 'Team mate note');
  });

  test('a_long_note_in_any_language_is_saved_with_a_valid_excerpt', async () => {
    // The history keeps a 200-character excerpt; cutting it must not split a
    // multi-byte character (an odd byte offset here).
    const l = await sharedLead();
    const body = `a${'é'.repeat(150)} — Zahnreinigung gewünscht`;
    const r = await addNote(agent, l.id, body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.body, body);
    assert.equal(stack.sqlValue(`SELECT body FROM lead_notes WHERE id = ${r.body.id}`), body);
    const excerpt = stack.sqlValue(`SELECT after_value FROM lead_history WHERE lead_id = ${l.id} AND action = 'note_added'`);
    assert.ok(excerpt && body.startsWith(excerpt), `excerpt is a prefix of the note: ${excerpt}`);
  });

  test('a_bad_note_body_is_400_and_nothing_is_written', async () => {
    const l = await sharedLead();
    const bodies = [{}, { body: '' }, { body: 42 }, { body: 'x'.repeat(10001) }, { body: 'ok', pinned: true }];
    for (const json of bodies) {
      const r = await stack.api('POST', `/api/v1/leads/${l.id}/notes`, { token: agent.token, json });
      assertEnvelope(assert, r, 400, 'validation_failed');
    }
    const notJson = await stack.api('POST', `/api/v1/leads/${l.id}/notes`, {
      token: agent.token, body: 'plain text', headers: { 'content-type': 'text/plain' },
    });
    assertEnvelope(assert, notJson, 415);
    assert.equal(num(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${l.id}`), 0);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id} AND action = 'note_added'`), 0);
  });

  test('list_shows_every_note_newest_first', async () => {
    const l = await sharedLead();
    const a = await addNote(agent, l.id, 'first');
    const b = await addNote(agent2, l.id, 'second');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    for (const who of [agent, agent2, supervisor, admin]) {
      const r = await stack.api('GET', `/api/v1/leads/${l.id}/notes`, { token: who.token });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.items.map((x) => [x.id, x.body, x.author_id]), [
        [b.body.id, 'second', agent2.user.id],
        [a.body.id, 'first', agent.user.id],
      ]);
    }
  });

  test('notes_page_with_limit_and_after_each_note_once_newest_first', async () => {
    const l = await sharedLead();
    for (let i = 0; i < 7; i++) assert.equal((await addNote(agent, l.id, `note ${i}`)).status, 201);
    const first = (await stack.api('GET', `/api/v1/leads/${l.id}/notes`, { token: agent.token })).body.items[0];
    assert.equal((await editNote(agent, l.id, first.id, 'note 6 edited')).status, 200);
    const db = stack.sql(`SELECT id FROM lead_notes WHERE lead_id = ${l.id} ORDER BY id DESC`).map((x) => Number(x[0]));
    assert.equal(db.length, 7);
    const seen = [];
    let after = null;
    for (let page = 0; page < 10; page++) {
      const q = `limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const r = await stack.api('GET', `/api/v1/leads/${l.id}/notes?${q}`, { token: agent2.token });
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items);
      if (r.body.next === null) break;
      assert.equal(r.body.items.length, 3);
      assert.equal(r.body.next, String(r.body.items.at(-1).id));
      after = r.body.next;
    }
    assert.deepEqual(seen.map((x) => x.id), db, 'every note once, newest first');
    assert.deepEqual(seen[0].revisions.map((x) => x.body), ['note 6'], 'revisions stay with their note');
    assert.ok(seen.slice(1).every((x) => x.revisions.length === 0));
    const all = await stack.api('GET', `/api/v1/leads/${l.id}/notes`, { token: agent.token });
    assert.equal(all.body.items.length, 7, 'the default page (50) holds them all');
    assert.equal(all.body.next, null);
  });

  test('notes_with_a_bad_limit_or_cursor_are_400', async () => {
    const l = await sharedLead();
    for (const q of ['limit=0', 'limit=201', 'limit=two', 'after=abc', 'after=-3', 'after=0']) {
      const r = await stack.api('GET', `/api/v1/leads/${l.id}/notes?${q}`, { token: agent.token });
      assertEnvelope(assert, r, 400, 'validation_failed');
    }
  });

  test('edit_by_the_author_keeps_the_earlier_text', async () => {
    const l = await sharedLead();
    const a = await addNote(agent, l.id, 'Prefers mornings');
    const r = await editNote(agent, l.id, a.body.id, 'Prefers afternoons');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.body, 'Prefers afternoons');
    assert.equal(r.body.author_id, agent.user.id, 'the author stays');
    assert.equal(r.body.version, 2);
    assert.ok(near(r.body.edited_at), r.body.edited_at);
    assert.equal(r.body.created_at, a.body.created_at);
    assert.equal(r.body.revisions.length, 1);
    assert.equal(r.body.revisions[0].body, 'Prefers mornings');
    assert.equal(r.body.revisions[0].edited_by, agent.user.id);
    assert.deepEqual(noteRow(a.body.id).slice(0, 4), [String(l.id), String(agent.user.id), 'Prefers afternoons', '2']);
    assert.deepEqual(revisions(a.body.id), [['Prefers mornings', String(agent.user.id)]]);
    // a second edit keeps both earlier texts
    const r2 = await editNote(agent, l.id, a.body.id, 'Any time');
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual(r2.body.revisions.map((x) => x.body), ['Prefers mornings', 'Prefers afternoons']);
    assert.deepEqual(revisions(a.body.id).map((x) => x[0]), ['Prefers mornings', 'Prefers afternoons']);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id} AND action = 'note_edited'`), 2);
    // the list shows the revisions too
    const list = await stack.api('GET', `/api/v1/leads/${l.id}/notes`, { token: agent2.token });
    assert.deepEqual(list.body.items[0].revisions.map((x) => x.body), ['Prefers mornings', 'Prefers afternoons']);
  });

  test('edit_by_another_agent_is_403_and_changes_nothing', async () => {
    const l = await sharedLead();
    const a = await addNote(agent, l.id, 'Mine');
    const before = noteRow(a.body.id);
    const r = await editNote(agent2, l.id, a.body.id, 'Not yours');
    assertEnvelope(assert, r, 403, 'forbidden');
    assert.deepEqual(noteRow(a.body.id), before);
    assert.deepEqual(revisions(a.body.id), []);
    assert.equal(num(`SELECT COUNT(*) FROM lead_history WHERE lead_id = ${l.id} AND action = 'note_edited'`), 0);
  });

  test('a_note_edit_needs_a_valid_body', async () => {
    const l = await sharedLead();
    const a = await addNote(agent, l.id, 'Keep me');
    const before = noteRow(a.body.id);
    const r = await editNote(agent, l.id, a.body.id, '');
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(noteRow(a.body.id), before);
    assert.deepEqual(revisions(a.body.id), []);
  });

  test('a_note_of_another_lead_is_404', async () => {
    const l1 = await sharedLead();
    const l2 = await sharedLead();
    const a = await addNote(agent, l1.id, 'On lead one');
    const r = await editNote(agent, l2.id, a.body.id, 'moved?');
    assertEnvelope(assert, r, 404, 'not_found');
    assert.equal(noteRow(a.body.id)[2], 'On lead one');
    const missing = await editNote(agent, l1.id, 99999999, 'nothing');
    assertEnvelope(assert, missing, 404, 'not_found');
  });

  test('notes_of_a_lead_outside_reach_are_404', async () => {
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Hidden', emails: ['hidden@example.org'] },
    });
    assert.equal(r.status, 201, r.text);
    assertEnvelope(assert, await stack.api('GET', `/api/v1/leads/${r.body.id}/notes`, { token: agent2.token }), 404, 'not_found');
    assertEnvelope(assert, await addNote(agent2, r.body.id, 'peek'), 404, 'not_found');
    assert.equal(num(`SELECT COUNT(*) FROM lead_notes WHERE lead_id = ${r.body.id}`), 0);
  });
});

describe('history', () => {
  let l;
  let etag;
  before(async () => {
    l = await sharedLead();
    etag = '"v1"';
    // some edits: each writes field-level rows
    for (const p of [10, 20, 30, 40, 50]) {
      const r = await stack.api('PATCH', `/api/v1/leads/${l.id}`, {
        token: agent.token, json: { probability: p }, headers: { 'if-match': etag },
      });
      assert.equal(r.status, 200, r.text);
      etag = `"v${r.body.version}"`;
    }
    assert.equal((await addNote(agent, l.id, 'after the edits')).status, 201);
  });

  test('history_lists_entries_newest_first_with_actor_and_before_after', async () => {
    const r = await stack.api('GET', `/api/v1/leads/${l.id}/history?limit=200`, { token: agent2.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.next, null);
    const db = stack.sql(`SELECT id FROM lead_history WHERE lead_id = ${l.id} ORDER BY id DESC`).map((x) => Number(x[0]));
    assert.deepEqual(r.body.items.map((e) => e.id), db);
    const prob = r.body.items.filter((e) => e.field === 'probability').map((e) => [e.before, e.after]);
    assert.deepEqual(prob, [['40', '50'], ['30', '40'], ['20', '30'], ['10', '20'], [null, '10']]);
    for (const e of r.body.items) {
      assert.equal(e.actor_kind, 'agent');
      assert.equal(e.actor_id, agent.user.id);
      assert.equal(e.actor, agent.user.name);
      assert.ok(near(e.at), e.at);
    }
    assert.equal(r.body.items[0].action, 'note_added');
    assert.equal(r.body.items.at(-1).action, 'created');
  });

  test('history_pages_with_limit_and_after', async () => {
    const db = stack.sql(`SELECT id FROM lead_history WHERE lead_id = ${l.id} ORDER BY id DESC`).map((x) => Number(x[0]));
    assert.ok(db.length >= 7, `${db.length} history rows`);
    const seen = [];
    let after = null;
    for (let page = 0; page < 50; page++) {
      const q = `limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const r = await stack.api('GET', `/api/v1/leads/${l.id}/history?${q}`, { token: agent.token });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items.map((e) => e.id));
      if (r.body.next === null) break;
      assert.equal(r.body.items.length, 2);
      after = r.body.next;
    }
    assert.deepEqual(seen, db, 'every entry once, newest first');
  });

  test('history_with_a_bad_limit_or_cursor_is_400', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=two', 'after=abc', 'after=-3']) {
      const r = await stack.api('GET', `/api/v1/leads/${l.id}/history?${q}`, { token: agent.token });
      assertEnvelope(assert, r, 400, 'validation_failed');
    }
  });

  test('history_of_a_lead_outside_reach_is_404', async () => {
    const r = await stack.api('POST', '/api/v1/leads', {
      token: agent.token, json: { last_name: 'Private', emails: ['private@example.org'] },
    });
    assert.equal(r.status, 201, r.text);
    const h = await stack.api('GET', `/api/v1/leads/${r.body.id}/history`, { token: agent2.token });
    assertEnvelope(assert, h, 404, 'not_found');
  });
});
