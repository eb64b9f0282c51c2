// The lead map (issue 10, server side): map definitions (whole-map PUT,
// every field error at once, If-Match), the eight step types with their
// checks, mirror steps in sync with their field both ways, progression
// through tracks to the end point, moving a lead between maps, editing a map
// that leads are on without losing a value, access, and a lead read with a
// map staying three statements.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertEnvelope, sleep, startStack } from '../lib/stack.mjs';

let stack;
let admin;
let agent;
let agent2;
let video;
let mapA; // every step type, three tracks
let mapB;

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

const statements = (r) => Number(r.headers.get('x-db-statements'));
const api = (method, path, who, json, headers) => stack.api(method, path, { token: who.token, json, headers });

async function newLead(who = agent, extra = {}) {
  const n = Math.floor(Math.random() * 1e9);
  const r = await api('POST', '/api/v1/leads?allow_duplicate=true', who, { first_name: 'Map', last_name: `Walker${n}`, emails: [`walker${n}@example.org`], ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

/** If-Match for the lead as it stands now (the map routes are optimistic like a PATCH). */
const current = (lead) => ({ 'If-Match': `"v${stack.sqlValue(`SELECT version FROM leads WHERE id = ${lead.id}`)}"` });

async function onMap(lead, map, who = agent) {
  const r = await api('PUT', `/api/v1/leads/${lead.id}/map`, who, { map_id: map.id }, current(lead));
  assert.equal(r.status, 200, r.text);
  return r.body;
}

const setStep = (lead, stepId, body, who = agent) => api('PUT', `/api/v1/leads/${lead.id}/steps/${stepId}`, who, body, current(lead));
const attempt = (lead, stepId, body, who = agent) => api('POST', `/api/v1/leads/${lead.id}/steps/${stepId}/attempts`, who, body, current(lead));

/** The step of a map definition (or a lead's map) by name. */
function step(map, name) {
  for (const t of map.tracks) for (const s of t.steps) if (s.name === name) return s;
  throw new Error(`no step ${name}`);
}

function history(leadId, sinceId = 0) {
  return stack.sql(`SELECT action, field, before_value, after_value FROM lead_history WHERE lead_id = ${leadId} AND id > ${sinceId} ORDER BY id`);
}
const lastHistoryId = (leadId) => Number(stack.sqlValue(`SELECT COALESCE(MAX(id), 0) FROM lead_history WHERE lead_id = ${leadId}`));

before(async () => {
  stack = await startStack({ workers: 1 });
  admin = await login('admin@example.com');
  agent = await login('agent@example.com');
  agent2 = await login('agent2@example.com');
  let r = await api('POST', '/api/v1/map-videos', admin, { title: 'Your first visit', url: 'https://videos.example.com/first-visit', description: 'What happens' });
  assert.equal(r.status, 201, r.text);
  video = r.body;
  r = await api('POST', '/api/v1/maps', admin, {
    name: 'Orthodontics',
    tracks: [
      { name: 'Intake', steps: [
        { name: 'Treatment', type: 'dropdown', required: true, options: [{ label: 'Braces' }, { label: 'Aligners' }] },
        { name: 'Channel', type: 'radio', options: [{ label: 'Phone' }, { label: 'Visit' }] },
        { name: 'Likelihood', type: 'mirror', bound_field: 'probability' },
      ] },
      { name: 'Consult', steps: [
        { name: 'Intro video', type: 'video', video_id: video.id, required: true },
        { name: 'X-rays taken', type: 'checkbox', required: true },
        { name: 'First visit', type: 'date' },
      ] },
      { name: 'Close', steps: [
        { name: 'Follow-up call', type: 'call', required: true, call_attempts: 2, call_spacing_minutes: 60 },
        { name: 'Book treatment', type: 'schedule', schedule_kind: 'meeting', required: true },
      ] },
    ],
  });
  assert.equal(r.status, 201, r.text);
  mapA = r.body;
  r = await api('POST', '/api/v1/maps', admin, { name: 'Whitening', tracks: [{ name: 'Only', steps: [{ name: 'Shade', type: 'dropdown', required: true, options: [{ label: 'A1' }] }] }] });
  assert.equal(r.status, 201, r.text);
  mapB = r.body;
});
after(() => stack?.stop());

describe('map definitions', () => {
  test('a_map_is_created_with_stable_ids_for_tracks_steps_and_options', () => {
    assert.equal(mapA.version, 1);
    assert.equal(mapA.tracks.length, 3);
    assert.deepEqual(step(mapA, 'Treatment').options.map((o) => o.label), ['Braces', 'Aligners']);
    assert.ok(step(mapA, 'Treatment').options.every((o) => Number.isInteger(o.id)));
    assert.equal(step(mapA, 'Follow-up call').call_attempts, 2);
    assert.equal(step(mapA, 'Intro video').video_id, video.id);
  });

  test('map_writes_are_for_admins_and_reads_for_everyone', async () => {
    assertEnvelope(assert, await api('POST', '/api/v1/maps', agent, { name: 'x', tracks: [] }), 403, 'forbidden');
    const r = await api('GET', `/api/v1/maps/${mapA.id}`, agent);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('etag'), /^(W\/)?"v1"$/);
    assert.ok((await api('GET', '/api/v1/maps', agent)).body.items.some((m) => m.id === mapA.id));
    assert.ok((await api('GET', '/api/v1/map-videos', agent)).body.items.some((v) => v.id === video.id));
  });

  test('a_map_body_answers_every_field_error_at_once', async () => {
    const r = await api('POST', '/api/v1/maps', admin, {
      name: '', colour: 'red',
      tracks: [{ name: 'T', steps: [
        { name: 'a', type: 'slider' },
        { name: 'b', type: 'mirror', bound_field: 'owner_id' },
        { name: 'c', type: 'call' },
        { name: 'd', type: 'dropdown', options: [] },
        { name: 'e', type: 'video', video_id: 999999 },
      ] }],
    });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.deepEqual(Object.keys(r.body.error.fields).sort(), [
      'colour', 'name', 'tracks[0].steps[0].type', 'tracks[0].steps[1].bound_field',
      'tracks[0].steps[2].call_attempts', 'tracks[0].steps[3].options', 'tracks[0].steps[4].video_id',
    ]);
  });

  test('a_map_put_needs_if_match_and_the_current_version', async () => {
    const r = await api('POST', '/api/v1/maps', admin, { name: 'Lock test', tracks: [{ name: 'T', steps: [] }] });
    assertEnvelope(assert, await api('PUT', `/api/v1/maps/${r.body.id}`, admin, r.body), 428, 'precondition_required');
    const ok = await api('PUT', `/api/v1/maps/${r.body.id}`, admin, { ...r.body, name: 'Lock test 2' }, { 'If-Match': '"v1"' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, 2);
    assertEnvelope(assert, await api('PUT', `/api/v1/maps/${r.body.id}`, admin, r.body, { 'If-Match': '"v1"' }), 412, 'precondition_failed');
  });

  test('a_step_keeps_its_type', async () => {
    const r = await api('POST', '/api/v1/maps', admin, { name: 'Type test', tracks: [{ name: 'T', steps: [{ name: 's', type: 'checkbox' }] }] });
    const body = structuredClone(r.body);
    body.tracks[0].steps[0].type = 'date';
    const put = await api('PUT', `/api/v1/maps/${r.body.id}`, admin, body, { 'If-Match': '"v1"' });
    assertEnvelope(assert, put, 400, 'validation_failed');
    assert.ok(put.body.error.fields['tracks[0].steps[0].type']);
  });

  test('a_map_no_lead_was_on_can_be_deleted_one_in_use_cannot', async () => {
    const r = await api('POST', '/api/v1/maps', admin, { name: 'Doomed', tracks: [{ name: 'T', steps: [{ name: 's', type: 'checkbox' }] }] });
    assert.equal((await api('DELETE', `/api/v1/maps/${r.body.id}`, admin)).status, 204);
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM maps WHERE id = ${r.body.id}`), '0');
    const lead = await newLead();
    await onMap(lead, mapB);
    assertEnvelope(assert, await api('DELETE', `/api/v1/maps/${mapB.id}`, admin), 409, 'in_use');
    assertEnvelope(assert, await api('DELETE', `/api/v1/map-videos/${video.id}`, admin), 409, 'in_use');
  });

  test('assignment_rules_are_listed_with_their_field', async () => {
    const field = Number(stack.sqlValue("SELECT id FROM custom_fields WHERE field_key = 'service_requested'"));
    const r = await api('POST', '/api/v1/map-rules', admin, { field_id: field, value: 'Orthodontics', map_id: mapA.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.field_key, 'service_requested');
    assertEnvelope(assert, await api('POST', '/api/v1/map-rules', admin, { field_id: 0, value: '', map_id: 0 }), 400, 'validation_failed');
    assert.equal((await api('DELETE', `/api/v1/map-rules/${r.body.id}`, admin)).status, 204);
  });
});

describe('the lead record', () => {
  test('a_lead_read_with_a_map_is_three_statements', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    await setStep(lead, step(mapA, 'Treatment').id, { value: step(mapA, 'Treatment').options[0].id });
    await api('GET', `/api/v1/leads/${lead.id}`, agent); // warm the cache
    const r = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    assert.equal(r.status, 200);
    assert.equal(statements(r), 3, 'user check, lead row, child lists with the map and its values');
    assert.equal(r.body.map.map_id, mapA.id);
    assert.equal(r.body.map.current_track_id, mapA.tracks[1].id, 'Intake is done: the lead is in Consult');
    assert.deepEqual(r.body.map.tracks.map((t) => [t.name, t.done, t.required, t.total]),
      [['Intake', 1, 1, 3], ['Consult', 0, 2, 3], ['Close', 0, 2, 2]]);
  });

  test('a_lead_without_a_map_shows_null', async () => {
    const lead = await newLead();
    assert.equal(lead.map, null);
  });
});

describe('step types', () => {
  let lead;
  before(async () => {
    lead = await newLead();
    await onMap(lead, mapA);
  });

  test('dropdown_and_radio_take_an_option_id_of_their_list', async () => {
    const s = step(mapA, 'Treatment');
    assertEnvelope(assert, await setStep(lead, s.id, { value: 999 }), 400, 'validation_failed');
    assertEnvelope(assert, await setStep(lead, s.id, { value: 'Braces' }), 400, 'validation_failed');
    const r = await setStep(lead, s.id, { value: s.options[1].id });
    assert.equal(r.status, 200, r.text);
    assert.equal(step(r.body.map, 'Treatment').value, s.options[1].id);
    assert.equal(stack.sqlValue(`SELECT CAST(value_num AS SIGNED) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), String(s.options[1].id));
    const radio = step(mapA, 'Channel');
    assert.equal((await setStep(lead, radio.id, { value: radio.options[0].id })).status, 200);
    assertEnvelope(assert, await setStep(lead, radio.id, { value: s.options[0].id + 1000 }), 400, 'validation_failed');
  });

  test('checkbox_takes_a_boolean_or_done', async () => {
    const s = step(mapA, 'X-rays taken');
    assertEnvelope(assert, await setStep(lead, s.id, { value: 'yes' }), 400, 'validation_failed');
    let r = await setStep(lead, s.id, { done: true });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([step(r.body.map, 'X-rays taken').value, step(r.body.map, 'X-rays taken').done], [true, true]);
    r = await setStep(lead, s.id, { value: false });
    assert.deepEqual([step(r.body.map, 'X-rays taken').value, step(r.body.map, 'X-rays taken').done], [false, false]);
  });

  test('date_refuses_a_bad_date', async () => {
    const s = step(mapA, 'First visit');
    for (const bad of ['2026-02-30T10:00:00Z', 'tomorrow', 20260301]) {
      const r = await setStep(lead, s.id, { value: bad });
      assertEnvelope(assert, r, 400, 'validation_failed');
      assert.ok(r.body.error.fields.value);
    }
    const r = await setStep(lead, s.id, { value: '2026-03-01T14:30:00Z' });
    assert.equal(r.status, 200, r.text);
    assert.equal(step(r.body.map, 'First visit').value, '2026-03-01T14:30:00Z');
  });

  test('a_date_without_a_zone_is_the_practice_wall_clock', async () => {
    const s = step(mapA, 'First visit');
    stack.sql("UPDATE call_log_settings SET time_zone = 'America/Chicago' WHERE id = 1");
    try {
      let r = await setStep(lead, s.id, { value: '2026-03-01T08:30' });
      assert.equal(r.status, 200, r.text);
      let v = step(r.body.map, 'First visit');
      assert.deepEqual([v.value, v.local, v.time_zone], ['2026-03-01T14:30:00Z', '2026-03-01T08:30', 'America/Chicago']);
      assert.equal(stack.sqlValue(`SELECT value_time FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), '2026-03-01 14:30:00.000000');
      // summer time: the same wall clock is an hour earlier in UTC
      r = await setStep(lead, s.id, { value: '2026-07-01T08:30' });
      v = step(r.body.map, 'First visit');
      assert.deepEqual([v.value, v.local], ['2026-07-01T13:30:00Z', '2026-07-01T08:30']);
      assertEnvelope(assert, await setStep(lead, s.id, { value: '2026-07-01T25:30' }), 400, 'validation_failed');
    } finally {
      stack.sql("UPDATE call_log_settings SET time_zone = 'UTC' WHERE id = 1");
    }
  });

  test('video_is_done_when_shown_or_sent', async () => {
    const s = step(mapA, 'Intro video');
    assertEnvelope(assert, await setStep(lead, s.id, { value: 'watched' }), 400, 'validation_failed');
    const r = await setStep(lead, s.id, { value: 'sent' });
    assert.equal(r.status, 200, r.text);
    const v = step(r.body.map, 'Intro video');
    assert.deepEqual([v.value, v.done, v.video.url], ['sent', true, video.url]);
  });

  test('schedule_places_an_entry_in_the_owner_schedule_and_clearing_cancels_it', async () => {
    const s = step(mapA, 'Book treatment');
    assertEnvelope(assert, await setStep(lead, s.id, { value: { at: 'soon' } }), 400, 'validation_failed');
    assertEnvelope(assert, await setStep(lead, s.id, { value: { at: '2030-01-02T10:00:00Z', kind: 'party' } }), 400, 'validation_failed');
    let r = await setStep(lead, s.id, { value: { at: '2030-01-02T10:00:00Z' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(step(r.body.map, 'Book treatment').value, { at: '2030-01-02T10:00:00Z', kind: 'meeting' });
    assert.deepEqual(stack.sql(`SELECT user_id, kind, starts_at, cancelled_at FROM lead_events WHERE lead_id = ${lead.id} AND step_id = ${s.id}`),
      [[String(agent.user.id), 'meeting', '2030-01-02 10:00:00.000000', null]]);
    r = await setStep(lead, s.id, { value: { at: '2030-01-03T09:00:00Z', kind: 'phone_call' } });
    assert.equal(stack.sqlValue(`SELECT CONCAT(kind, ' ', starts_at) FROM lead_events WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), 'phone_call 2030-01-03 09:00:00.000000');
    const cal = await api('GET', '/api/v1/calendar/events?from=2030-01-03T00:00:00Z&to=2030-01-04T00:00:00Z', agent);
    assert.equal(cal.status, 200, cal.text);
    assert.deepEqual(cal.body.items.filter((e) => e.lead_id === lead.id).map((e) => [e.id, e.kind, e.start, e.title]),
      [[`step-${lead.id}-${s.id}`, 'phone_call', '2030-01-03T09:00:00Z', `Book treatment: ${lead.first_name} ${lead.last_name}`]]);
    r = await setStep(lead, s.id, { value: null });
    assert.equal(step(r.body.map, 'Book treatment').done, false);
    const gone = await api('GET', '/api/v1/calendar/events?from=2030-01-03T00:00:00Z&to=2030-01-04T00:00:00Z', agent);
    assert.ok(!gone.body.items.some((e) => e.lead_id === lead.id), 'a cleared step is off the calendar');
    assert.notEqual(stack.sqlValue(`SELECT cancelled_at FROM lead_events WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), null);
  });

  test('call_is_done_after_n_attempts_or_when_reached', async () => {
    const s = step(mapA, 'Follow-up call');
    assertEnvelope(assert, await setStep(lead, s.id, { value: 1 }), 400, 'validation_failed');
    assertEnvelope(assert, await attempt(lead, s.id, { outcome: 'busy' }), 400, 'validation_failed');
    let r = await attempt(lead, s.id, { outcome: 'no_answer', note: 'rang out' });
    assert.equal(r.status, 201, r.text);
    let c = step(r.body.map, 'Follow-up call');
    assert.deepEqual([c.attempts, c.done, c.reached], [1, false, false]);
    assert.ok(c.next_attempt_due > c.last_attempt_at, 'the next attempt is due after the spacing');
    r = await attempt(lead, s.id, { outcome: 'voicemail' });
    c = step(r.body.map, 'Follow-up call');
    assert.deepEqual([c.attempts, c.done, c.next_attempt_due], [2, true, null]);
    assert.deepEqual(stack.sql(`SELECT outcome, note FROM lead_call_attempts WHERE lead_id = ${lead.id} ORDER BY id`),
      [['no_answer', 'rang out'], ['voicemail', null]]);
    const other = await newLead();
    await onMap(other, mapA);
    r = await attempt(other, s.id, { outcome: 'reached' });
    c = step(r.body.map, 'Follow-up call');
    assert.deepEqual([c.attempts, c.done, c.reached], [1, true, true]);
  });

  test('an_attempt_on_a_step_that_is_not_a_call_is_400', async () => {
    const r = await attempt(lead, step(mapA, 'Treatment').id, { outcome: 'reached' });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.step_id);
  });

  test('a_step_of_another_map_is_404', async () => {
    assertEnvelope(assert, await setStep(lead, step(mapB, 'Shade').id, { value: 1 }), 404, 'not_found');
  });

  test('every_step_change_is_a_touch_history_and_audit', async () => {
    const s = step(mapA, 'Treatment');
    const since = lastHistoryId(lead.id);
    const v0 = Number(stack.sqlValue(`SELECT version FROM leads WHERE id = ${lead.id}`));
    const r = await setStep(lead, s.id, { value: s.options[0].id });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, v0 + 1);
    assert.deepEqual(history(lead.id, since).filter((h) => h[1] === `map.step.${s.id}`),
      [['map.step', `map.step.${s.id}`, String(s.options[1].id), String(s.options[0].id)]]);
    assert.ok(Number(stack.sqlValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'lead.map_step' AND entity_id = ${lead.id}`)) > 0);
    assert.notEqual(stack.sqlValue(`SELECT touched_at FROM leads WHERE id = ${lead.id}`), null);
  });
});

describe('mirror steps', () => {
  test('setting_the_step_writes_the_field_and_editing_the_field_changes_the_step', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    const s = step(mapA, 'Likelihood');
    let since = lastHistoryId(lead.id);
    let r = await setStep(lead, s.id, { value: 70 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.probability, 70);
    assert.deepEqual([step(r.body.map, 'Likelihood').value, step(r.body.map, 'Likelihood').done], [70, true]);
    assert.equal(stack.sqlValue(`SELECT probability FROM leads WHERE id = ${lead.id}`), '70');
    let rows = history(lead.id, since).map((h) => h[1]);
    assert.ok(rows.includes('probability') && rows.includes(`map.step.${s.id}`), rows.join());
    // the field's own rules apply through the step
    r = await setStep(lead, s.id, { value: 140 });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.ok(r.body.error.fields.value);
    // and the other way: a lead edit of the field
    since = lastHistoryId(lead.id);
    const g = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    r = await api('PATCH', `/api/v1/leads/${lead.id}`, agent, { probability: 35 }, { 'If-Match': g.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.equal(step(r.body.map, 'Likelihood').value, 35);
    rows = history(lead.id, since);
    assert.deepEqual(rows.filter((h) => h[1] === `map.step.${s.id}`), [['edited', `map.step.${s.id}`, '70', '35']]);
    assert.ok(rows.some((h) => h[1] === 'probability'));
  });

  test('a_mirror_of_a_custom_field_takes_its_type_and_one_whose_field_was_deleted_is_400', async () => {
    const key = `chair_${process.pid}`;
    const f = await api('POST', '/api/v1/settings/custom-fields', admin, { key, label: 'Chair', type: 'number' });
    assert.equal(f.status, 201, f.text);
    const m = await api('POST', '/api/v1/maps', admin, { name: 'Mirror custom', tracks: [{ name: 'T', steps: [{ name: 'Chair', type: 'mirror', bound_field: `custom.${key}`, required: true }] }] });
    assert.equal(m.status, 201, m.text);
    const lead = await newLead();
    await onMap(lead, m.body);
    const s = m.body.tracks[0].steps[0];
    assertEnvelope(assert, await setStep(lead, s.id, { value: 'three' }), 400, 'validation_failed');
    let r = await setStep(lead, s.id, { value: 3 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.custom[key], 3);
    assert.equal(r.body.map.completed, true, 'its only required step is done');
    stack.sql(`DELETE FROM lead_custom_values WHERE field_id = ${f.body.id}; DELETE FROM custom_fields WHERE id = ${f.body.id}`);
    r = await setStep(lead, s.id, { value: 4 });
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.match(r.body.error.fields.value, /no longer exists/);
    r = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    assert.deepEqual([r.body.map.tracks[0].steps[0].field_missing, r.body.map.tracks[0].steps[0].done], [true, false]);
  });
});

describe('progression', () => {
  test('a_required_step_left_empty_keeps_the_track_open', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    // every optional step of the first track, not the required one
    await setStep(lead, step(mapA, 'Channel').id, { value: step(mapA, 'Channel').options[0].id });
    const r = await setStep(lead, step(mapA, 'Likelihood').id, { value: 50 });
    assert.equal(r.body.map.current_track_id, mapA.tracks[0].id);
    assert.equal(r.body.map.tracks[0].complete, false);
    assert.equal(r.body.map.completed, false);
  });

  test('a_lead_goes_through_every_track_to_the_end_point', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    const since = lastHistoryId(lead.id);
    let r = await setStep(lead, step(mapA, 'Treatment').id, { value: step(mapA, 'Treatment').options[0].id });
    assert.equal(r.body.map.current_track_id, mapA.tracks[1].id, 'Intake done: on to Consult');
    await setStep(lead, step(mapA, 'Intro video').id, { done: true });
    r = await setStep(lead, step(mapA, 'X-rays taken').id, { value: true });
    assert.equal(r.body.map.current_track_id, mapA.tracks[2].id, 'Consult done: on to Close');
    await attempt(lead, step(mapA, 'Follow-up call').id, { outcome: 'reached' });
    r = await setStep(lead, step(mapA, 'Book treatment').id, { value: { at: '2030-05-01T09:00:00Z' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.map.current_track_id, r.body.map.completed], [null, true]);
    assert.ok(r.body.map.completed_at);
    assert.notEqual(stack.sqlValue(`SELECT completed_at FROM lead_maps WHERE lead_id = ${lead.id}`), null);
    const tracks = history(lead.id, since).filter((h) => h[1] === 'map.track').map((h) => [h[2], h[3]]);
    assert.deepEqual(tracks, [['Intake', 'Consult'], ['Consult', 'Close'], ['Close', '(end)']]);
    // undoing a step does not send the lead back
    r = await setStep(lead, step(mapA, 'X-rays taken').id, { value: false });
    assert.equal(r.body.map.completed, true);
  });
});

describe('moving and editing maps', () => {
  test('moving_a_lead_to_another_map_keeps_its_old_values', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    const s = step(mapA, 'Channel');
    await setStep(lead, s.id, { value: s.options[1].id });
    const since = lastHistoryId(lead.id);
    let r = await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: mapB.id }, current(lead));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.map.map_id, mapB.id);
    assert.equal(r.body.map.current_track_id, mapB.tracks[0].id);
    assert.deepEqual(history(lead.id, since).filter((h) => h[1] === 'map'), [['map', 'map', 'Orthodontics', 'Whitening']]);
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), '1');
    r = await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: mapA.id }, current(lead));
    assert.equal(step(r.body.map, 'Channel').value, s.options[1].id, 'back on the map, the value is there');
    r = await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: null }, current(lead));
    assert.equal(r.body.map, null);
    assertEnvelope(assert, await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: 999999 }, current(lead)), 400, 'validation_failed');
  });

  test('editing_a_map_that_leads_are_on_loses_no_value', async () => {
    const created = await api('POST', '/api/v1/maps', admin, {
      name: 'Editable',
      tracks: [{ name: 'T1', steps: [
        { name: 'Pick', type: 'radio', required: true, options: [{ label: 'Red' }, { label: 'Blue' }] },
        { name: 'When', type: 'date' },
      ] }],
    });
    const def = created.body;
    const lead = await newLead();
    await onMap(lead, def);
    const pick = def.tracks[0].steps[0];
    const when = def.tracks[0].steps[1];
    await setStep(lead, pick.id, { value: pick.options[1].id });
    await setStep(lead, when.id, { value: '2026-06-01T08:00:00Z' });
    // the admin renames an option, drops the other and the date step, adds a track
    const body = structuredClone(def);
    body.tracks[0].steps = [{ ...pick, options: [{ id: pick.options[1].id, label: 'Navy' }, { label: 'Green' }] }];
    body.tracks.push({ name: 'T2', steps: [{ name: 'Done?', type: 'checkbox', required: true }] });
    let r = await api('PUT', `/api/v1/maps/${def.id}`, admin, body, { 'If-Match': created.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.tracks[0].steps[0].options.map((o) => o.label), ['Navy', 'Green']);
    assert.equal(r.body.tracks[0].steps[0].options[0].id, pick.options[1].id, 'a renamed option keeps its id');
    r = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    assert.equal(r.body.map.tracks[0].steps[0].value, pick.options[1].id);
    assert.equal(r.body.map.tracks[0].steps.length, 1, 'the dropped step is hidden');
    assert.equal(stack.sqlValue(`SELECT value_time FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${when.id}`), '2026-06-01 08:00:00.000000');
    // bringing the step back brings its value back
    const again = structuredClone(r.body.map);
    const def2 = (await api('GET', `/api/v1/maps/${def.id}`, admin));
    const body2 = structuredClone(def2.body);
    body2.tracks[0].steps.push({ id: when.id, name: 'When', type: 'date' });
    r = await api('PUT', `/api/v1/maps/${def.id}`, admin, body2, { 'If-Match': def2.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    r = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    assert.equal(step(r.body.map, 'When').value, '2026-06-01T08:00:00Z');
    assert.ok(again.tracks.length >= 1);
    // the dropped option is no longer offered, but stays stored
    assertEnvelope(assert, await setStep(lead, pick.id, { value: pick.options[0].id }), 400, 'validation_failed');
  });
});

describe('the funnel', () => {
  test('the_funnel_counts_leads_per_track_and_at_the_end_for_supervisors_and_admins', async () => {
    const m = await api('POST', '/api/v1/maps', admin, { name: 'Funnel', tracks: [
      { name: 'One', steps: [{ name: 'a', type: 'checkbox', required: true }] },
      { name: 'Two', steps: [{ name: 'b', type: 'checkbox', required: true }] },
    ] });
    const [a, b, c] = [await newLead(), await newLead(), await newLead()];
    for (const l of [a, b, c]) await onMap(l, m.body);
    await setStep(b, m.body.tracks[0].steps[0].id, { value: true });
    await setStep(c, m.body.tracks[0].steps[0].id, { value: true });
    await setStep(c, m.body.tracks[1].steps[0].id, { value: true });
    const r = await api('GET', `/api/v1/maps/${m.body.id}/funnel`, admin);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.tracks.map((t) => [t.name, t.leads]), [['One', 1], ['Two', 1]]);
    assert.deepEqual([r.body.completed, r.body.hidden], [1, 0]);
    assert.ok(statements(r) <= 2, `${statements(r)} statements`);
    assertEnvelope(assert, await api('GET', `/api/v1/maps/${m.body.id}/funnel`, agent), 403, 'forbidden');
  });
});

describe('assignment rules', () => {
  const demoMap = (name) => Number(stack.sqlValue(`SELECT MIN(id) FROM maps WHERE name = '${name}'`));

  test('a_new_lead_gets_the_map_its_service_picks', async () => {
    const lead = await newLead(agent, { custom: { service_requested: 'Implants' } });
    assert.equal(lead.map?.map_id, demoMap('Implants'), JSON.stringify(lead.map));
    const rows = stack.sql(`SELECT actor_kind, action, field, after_value, rule FROM lead_history WHERE lead_id = ${lead.id} AND field = 'map'`);
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].slice(0, 4), ['system', 'map', 'map', 'Implants']);
    assert.match(rows[0][4], /^map_rule:\d+$/);
    assert.equal((await newLead(agent, { custom: { service_requested: 'Whitening' } })).map, null, 'no rule, no map');
  });

  test('an_edit_that_sets_the_service_puts_a_lead_on_a_map_but_never_moves_one', async () => {
    const lead = await newLead(agent, { custom: { service_requested: 'Whitening' } });
    let g = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    let r = await api('PATCH', `/api/v1/leads/${lead.id}`, agent, { custom: { service_requested: 'Orthodontics' } }, { 'If-Match': g.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.map?.map_id, demoMap('Orthodontics'));
    r = await api('PATCH', `/api/v1/leads/${lead.id}`, agent, { custom: { service_requested: 'Implants' } }, { 'If-Match': r.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.map.map_id, demoMap('Orthodontics'), 'moving is done by hand');
    g = r;
  });
});

describe('access', () => {
  test('an_agent_cannot_change_the_steps_of_a_hidden_lead', async () => {
    const hidden = await newLead(admin, { owner_id: agent2.user.id });
    await onMap(hidden, mapA, admin);
    const s = step(mapA, 'X-rays taken');
    assertEnvelope(assert, await setStep(hidden, s.id, { value: true }), 404, 'not_found');
    assertEnvelope(assert, await attempt(hidden, step(mapA, 'Follow-up call').id, { outcome: 'reached' }), 404, 'not_found');
    assertEnvelope(assert, await api('PUT', `/api/v1/leads/${hidden.id}/map`, agent, { map_id: mapB.id }), 404, 'not_found');
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM lead_step_values WHERE lead_id = ${hidden.id}`), '0');
  });

  test('a_lead_bank_lead_answers_claim_first', async () => {
    const bank = await newLead(admin, { owner_id: agent2.user.id });
    await onMap(bank, mapA, admin);
    stack.sql(`UPDATE leads SET call_state = 'available', owner_id = NULL WHERE id = ${bank.id}`);
    assertEnvelope(assert, await setStep(bank, step(mapA, 'X-rays taken').id, { value: true }), 403, 'claim_first');
    assertEnvelope(assert, await api('PUT', `/api/v1/leads/${bank.id}/map`, agent, { map_id: mapB.id }, current(bank)), 403, 'claim_first');
  });
});

describe('optimistic step changes', () => {
  test('a_step_change_needs_if_match_and_a_stale_one_is_412', async () => {
    const lead = await newLead();
    await onMap(lead, mapA);
    const s = step(mapA, 'Treatment');
    const path = `/api/v1/leads/${lead.id}/steps/${s.id}`;
    assertEnvelope(assert, await api('PUT', path, agent, { value: s.options[0].id }), 428, 'precondition_required');
    assertEnvelope(assert, await api('PUT', path, agent, { value: s.options[0].id }, { 'If-Match': `"v${lead.version}"` }), 412, 'precondition_failed');
    assertEnvelope(assert, await api('POST', `${path.replace(String(s.id), String(step(mapA, 'Follow-up call').id))}/attempts`, agent, { outcome: 'reached' }, { 'If-Match': '"v1"' }), 412, 'precondition_failed');
    assertEnvelope(assert, await api('PUT', `/api/v1/leads/${lead.id}/map`, agent, { map_id: mapB.id }), 428, 'precondition_required');
    assert.equal(stack.sqlValue(`SELECT COUNT(*) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), '0', 'nothing was written');
  });

  test('two_agents_racing_on_one_step_one_saves_and_the_other_gets_412', async () => {
    const lead = await newLead(agent, { team: [agent2.user.id] });
    await onMap(lead, mapA);
    const s = step(mapA, 'Treatment');
    // both load the lead, then both save the step from what they loaded
    const [a, b] = await Promise.all([api('GET', `/api/v1/leads/${lead.id}`, agent), api('GET', `/api/v1/leads/${lead.id}`, agent2)]);
    assert.equal(a.headers.get('etag'), b.headers.get('etag'));
    const [ra, rb] = await Promise.all([
      api('PUT', `/api/v1/leads/${lead.id}/steps/${s.id}`, agent, { value: s.options[0].id }, { 'If-Match': a.headers.get('etag') }),
      api('PUT', `/api/v1/leads/${lead.id}/steps/${s.id}`, agent2, { value: s.options[1].id }, { 'If-Match': b.headers.get('etag') }),
    ]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 412], `${ra.status} ${rb.status}`);
    const [won, lost, wonValue] = ra.status === 200 ? [ra, rb, s.options[0].id] : [rb, ra, s.options[1].id];
    assertEnvelope(assert, lost, 412, 'precondition_failed');
    assert.equal(step(won.body.map, 'Treatment').value, wonValue);
    assert.equal(stack.sqlValue(`SELECT CAST(value_num AS SIGNED) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), String(wonValue));
    assert.equal(history(lead.id).filter((h) => h[1] === `map.step.${s.id}`).length, 1, 'one change in the history');
    // the loser reloads and saves over it
    const again = await api('GET', `/api/v1/leads/${lead.id}`, agent2);
    const r = await api('PUT', `/api/v1/leads/${lead.id}/steps/${s.id}`, agent2, { value: s.options[1].id }, { 'If-Match': again.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
  });
});

describe('call attempts', () => {
  const due = async (who = agent) => {
    const r = await api('GET', '/api/v1/call-attempts/due', who);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
  };

  /** A lead of the agent's in the Close track of mapA (its call step due at once). */
  async function inClose() {
    const lead = await newLead(agent, { phones: ['+1 312 555 0142'] });
    await onMap(lead, mapA);
    await setStep(lead, step(mapA, 'Treatment').id, { value: step(mapA, 'Treatment').options[0].id });
    await setStep(lead, step(mapA, 'Intro video').id, { value: 'shown' });
    const r = await setStep(lead, step(mapA, 'X-rays taken').id, { done: true });
    assert.equal(r.body.map.current_track_id, mapA.tracks[2].id);
    return r.body;
  }

  test('a_lead_entering_a_track_with_a_call_step_puts_the_call_on_its_owners_due_list', async () => {
    const lead = await inClose();
    const s = step(mapA, 'Follow-up call');
    const mine = (await due()).filter((d) => d.lead_id === lead.id);
    assert.equal(mine.length, 1);
    assert.deepEqual(
      [mine[0].first_name, mine[0].last_name, mine[0].phone, mine[0].map_name, mine[0].step_name, mine[0].attempts, mine[0].attempts_required],
      [lead.first_name, lead.last_name, '+1 312 555 0142', 'Orthodontics', 'Follow-up call', 0, 2]);
    assert.equal(mine[0].step_id, s.id);
    assert.ok(Date.parse(mine[0].due_at) <= Date.now() + 1000);
    assert.ok(!(await due(agent2)).some((d) => d.lead_id === lead.id), 'not on another agent\'s list');
  });

  test('after_an_attempt_the_next_is_due_after_the_spacing_and_a_done_step_leaves_the_list', async () => {
    const lead = await inClose();
    const s = step(mapA, 'Follow-up call');
    let r = await attempt(lead, s.id, { outcome: 'no_answer', note: 'rang out' });
    assert.equal(r.status, 201, r.text);
    assert.ok(!(await due()).some((d) => d.lead_id === lead.id), 'not due until the spacing has passed');
    const at = stack.sqlValue(`SELECT TIMESTAMPDIFF(MINUTE, last_attempt_at, next_due_at) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`);
    assert.equal(at, '60');
    // an hour passes
    stack.sql(`UPDATE lead_step_values SET next_due_at = next_due_at - INTERVAL 61 MINUTE WHERE lead_id = ${lead.id}`);
    const row = (await due()).find((d) => d.lead_id === lead.id);
    assert.deepEqual([row?.attempts, row?.step_name], [1, 'Follow-up call']);
    r = await attempt(lead, s.id, { outcome: 'voicemail' });
    assert.equal(step(r.body.map, 'Follow-up call').done, true);
    assert.ok(!(await due()).some((d) => d.lead_id === lead.id));
    assert.equal(stack.sqlValue(`SELECT next_due_at FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), null);
    assertEnvelope(assert, await attempt(lead, s.id, { outcome: 'reached' }), 409, 'step_complete');
  });

  test('the_due_list_follows_the_owner_and_leaves_with_the_map', async () => {
    const lead = await inClose();
    const g = await api('GET', `/api/v1/leads/${lead.id}`, admin);
    let r = await api('PATCH', `/api/v1/leads/${lead.id}`, admin, { owner_id: agent2.user.id }, { 'If-Match': g.headers.get('etag') });
    assert.equal(r.status, 200, r.text);
    assert.ok(!(await due()).some((d) => d.lead_id === lead.id));
    assert.ok((await due(agent2)).some((d) => d.lead_id === lead.id), 'reassigned with the lead');
    r = await api('PUT', `/api/v1/leads/${lead.id}/map`, admin, { map_id: mapB.id }, current(lead));
    assert.equal(r.status, 200, r.text);
    assert.ok(!(await due(agent2)).some((d) => d.lead_id === lead.id), 'off the map, off the list');
  });

  test('a_lead_back_on_its_map_finds_its_call_due_the_spacing_after_its_last_attempt', async () => {
    const lead = await inClose();
    const s = step(mapA, 'Follow-up call');
    assert.equal((await attempt(lead, s.id, { outcome: 'voicemail' })).status, 201);
    await onMap(lead, mapB);
    assert.equal(stack.sqlValue(`SELECT next_due_at FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), null);
    const back = await onMap(lead, mapA);
    assert.equal(back.map.current_track_id, mapA.tracks[2].id, 'its kept values carry it to Close again');
    assert.equal(stack.sqlValue(`SELECT TIMESTAMPDIFF(MINUTE, last_attempt_at, next_due_at) FROM lead_step_values WHERE lead_id = ${lead.id} AND step_id = ${s.id}`), '60');
    assert.equal(step(back.map, 'Follow-up call').attempts, 1, 'the attempt was kept');
    assert.ok(!(await due()).some((d) => d.lead_id === lead.id), 'not due before the spacing has passed');
  });

  test('the_due_list_reads_one_index_range', async () => {
    const r = await api('GET', '/api/v1/call-attempts/due?limit=5', agent);
    assert.equal(r.status, 200);
    assert.ok(statements(r) <= 2, `${statements(r)} statements`);
    const plan = stack.sql(`EXPLAIN SELECT v.lead_id FROM lead_step_values v FORCE INDEX (ix_lead_step_values_due) JOIN leads l ON l.id = v.lead_id WHERE v.due_user_id = ${agent.user.id} AND v.next_due_at <= UTC_TIMESTAMP(6) AND l.owner_id = ${agent.user.id} ORDER BY v.next_due_at LIMIT 5`);
    assert.ok(plan.some((p) => p.includes('ix_lead_step_values_due')), JSON.stringify(plan));
    assertEnvelope(assert, await api('GET', '/api/v1/call-attempts/due?limit=0', agent), 400, 'validation_failed');
  });

  test('the_lead_read_lists_each_attempt_of_a_call_step_in_the_same_three_statements', async () => {
    const lead = await inClose();
    const s = step(mapA, 'Follow-up call');
    await attempt(lead, s.id, { outcome: 'no_answer', note: 'rang out' });
    await api('GET', `/api/v1/leads/${lead.id}`, agent);
    const r = await api('GET', `/api/v1/leads/${lead.id}`, agent);
    assert.equal(statements(r), 3);
    const log = step(r.body.map, 'Follow-up call').attempt_log;
    assert.equal(log.length, 1);
    assert.deepEqual([log[0].outcome, log[0].note, log[0].by_id], ['no_answer', 'rang out', agent.user.id]);
    assert.ok(log[0].by_name && Date.parse(log[0].at) > 0, JSON.stringify(log[0]));
  });
});
