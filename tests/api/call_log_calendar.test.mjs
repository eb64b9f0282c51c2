// The call-log calendar: GET /api/v1/calendar/events (the app's calendar)
// lists the agent's scheduled follow-ups; POST /api/v1/calendar/feed/reset
// makes a secret iCalendar URL, shown that once, that answers without a login
// (what Google, Outlook or Apple calendars subscribe to) and retires the old
// one; GET /api/v1/calendar/feed only says whether one exists. The database
// keeps the SHA-256 of the token and no log line holds the token. The feed is read with ical.js the way a calendar client reads it:
// every property of every event is parsed (a bad value only throws when read).
//
// The stack's background worker is stopped (it runs on the real clock).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { alive, assertEnvelope, startStack, waitFor } from '../lib/stack.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let stack;
let admin;
let agent;
let agent2;
let phoneSeq = 0;

before(async () => {
  stack = await startStack();
  const pid = stack.pid('run/worker.pid');
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: 'the background worker to stop' });
  admin = await stack.login('admin@example.com');
  agent = await stack.login('agent@example.com');
  agent2 = await stack.login('agent2@example.com');
  for (const s of [admin, agent, agent2]) assert.equal(s.status, 200, JSON.stringify(s.body));
});
after(async () => {
  await stack?.stop();
});

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const futureSec = (ahead) => Math.ceil((Date.now() + ahead) / 1000) * 1000;
/** 20261125T163506Z, the iCalendar UTC form. */
const icalUtc = (ms) => iso(ms).replace(/[-:]/g, '');

async function scheduledLead(first, last, F, token = agent.token) {
  phoneSeq += 1;
  const phone = `+1 555 700 ${String(phoneSeq).padStart(4, '0')}`;
  const c = await stack.api('POST', '/api/v1/leads', { token, json: { first_name: first, last_name: last, phones: [phone] } });
  assert.equal(c.status, 201, c.text);
  const r = await stack.api('PUT', `/api/v1/leads/${c.body.id}/follow-up`, { token, json: { follow_up_at: iso(F) } });
  assert.equal(r.status, 200, r.text);
  return { id: c.body.id, phone };
}

const feeds = new Map(); // access token → the feed path made for that user in this file

/** A new feed path for the user (POST …/feed/reset); the only answer that holds it. */
async function newFeedPath(token = agent.token) {
  const r = await stack.api('POST', '/api/v1/calendar/feed/reset', { token });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.path, /^\/api\/v1\/calendar\/[A-Za-z0-9_-]{32,}\.ics$/);
  assert.equal(r.body.active, true);
  feeds.set(token, r.body.path);
  return r.body.path;
}

/** The user's feed path: the one made earlier in this file, or a new one. */
async function feedPath(token = agent.token) {
  return feeds.get(token) ?? newFeedPath(token);
}

const tokenOf = (path) => path.slice('/api/v1/calendar/'.length, -'.ics'.length);
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Fetches a feed with no credentials at all, as a calendar client does. */
async function fetchFeed(path) {
  const res = await fetch(stack.url + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/**
 * Parses a feed and reads every property of every event. Returns the
 * calendar component and the events as {uid, summary, description,
 * dtstart, dtend, dtstamp, raw}, with times as ICAL.Time.
 */
function readFeed(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  assert.ok(cal.getFirstPropertyValue('prodid'), 'PRODID');
  return cal.getAllSubcomponents('vevent').map((ev) => {
    const props = {};
    for (const p of ev.getAllProperties()) {
      let value;
      try {
        value = p.getFirstValue();
      } catch (e) {
        throw new Error(`VEVENT ${ev.getFirstPropertyValue('uid')}: ${p.name} does not parse: ${e.message}`);
      }
      assert.ok(!(p.name in props), `${p.name} once per event`);
      props[p.name] = value;
    }
    const raw = Object.fromEntries(ev.getAllProperties().map((p) => [p.name, p.toICALString()]));
    for (const name of ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary']) assert.ok(props[name] !== undefined, `${name} in every event: ${JSON.stringify(raw)}`);
    for (const name of ['dtstamp', 'dtstart', 'dtend']) {
      assert.ok(props[name] instanceof ICAL.Time, `${name} is a date-time`);
      assert.equal(props[name].zone?.tzid, 'UTC', `${name} is a UTC time: ${raw[name]}`);
      assert.match(raw[name], /^[A-Z]+:\d{8}T\d{6}Z$/, `${name} written as a UTC date-time`);
    }
    assert.ok(props.dtend.compare(props.dtstart) > 0, 'DTEND after DTSTART');
    return { ...props, raw };
  });
}

const eventOf = (events, id) => events.filter((e) => new RegExp(`^follow-up-${id}(@|$)`).test(e.uid));

test('calendar_events_list_the_scheduled_follow_up_for_its_owner_only', async () => {
  const F = futureSec(DAY + 7 * MIN);
  const { id, phone } = await scheduledLead('Cal', 'Endar', F);
  const window = (from, to, token = agent.token) => stack.api('GET', `/api/v1/calendar/events?from=${iso(from)}&to=${iso(to)}`, { token });

  const r = await window(F - HOUR, F + HOUR);
  assert.equal(r.status, 200, r.text);
  const mine = r.body.items.filter((e) => e.lead_id === id);
  assert.equal(mine.length, 1, r.text);
  assert.deepEqual(mine[0], {
    id: `follow-up-${id}`, lead_id: id, title: 'Call Cal Endar', start: iso(F), end: iso(F + 15 * MIN),
    kind: 'follow_up', call_state: 'scheduled', phone,
  });
  assert.ok(r.body.items.every((e) => e.start >= iso(F - HOUR) && e.start < iso(F + HOUR)), 'only events in the window');

  const outside = await window(F + MIN, F + HOUR);
  assert.ok(!outside.body.items.some((e) => e.lead_id === id), 'not listed outside the window');
  const other = await window(F - HOUR, F + HOUR, agent2.token);
  assert.equal(other.status, 200, other.text);
  assert.ok(!other.body.items.some((e) => e.lead_id === id), "not on another agent's calendar");

  for (const [q, field] of [
    [`from=yesterday&to=${iso(F)}`, 'from'],
    [`from=${iso(F)}&to=soon`, 'to'],
    [`from=${iso(F)}&to=${iso(F - HOUR)}`, 'to'],
    [`from=${iso(F)}&to=${iso(F + 401 * DAY)}`, 'to'],
  ]) {
    const bad = await stack.api('GET', `/api/v1/calendar/events?${q}`, { token: agent.token });
    assertEnvelope(assert, bad, 400, 'validation_failed');
    assert.equal(typeof bad.body.error.fields?.[field], 'string', `${q} → fields.${field}: ${bad.text}`);
  }
  assertEnvelope(assert, await stack.api('GET', `/api/v1/calendar/events?from=${iso(F - HOUR)}&to=${iso(F + HOUR)}`), 401);
});

test('the_feed_url_answers_without_auth_with_an_icalendar_that_ical_js_reads', async () => {
  const F = futureSec(2 * DAY + 11 * MIN);
  const { id, phone } = await scheduledLead('Feed', 'Reader', F);
  const none = await stack.api('GET', '/api/v1/calendar/feed', { token: agent.token });
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.body, { active: false }, 'a demo agent has no feed yet');
  const path = await feedPath();
  const state = await stack.api('GET', '/api/v1/calendar/feed', { token: agent.token });
  assert.deepEqual(state.body, { active: true }, 'GET says a feed exists and never gives its address again');
  assert.equal(stack.sqlValue(`SELECT calendar_token_hash FROM users WHERE id = ${agent.user.id}`), sha256(tokenOf(path)), 'only the hash is stored');
  assertEnvelope(assert, await stack.api('GET', '/api/v1/calendar/feed'), 401);

  const feed = await fetchFeed(path);
  assert.equal(feed.status, 200, feed.text);
  assert.match(feed.type, /^text\/calendar/);
  const events = readFeed(feed.text);
  const uids = events.map((e) => e.uid);
  assert.equal(new Set(uids).size, uids.length, `UIDs are unique: ${uids}`);
  const [ev, ...dup] = eventOf(events, id);
  assert.ok(ev, `the follow-up of lead ${id} is in the feed: ${uids}`);
  assert.equal(dup.length, 0);
  assert.equal(ev.summary, 'Call Feed Reader');
  assert.equal(ev.description, phone);
  assert.equal(ev.dtstart.toJSDate().getTime(), F, 'DTSTART is the follow-up time');
  assert.equal(ev.raw.dtstart, `DTSTART:${icalUtc(F)}`);
  assert.equal(ev.dtend.toJSDate().getTime(), F + 15 * MIN);

  // Every event in the feed is one of the agent's follow-ups at its time, or
  // an entry a lead-map schedule step placed in the agent's schedule.
  const own = stack.sql(`SELECT id, DATE_FORMAT(follow_up_at, '%Y%m%dT%H%i%sZ') FROM leads WHERE owner_id = ${agent.user.id} AND follow_up_at IS NOT NULL AND archived_at IS NULL`);
  const due = new Map(own.map(([lid, at]) => [Number(lid), at]));
  const entries = stack.sql(`SELECT CONCAT('step-', e.lead_id, '-', e.step_id), DATE_FORMAT(e.starts_at, '%Y%m%dT%H%i%sZ') FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE e.user_id = ${agent.user.id} AND e.cancelled_at IS NULL AND l.archived_at IS NULL`);
  const placed = new Map(entries);
  for (const e of events) {
    const step = /^(step-\d+-\d+)@/.exec(e.uid)?.[1];
    if (step) {
      assert.equal(e.raw.dtstart, `DTSTART:${placed.get(step)}`, `${e.uid} is a schedule step's entry at its time`);
      continue;
    }
    const lid = Number(/^follow-up-(\d+)/.exec(e.uid)?.[1]);
    assert.ok(due.has(lid), `${e.uid} is a follow-up of one of the agent's leads`);
    assert.equal(e.raw.dtstart, `DTSTART:${due.get(lid)}`, `${e.uid} at its follow-up time`);
  }

  const other = await fetchFeed(await feedPath(agent2.token));
  assert.equal(other.status, 200);
  assert.equal(eventOf(readFeed(other.text), id).length, 0, "not in another agent's feed");
});

test('the_feed_is_well_formed_icalendar_text_even_for_awkward_names', async () => {
  // Commas, semicolons and backslashes must be escaped; a long line must be
  // folded at 75 octets without cutting a UTF-8 character in two.
  const first = 'Zoë, Jr.; Ångström';
  const last = 'O\\Brien-Müller-Łukasiewicz-Ñúñez-Øvergård-Þórsdóttir-Ærø';
  const F = futureSec(3 * DAY);
  const { id } = await scheduledLead(first, last, F);
  const feed = await fetchFeed(await feedPath());
  assert.equal(feed.status, 200);
  assert.ok(!feed.text.includes('\uFFFD'), 'no broken UTF-8 sequence');
  assert.ok(feed.text.endsWith('\r\n'), 'ends with CRLF');
  const lines = feed.text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), `bare line break in ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line longer than 75 octets: ${JSON.stringify(line)}`);
  }
  const [ev] = eventOf(readFeed(feed.text), id);
  assert.ok(ev, 'the event is there');
  assert.equal(ev.summary, `Call ${first} ${last}`);
  assert.equal(ev.dtstart.toJSDate().getTime(), F);
});

test('cleared_and_archived_follow_ups_leave_the_feed', async () => {
  const F = futureSec(4 * DAY);
  const cleared = await scheduledLead('Gone', 'Cleared', F);
  const archived = await scheduledLead('Gone', 'Archived', F + HOUR);
  const path = await feedPath();
  let events = readFeed((await fetchFeed(path)).text);
  assert.equal(eventOf(events, cleared.id).length, 1);
  assert.equal(eventOf(events, archived.id).length, 1);
  const c = await stack.api('PUT', `/api/v1/leads/${cleared.id}/follow-up`, { token: agent.token, json: { follow_up_at: null } });
  assert.equal(c.status, 200, c.text);
  const a = await stack.api('POST', `/api/v1/leads/${archived.id}/actions/archive`, { token: agent.token, json: { reason: 'Asked not to be contacted' } });
  assert.equal(a.status, 200, a.text);
  events = readFeed((await fetchFeed(path)).text);
  assert.equal(eventOf(events, cleared.id).length, 0, 'a cleared follow-up is off the feed');
  assert.equal(eventOf(events, archived.id).length, 0, 'an archived lead is off the feed');
});

test('resetting_the_feed_retires_the_old_url', async () => {
  const F = futureSec(5 * DAY);
  const { id } = await scheduledLead('Reset', 'Feed', F);
  const old = await feedPath();
  assert.equal((await fetchFeed(old)).status, 200);
  const fresh = await newFeedPath();
  assert.notEqual(fresh, old);
  assert.equal(stack.sqlValue(`SELECT calendar_token_hash FROM users WHERE id = ${agent.user.id}`), sha256(tokenOf(fresh)));

  const gone = await fetchFeed(old);
  assert.equal(gone.status, 404, `the old URL is dead: ${gone.status} ${gone.text.slice(0, 200)}`);
  assert.doesNotMatch(gone.text, /BEGIN:VCALENDAR/);
  const now = await fetchFeed(fresh);
  assert.equal(now.status, 200);
  const [ev] = eventOf(readFeed(now.text), id);
  assert.equal(ev?.dtstart.toJSDate().getTime(), F, 'the new URL serves the calendar');
  assertEnvelope(assert, await stack.api('POST', '/api/v1/calendar/feed/reset'), 401);
});

test('unknown_tokens_and_deactivated_users_get_404', async () => {
  for (const p of ['/api/v1/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', '/api/v1/calendar/x.ics', '/api/v1/calendar/.ics']) {
    const r = await fetchFeed(p);
    assert.equal(r.status, 404, `${p}: ${r.status}`);
  }
  const u = await stack.api('POST', '/api/v1/settings/users', {
    token: admin.token,
    json: { email: 'feed-leaver@example.com', name: 'Feed Leaver', role: 'agent', password: 'correct-horse-1' },
  });
  assert.equal(u.status, 201, u.text);
  const leaver = await stack.login('feed-leaver@example.com', 'correct-horse-1');
  await scheduledLead('Leaver', 'Lead', futureSec(DAY), leaver.token);
  const path = await feedPath(leaver.token);
  assert.equal((await fetchFeed(path)).status, 200);
  const off = await stack.api('PATCH', `/api/v1/settings/users/${u.body.id}`, { token: admin.token, json: { active: false } });
  assert.equal(off.status, 200, off.text);
  const r = await fetchFeed(path);
  assert.equal(r.status, 404, "a deactivated user's feed stops answering");
});

test('the_database_holds_no_feed_token_only_its_hash', async () => {
  const path = await newFeedPath(agent2.token);
  const token = tokenOf(path);
  assert.equal((await fetchFeed(path)).status, 200);
  const columns = stack.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = 'leadmap' AND table_name = 'users' AND column_name LIKE 'calendar%'").map((r) => r[0]);
  assert.deepEqual(columns, ['calendar_token_hash']);
  const dump = execFileSync('mariadb-dump', [`--defaults-file=${join(stack.var, 'my.cnf')}`, '--skip-extended-insert', 'leadmap'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(dump.includes(sha256(token)), 'the dump holds the hash');
  assert.ok(!dump.includes(token), 'no table holds the token');
});

test('the_feed_token_is_in_no_log_line', async () => {
  const path = await newFeedPath();
  const token = tokenOf(path);
  assert.equal((await fetchFeed(path)).status, 200);
  assert.equal((await fetchFeed(`${path}?x=1`)).status, 200);
  await fetchFeed(path.replace('/calendar/', '//calendar/')); // whatever it answers, it is logged
  assert.equal((await fetchFeed('/api/v1/calendar/not-a-real-token.ics')).status, 404);
  await waitFor(() => stack.log('nginx-access.log').includes('not-a-real-token') === false && (stack.log('nginx-access.log').match(/calendar\/\[redacted\]/g) ?? []).length >= 4, { timeoutMs: 5000, what: 'the feed requests in nginx-access.log' });
  await waitFor(() => (stack.log('leadmap.log').match(/access GET \S*calendar\/\[redacted\] (200|404)/g) ?? []).length >= 4, { timeoutMs: 5000, what: "the feed requests in leadmap's access lines" });
  for (const f of ['nginx-access.log', 'nginx-error.log', 'leadmap.log', 'worker.log']) {
    assert.ok(!stack.log(f).includes(token), `${f} does not contain the token`);
  }
  // the app's own calendar routes stay readable in the logs
  assert.match(stack.log('nginx-access.log'), /"POST \/api\/v1\/calendar\/feed\/reset HTTP/);
  assert.match(stack.log('leadmap.log'), /access POST \/api\/v1\/calendar\/feed\/reset 200/);
});
