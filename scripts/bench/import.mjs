// The bench's CSV import (scripts/bench.sh), in two calls around the worker
// pass that bench.sh runs and times itself (the bench stops the stack's own
// worker):
//
//   node scripts/bench/import.mjs BASE_URL TOKEN queue ROWS
//     uploads ROWS generated rows (phones and e-mails no generated lead has)
//     as the signed-in agent and commits them with skip duplicates; prints
//     {"id", "rows", "bytes", "upload_ms"}
//   node scripts/bench/import.mjs BASE_URL TOKEN state ID
//     prints the import: {"status", "imported_rows", "error_rows", …}
const [base, token, mode, arg] = process.argv.slice(2);
const headers = { authorization: `Bearer ${token}`, 'x-requested-with': 'XMLHttpRequest' };

async function call(method, path, body, type) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': type },
    body,
    signal: AbortSignal.timeout(300_000),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

if (mode === 'queue') {
  const rows = Number(arg);
  const stamp = Date.now() % 100000;
  const lines = ['first_name,last_name,phone,email,city'];
  for (let i = 0; i < rows; i++) {
    const d = String(i).padStart(6, '0');
    lines.push(`Imported${i},Bench${stamp},+1 312 7${d.slice(0, 2)} ${d.slice(2)},import${stamp}.${i}@bench-import.example,Town${i % 50}`);
  }
  const csv = lines.join('\n');
  const t0 = Date.now();
  const up = await call('POST', '/api/v1/imports?file_name=bench.csv', csv, 'text/csv');
  const t1 = Date.now();
  await call('POST', `/api/v1/imports/${up.id}/commit`, JSON.stringify({ mapping: up.suggested_mapping, skip_duplicates: true }), 'application/json');
  process.stdout.write(JSON.stringify({ id: up.id, rows, bytes: csv.length, upload_ms: t1 - t0 }));
} else if (mode === 'state') {
  process.stdout.write(JSON.stringify(await call('GET', `/api/v1/imports/${arg}`)));
} else {
  console.error('usage: node import.mjs BASE_URL TOKEN queue ROWS | state ID');
  process.exit(2);
}
