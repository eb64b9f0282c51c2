// What the demo data looks like through the API, as one JSON document: every
// demo lead's record, the lead list, each lead's notes and history, and the
// agents' call-log tabs. Instants and durations that depend on when the
// demo data was loaded are replaced by placeholders, so the document is the
// same for every fresh stack. lead_shape.test.mjs compares it with the copy
// taken before the lead core was redesigned (fixtures/demo-shapes.json).
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const DURATIONS = new Set(['time_to_completion', 'time_overdue']);
/** A date step's time on the practice's clock ("local", no zone). */
const LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d$/;

export function normalise(value, key = '') {
  if (Array.isArray(value)) return value.map((v) => normalise(v));
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value)) out[k] = normalise(value[k], k);
    return out;
  }
  if (typeof value === 'string' && ISO.test(value)) return '<instant>';
  if (key === 'local' && typeof value === 'string' && LOCAL.test(value)) return '<local>';
  if (DURATIONS.has(key) && typeof value === 'number') return '<seconds>';
  return value;
}

async function login(stack, email) {
  for (let i = 0; ; i++) {
    const l = await stack.login(email);
    if (l.status === 429 && i < 40) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    if (l.status !== 200) throw new Error(`login ${email}: ${l.status}`);
    return l.body.access_token;
  }
}

export async function captureShapes(stack) {
  const admin = await login(stack, 'admin@example.com');
  const agent = await login(stack, 'agent@example.com');
  const get = async (path, token) => {
    const r = await stack.api('GET', path, { token });
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const ids = stack.sql('SELECT id FROM leads ORDER BY id').map((r) => Number(r[0]));
  const out = { leads: {}, notes: {}, history: {}, list: [], agent_list: [], call_log: {} };
  for (const id of ids) {
    out.leads[id] = await get(`/api/v1/leads/${id}`, admin);
    out.notes[id] = await get(`/api/v1/leads/${id}/notes`, admin);
    out.history[id] = await get(`/api/v1/leads/${id}/history?limit=200`, admin);
  }
  for (let after = null; ; ) {
    const page = await get(`/api/v1/leads?limit=200${after ? `&after=${after}` : ''}`, admin);
    out.list.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  out.agent_list = (await get('/api/v1/leads?limit=200', agent)).items;
  for (const tab of ['to_be_scheduled', 'schedule', 'lead_bank']) {
    out.call_log[tab] = await get(`/api/v1/call-log?tab=${tab}&limit=200`, agent);
  }
  return normalise(out);
}
