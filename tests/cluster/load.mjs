// The write load of `make test-cluster` (scripts/test-cluster.sh).
//
//   node load.mjs setup          > setup.json   logins, a one-step map, the
//                                               Lead Bank leads to race for
//   node load.mjs run setup.json                LM_SECONDS of writes through
//                                               nginx; the ledger to LM_OUT
//
// Environment: LM_BASE (http://127.0.0.1:port), LM_SECONDS, LM_CONC
// (concurrent clients), LM_OUT (ledger file).
//
// Every write carries a value unique to this run, so the checker can count
// it on each database node: creates (last_name), notes (body), edits
// (first_name, sent with If-Match), map steps (one checkbox per lead), and
// claims (three agents race for each Lead Bank lead). The ledger records
// every request's outcome: a 2xx is an acknowledged write that must be
// there exactly once; anything else may or may not have been applied but
// must never be there twice.
import { readFileSync, writeFileSync } from 'node:fs';

const BASE = process.env.LM_BASE;
const SECONDS = Number(process.env.LM_SECONDS || 60);
const CONC = Number(process.env.LM_CONC || 6);
const RUN = Date.now().toString(36);
const BANK = 60; // Lead Bank leads raced for

async function call(method, path, { token, json, headers = {}, timeoutMs = 15_000 } = {}) {
  const h = { 'x-requested-with': 'XMLHttpRequest', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (json !== undefined) h['content-type'] = 'application/json';
  const t = Date.now();
  try {
    const res = await fetch(BASE + path, {
      method,
      headers: h,
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: res.status, body, etag: res.headers.get('etag'), t, ms: Date.now() - t };
  } catch (e) {
    return { status: 0, body: null, error: e.name === 'TimeoutError' ? 'timeout' : 'network', t, ms: Date.now() - t };
  }
}

async function must(r, what, status = 200) {
  const got = await r;
  if (got.status !== status) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body)}`);
  return got.body;
}

async function login(email) {
  const b = await must(call('POST', '/api/v1/auth/login', { json: { email, password: 'demo1234' } }), `login ${email}`);
  return { token: b.access_token, id: b.user.id, email };
}

async function setup() {
  const admin = await login('admin@example.com');
  const agents = [await login('agent@example.com'), await login('agent2@example.com'), await login('supervisor@example.com')];
  const map = await must(
    call('POST', '/api/v1/maps', {
      token: admin.token,
      json: { name: `Cluster ${RUN}`, tracks: [{ name: 'Only', steps: [{ name: 'Reached', type: 'checkbox' }] }] },
    }),
    'create the map',
    201,
  );
  const statuses = await must(call('GET', '/api/v1/settings/statuses', { token: agents[0].token }), 'statuses');
  const statusId = statuses.items.find((s) => s.name === 'New').id;
  // Lead Bank leads: agent's leads with a follow-up two minutes ahead; the
  // script then runs `worker --once --now T` for each T of bank_now.
  const followUp = Math.ceil((Date.now() + 120_000) / 1000) * 1000;
  const bank = [];
  for (let i = 0; i < BANK; i++) {
    const lead = await must(
      call('POST', '/api/v1/leads', { token: agents[0].token, json: { first_name: 'Bank', last_name: `B${RUN}-${i}`, emails: [`b${RUN}-${i}@example.org`], status_id: statusId } }),
      'bank lead',
      201,
    );
    await must(call('PUT', `/api/v1/leads/${lead.id}/follow-up`, { token: agents[0].token, json: { follow_up_at: new Date(followUp).toISOString() } }), 'follow-up');
    bank.push(lead.id);
  }
  const out = {
    run: RUN,
    admin,
    agents,
    map_id: map.id,
    step_id: map.tracks[0].steps[0].id,
    status_id: statusId,
    bank,
    // abandoned three days after the follow-up, available (no owner) at eight
    bank_now: [3, 8].map((d) => new Date(followUp + d * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
  };
  process.stdout.write(JSON.stringify(out));
}

async function run(setupFile) {
  const s = JSON.parse(readFileSync(setupFile, 'utf8'));
  const agents = s.agents;
  const ledger = { run: s.run, creates: [], edits: [], notes: [], steps: [], claims: [], requests: [] };
  const mine = agents.map(() => []); // leads each agent created and may edit: {id, etag, version, onMap, stepDone}
  let seq = 0;
  let bankNext = 0;
  const end = Date.now() + SECONDS * 1000;

  const note = (kind, r) => ledger.requests.push({ kind, status: r.status, error: r.error || r.body?.error?.code || null, t: r.t, ms: r.ms });

  async function create(ai) {
    const a = agents[ai];
    const tag = `L${s.run}-${++seq}`;
    const r = await call('POST', '/api/v1/leads', { token: a.token, json: { first_name: 'Load', last_name: tag, emails: [`${tag.toLowerCase()}@example.org`], status_id: s.status_id } });
    note('create', r);
    ledger.creates.push({ tag, status: r.status, id: r.body?.id ?? null });
    if (r.status === 201) mine[ai].push({ id: r.body.id, version: r.body.version, etag: r.etag, edits: 0, onMap: false, stepDone: false });
  }

  async function edit(ai) {
    const list = mine[ai];
    if (!list.length) return create(ai);
    const lead = list[Math.floor(Math.random() * list.length)];
    if (lead.busy) return create(ai);
    lead.busy = true;
    const value = `E${s.run}-${lead.id}-${++lead.edits}`;
    const r = await call('PATCH', `/api/v1/leads/${lead.id}`, { token: agents[ai].token, json: { first_name: value }, headers: { 'if-match': lead.etag } });
    note('edit', r);
    ledger.edits.push({ id: lead.id, value, status: r.status, version: r.body?.version ?? null, sent_etag: lead.etag });
    if (r.status === 200) {
      lead.etag = r.etag;
      lead.version = r.body.version;
    } else {
      // fetch the current state before the next edit (the write may have landed)
      const g = await call('GET', `/api/v1/leads/${lead.id}`, { token: agents[ai].token });
      if (g.status === 200) {
        lead.etag = g.etag;
        lead.version = g.body.version;
      }
    }
    lead.busy = false;
  }

  async function addNote(ai) {
    const list = mine[ai];
    if (!list.length) return create(ai);
    const lead = list[Math.floor(Math.random() * list.length)];
    const body = `N${s.run}-${++seq}`;
    const r = await call('POST', `/api/v1/leads/${lead.id}/notes`, { token: agents[ai].token, json: { body } });
    note('note', r);
    ledger.notes.push({ id: lead.id, body, status: r.status });
  }

  async function step(ai) {
    const lead = mine[ai].find((l) => !l.stepDone && !l.busy);
    if (!lead) return create(ai);
    lead.busy = true;
    if (!lead.onMap) {
      const r = await call('PUT', `/api/v1/leads/${lead.id}/map`, { token: agents[ai].token, json: { map_id: s.map_id } });
      note('map', r);
      lead.onMap = r.status === 200;
      if (r.status !== 200) {
        const g = await call('GET', `/api/v1/leads/${lead.id}`, { token: agents[ai].token });
        lead.onMap = g.status === 200 && g.body?.map?.map_id === s.map_id;
      }
    }
    if (lead.onMap) {
      const r = await call('PUT', `/api/v1/leads/${lead.id}/steps/${s.step_id}`, { token: agents[ai].token, json: { done: true } });
      note('step', r);
      ledger.steps.push({ id: lead.id, status: r.status });
      if (r.status === 200) lead.stepDone = true;
    }
    // the map and the step bump the lead's version: refresh the etag
    const g = await call('GET', `/api/v1/leads/${lead.id}`, { token: agents[ai].token });
    if (g.status === 200) {
      lead.etag = g.etag;
      lead.version = g.body.version;
    }
    lead.busy = false;
  }

  // Three agents claim the same Lead Bank lead at the same moment.
  async function claimRace() {
    if (bankNext >= s.bank.length) return create(0);
    const id = s.bank[bankNext++];
    const at = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const rs = await Promise.all(agents.map((a) => call('POST', `/api/v1/leads/${id}/actions/claim`, { token: a.token, json: { follow_up_at: at } })));
    rs.forEach((r, i) => {
      note('claim', r);
      ledger.claims.push({ id, agent: agents[i].id, status: r.status, code: r.body?.error?.code ?? null });
    });
  }

  const ops = [
    [30, create],
    [25, edit],
    [20, addNote],
    [13, step],
    [12, claimRace],
  ];
  const total = ops.reduce((n, [w]) => n + w, 0);
  async function client(ai) {
    while (Date.now() < end) {
      let x = Math.random() * total;
      const op = ops.find(([w]) => (x -= w) < 0)[1];
      await op(ai);
    }
  }
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONC }, (_, i) => client(i % agents.length)));
  ledger.t0 = t0;
  ledger.t1 = Date.now();
  writeFileSync(process.env.LM_OUT, JSON.stringify(ledger));

  // the summary
  const req = ledger.requests;
  const ok = req.filter((r) => r.status >= 200 && r.status < 300);
  const byKind = {};
  for (const r of req) {
    if (r.status >= 200 && r.status < 300) continue;
    if (r.status === 409 && r.error === 'not_in_lead_bank') continue; // a lost claim race: expected
    const k = `${r.kind} ${r.status || r.error}${r.status && r.error ? ` ${r.error}` : ''}`;
    byKind[k] = (byKind[k] || 0) + 1;
  }
  const lostRaces = req.filter((r) => r.status === 409 && r.error === 'not_in_lead_bank').length;
  // Downtime seen by clients: 100 ms slices in which requests failed and none succeeded.
  const slices = new Map();
  for (const r of req) {
    const k = Math.floor((r.t + r.ms - t0) / 100);
    const v = slices.get(k) || { ok: 0, bad: 0 };
    if ((r.status >= 200 && r.status < 300) || (r.status === 409 && r.error === 'not_in_lead_bank')) v.ok++;
    else v.bad++;
    slices.set(k, v);
  }
  let down = 0;
  for (const v of slices.values()) if (v.bad && !v.ok) down++;
  let gap = 0;
  const okEnds = ok.map((r) => r.t + r.ms).sort((a, b) => a - b);
  for (let i = 1; i < okEnds.length; i++) gap = Math.max(gap, okEnds[i] - okEnds[i - 1]);
  const lat = ok.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? 0;
  const lines = [
    `requests: ${req.length} in ${((ledger.t1 - t0) / 1000).toFixed(1)} s (${(req.length / ((ledger.t1 - t0) / 1000)).toFixed(0)}/s), ${CONC} clients`,
    `2xx: ${ok.length}; claim races lost with 409 not_in_lead_bank (expected): ${lostRaces}`,
    `failures by kind: ${Object.keys(byKind).length ? Object.entries(byKind).map(([k, n]) => `${k}: ${n}`).join(', ') : 'none'}`,
    `downtime seen by clients: ${(down / 10).toFixed(1)} s of 100 ms slices with only failures; longest gap between two 2xx: ${gap} ms`,
    `2xx latency: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lat[lat.length - 1] ?? 0} ms`,
  ];
  for (const l of lines) process.stdout.write(`cluster: ${l}\n`);
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'setup') await setup();
else if (mode === 'run') await run(arg);
else {
  process.stderr.write('usage: load.mjs setup | run SETUP.json\n');
  process.exit(2);
}
