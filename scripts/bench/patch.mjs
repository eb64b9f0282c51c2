// PATCH /api/v1/leads/{id} under load, for scripts/bench.sh: LOOPS concurrent
// loops (one per lead id given, so no two loops race for the same version),
// each sending {"first_name": "..."} with If-Match set to the ETag of its
// previous response, for SECONDS. A 412 (someone else changed the lead)
// re-reads the lead and counts as an error.
//
//   node scripts/bench/patch.mjs BASE_URL TOKEN SECONDS ID[,ID…]
//
// Prints one JSON line: {"requests", "rps", "p50_ms", "p99_ms", "errors",
// "statements"} (statements: the X-Db-Statements header of the last
// successful PATCH, or null when the server does not send it).
const [base, token, secondsArg, idsArg] = process.argv.slice(2);
if (!base || !token || !secondsArg || !idsArg) {
    console.error('usage: node patch.mjs BASE_URL TOKEN SECONDS ID[,ID…]');
    process.exit(2);
}
const seconds = Number(secondsArg);
const ids = idsArg.split(',').filter(Boolean).map(Number);
const auth = { Authorization: `Bearer ${token}` };

const latencies = [];
let errors = 0;
let statements = null;

async function etagOf(id) {
    const r = await fetch(`${base}/api/v1/leads/${id}`, { headers: auth });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`GET lead ${id}: HTTP ${r.status}`);
    return r.headers.get('etag');
}

async function loop(id, k, deadline) {
    let etag = await etagOf(id);
    for (let n = 0; performance.now() < deadline; n++) {
        const body = JSON.stringify({ first_name: `Bench ${k}-${n}` });
        const t0 = performance.now();
        const r = await fetch(`${base}/api/v1/leads/${id}`, {
            method: 'PATCH',
            headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': etag },
            body,
        });
        await r.arrayBuffer();
        const ms = performance.now() - t0;
        if (r.ok && r.headers.get('etag')) {
            latencies.push(ms);
            etag = r.headers.get('etag');
            const s = r.headers.get('x-db-statements');
            if (s !== null) statements = Number(s);
        } else {
            errors++;
            etag = await etagOf(id);
        }
    }
}

const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(ids.map((id, k) => loop(id, k, deadline)));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1,
    Math.floor(latencies.length * p))] : 0);
console.log(JSON.stringify({
    requests: latencies.length,
    rps: Number((latencies.length / elapsed).toFixed(1)),
    p50_ms: Number(pct(0.5).toFixed(2)),
    p99_ms: Number(pct(0.99).toFixed(2)),
    errors,
    statements,
}));
