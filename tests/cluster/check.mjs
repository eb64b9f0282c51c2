// The checker of `make test-cluster`: reads the load's ledger and asks every
// database node (through the mariadb client and the node's option file)
// whether what the clients were told matches what the nodes hold.
//
//   node check.mjs setup.json ledger.json node1.cnf node2.cnf …
//
// On every node:
//   - each create, note, step and claim that got a 2xx is there exactly once;
//     no write of this run is there twice, acknowledged or not;
//   - each acknowledged edit's value is in the lead's history exactly once,
//     the versions the clients were given for one lead are all different,
//     and the lead's version is at least the last one given; a lead whose
//     version is the last one given holds that edit's value;
//   - the Lead Bank leads' aging (four `worker --once` per "now" at the same
//     time on two nodes) wrote each transition once;
//   - each Lead Bank lead was claimed at most once (one 'claim' history row
//     for owner_id), by the agent whose claim got the 200 when one did;
//   - the leads (id, version, first_name, owner, call state), their history
//     and notes are the same on every node (the checker query's digest).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [setupFile, ledgerFile, ...cnfs] = process.argv.slice(2);
const s = JSON.parse(readFileSync(setupFile, 'utf8'));
const L = JSON.parse(readFileSync(ledgerFile, 'utf8'));
const run = L.run;
const is2xx = (st) => st >= 200 && st < 300;
let failures = 0;
const fail = (node, msg) => {
  failures++;
  if (failures <= 30) process.stdout.write(`cluster: node ${node}: ${msg}\n`);
};

function sql(cnf, q) {
  const out = execFileSync('mariadb', [`--defaults-file=${cnf}`, '-N', '-B', 'leadmap', '-e', `SET SESSION wsrep_sync_wait = 1; ${q}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return out
    .split('\n')
    .filter((l) => l.length)
    .map((l) => l.split('\t'));
}

const digests = [];
cnfs.forEach((cnf, i) => {
  const node = i + 1;
  // creates
  const created = new Map(sql(cnf, `SELECT last_name, COUNT(*), MIN(id) FROM leads WHERE last_name LIKE 'L${run}-%' GROUP BY last_name`).map(([t, n, id]) => [t, { n: Number(n), id: Number(id) }]));
  for (const c of L.creates) {
    const row = created.get(c.tag);
    if (is2xx(c.status) && (!row || row.n !== 1 || row.id !== c.id)) fail(node, `acknowledged create ${c.tag} (id ${c.id}) found ${row ? `${row.n} times` : 'missing'}`);
  }
  for (const [tag, row] of created) if (row.n > 1) fail(node, `create ${tag} applied ${row.n} times`);
  // notes
  const notes = new Map(sql(cnf, `SELECT body, COUNT(*) FROM lead_notes WHERE body LIKE 'N${run}-%' GROUP BY body`).map(([b, n]) => [b, Number(n)]));
  for (const n of L.notes) if (is2xx(n.status) && notes.get(n.body) !== 1) fail(node, `acknowledged note ${n.body} found ${notes.get(n.body) ?? 0} times`);
  for (const [b, n] of notes) if (n > 1) fail(node, `note ${b} applied ${n} times`);
  // edits: the history of first_name
  const hist = new Map(
    sql(cnf, `SELECT after_value, COUNT(*) FROM lead_history WHERE field = 'first_name' AND after_value LIKE 'E${run}-%' GROUP BY after_value`).map(([v, n]) => [v, Number(n)]),
  );
  const leadIds = [...new Set(L.edits.map((e) => e.id))];
  const leads = new Map();
  for (let k = 0; k < leadIds.length; k += 500) {
    const ids = leadIds.slice(k, k + 500).join(',');
    for (const [id, version, first] of sql(cnf, `SELECT id, version, first_name FROM leads WHERE id IN (${ids})`)) leads.set(Number(id), { version: Number(version), first });
  }
  const byLead = new Map();
  for (const e of L.edits) {
    if (hist.get(e.value) > 1) fail(node, `edit ${e.value} in history ${hist.get(e.value)} times`);
    if (!is2xx(e.status)) continue;
    if (hist.get(e.value) !== 1) fail(node, `acknowledged edit ${e.value} in history ${hist.get(e.value) ?? 0} times`);
    if (!byLead.has(e.id)) byLead.set(e.id, []);
    byLead.get(e.id).push(e);
  }
  for (const [id, es] of byLead) {
    const versions = es.map((e) => e.version);
    if (new Set(versions).size !== versions.length) fail(node, `lead ${id}: two acknowledged edits were given the same version (${versions})`);
    const last = es.reduce((a, b) => (b.version > a.version ? b : a));
    const row = leads.get(id);
    if (!row) fail(node, `lead ${id} missing`);
    else if (row.version < last.version) fail(node, `lead ${id}: version ${row.version} is below the acknowledged ${last.version}`);
    else if (row.version === last.version && row.first !== last.value) fail(node, `lead ${id}: version ${row.version} holds ${row.first}, not ${last.value}`);
  }
  // steps
  const stepIds = [...new Set(L.steps.filter((x) => is2xx(x.status)).map((x) => x.id))];
  if (stepIds.length) {
    const done = new Map(sql(cnf, `SELECT lead_id, done FROM lead_step_values WHERE step_id = ${s.step_id} AND lead_id IN (${stepIds.join(',')})`).map(([id, d]) => [Number(id), Number(d)]));
    for (const id of stepIds) if (done.get(id) !== 1) fail(node, `acknowledged step completion on lead ${id} not there`);
  }
  // claims: single winner
  const claimRows = new Map();
  for (const [id, n, owner] of sql(
    cnf,
    `SELECT lead_id, COUNT(*), MAX(after_value) FROM lead_history WHERE action = 'claim' AND field = 'owner_id' AND lead_id IN (${s.bank.join(',')}) GROUP BY lead_id`,
  ))
    claimRows.set(Number(id), { n: Number(n), owner: owner });
  const owners = new Map(sql(cnf, `SELECT id, COALESCE(owner_id, 0) FROM leads WHERE id IN (${s.bank.join(',')})`).map(([id, o]) => [Number(id), Number(o)]));
  let races = 0;
  for (const id of s.bank) {
    const cs = L.claims.filter((c) => c.id === id);
    if (!cs.length) continue;
    races++;
    const won = cs.filter((c) => is2xx(c.status));
    const row = claimRows.get(id);
    if (won.length > 1) fail(node, `lead ${id}: ${won.length} claims got a 2xx`);
    if (row && row.n > 1) fail(node, `lead ${id}: claimed ${row.n} times`);
    if (won.length === 1) {
      if (!row) fail(node, `lead ${id}: the acknowledged claim is not in its history`);
      else if (owners.get(id) !== won[0].agent) fail(node, `lead ${id}: owner ${owners.get(id)}, but agent ${won[0].agent}'s claim got the 200`);
    }
  }
  // the Lead Bank leads' aging, run by four concurrent passes per "now" on
  // two nodes: each transition once, ending available with no owner
  const aging = sql(
    cnf,
    `SELECT lead_id, field, COALESCE(after_value, 'null'), COUNT(*) FROM lead_history WHERE actor_kind = 'system' AND lead_id IN (${s.bank.join(',')}) GROUP BY lead_id, field, after_value`,
  );
  for (const [id, field, after, n] of aging) if (Number(n) !== 1) fail(node, `lead ${id}: the worker wrote ${field} → ${after} ${n} times`);
  for (const id of s.bank) {
    if (!aging.some(([i, f, a]) => Number(i) === id && f === 'call_state' && a === 'available')) fail(node, `lead ${id} never became available`);
  }
  // the checker query: one digest of what every node must hold alike
  const [[nLeads, dLeads]] = sql(cnf, `SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, version, first_name, last_name, COALESCE(owner_id, 0), call_state))), 0) FROM leads`);
  const [[nHist, dHist]] = sql(cnf, `SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, lead_id, action, COALESCE(field, ''), COALESCE(after_value, '')))), 0) FROM lead_history`);
  const [[nNotes, dNotes]] = sql(cnf, `SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, lead_id, body, version))), 0) FROM lead_notes`);
  const digest = `leads ${nLeads}/${dLeads} history ${nHist}/${dHist} notes ${nNotes}/${dNotes}`;
  digests.push(digest);
  process.stdout.write(`cluster: node ${node}: ${digest}; ${created.size} creates, ${notes.size} notes, ${hist.size} edits, ${stepIds.length} steps, ${races} claim races checked\n`);
});
for (let i = 1; i < digests.length; i++) if (digests[i] !== digests[0]) fail(i + 1, `holds different rows from node 1: ${digests[i]} vs ${digests[0]}`);

const acked = (xs) => xs.filter((x) => is2xx(x.status)).length;
process.stdout.write(
  `cluster: acknowledged writes: ${acked(L.creates)} creates, ${acked(L.edits)} edits, ${acked(L.notes)} notes, ${acked(L.steps)} steps, ${acked(L.claims)} claims; ` +
    `${failures ? `${failures} problems` : '0 lost, 0 applied twice, claims single-winner, all nodes alike'}\n`,
);
process.exit(failures ? 1 : 0);
