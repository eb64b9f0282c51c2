// docs/openapi.yaml lists exactly the routes of the C route tables
// (fcgi/src/api/*.c), with the same auth requirement. Needs no running stack
// and no npm packages: the C tables are read with a regular expression and
// the YAML with a small line-based reader that knows the layout of
// docs/openapi.yaml (path keys indented 2 spaces under `paths:`, method keys
// 4, operation fields 6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const API_DIR = join(ROOT, 'fcgi', 'src', 'api');
const OPENAPI = join(ROOT, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const AUTH = {
  LM_AUTH_NONE: 'none',
  LM_AUTH_AGENT: 'agent',
  LM_AUTH_SUPERVISOR: 'supervisor',
  LM_AUTH_ADMIN: 'admin',
  LM_AUTH_COOKIE: 'cookie',
};

function stripComments(c) {
  return c.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

// Every `const struct lm_route NAME[] = {…};` in fcgi/src/api/*.c with its
// entries {"METHOD", "/pattern/:param", handler, LM_AUTH_…}.
function readRouteTables() {
  const tables = [];
  for (const file of readdirSync(API_DIR).filter((f) => f.endsWith('.c')).sort()) {
    const src = stripComments(readFileSync(join(API_DIR, file), 'utf8'));
    const tableRe = /const\s+struct\s+lm_route\s+(\w+)\s*\[\s*\]\s*=\s*\{([\s\S]*?)\n\s*\}\s*;/g;
    for (const t of src.matchAll(tableRe)) {
      const entryRe = /\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(LM_AUTH_\w+)\s*\}/g;
      const routes = [...t[2].matchAll(entryRe)].map((e) => ({
        method: e[1],
        path: e[2].replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}'),
        handler: e[3],
        auth: AUTH[e[4]] ?? e[4],
        where: `${file} (${t[1]})`,
      }));
      tables.push({ name: t[1], file, routes });
    }
  }
  return tables;
}

// The operations under `paths:`: [{method, path, auth, lines}].
function readOpenApiOperations() {
  const lines = readFileSync(OPENAPI, 'utf8').split('\n');
  const ops = [];
  let inPaths = false;
  let path = null;
  let op = null;
  for (const raw of lines) {
    const line = raw.replace(/\s+#.*$/, '').replace(/\s+$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inPaths = line === 'paths:';
      path = null;
      op = null;
      continue;
    }
    if (!inPaths) continue;
    if (indent === 2) {
      const m = line.trim().match(/^(["']?)(\/[^"':]*)\1:$/);
      path = m ? m[2] : null;
      op = null;
      continue;
    }
    if (indent === 4 && path) {
      const m = line.trim().match(/^([a-z]+):$/);
      op = m && METHODS.includes(m[1]) ? { method: m[1].toUpperCase(), path, auth: null, lines: [] } : null;
      if (op) ops.push(op);
      continue;
    }
    if (indent >= 6 && op) {
      op.lines.push(line);
      const m = indent === 6 && line.trim().match(/^x-leadmap-auth:\s*(\S+)$/);
      if (m) op.auth = m[1];
    }
  }
  return ops;
}

const key = (r) => `${r.method} ${r.path}`;

test('route tables are found in fcgi/src/api', () => {
  const routes = readRouteTables().flatMap((t) => t.routes);
  assert.ok(routes.length > 0, 'no routes found: has the route table format changed?');
});

test('every route table is registered in lm_api_tables', () => {
  const src = stripComments(readFileSync(join(API_DIR, 'routes.c'), 'utf8'));
  const m = src.match(/lm_api_tables\s*\[\s*\]\s*=\s*\{([\s\S]*?)\}\s*;/);
  assert.ok(m, 'lm_api_tables not found in fcgi/src/api/routes.c');
  const registered = new Set(m[1].split(',').map((s) => s.trim()).filter((s) => s && s !== 'NULL'));
  const unregistered = readRouteTables()
    .filter((t) => !registered.has(t.name))
    .map((t) => `${t.name} (${t.file})`);
  assert.deepEqual(unregistered, [], `route tables never served (add them to lm_api_tables): ${unregistered.join(', ')}`);
});

test('no route is listed twice', () => {
  const seen = new Map();
  const dups = [];
  for (const r of readRouteTables().flatMap((t) => t.routes)) {
    if (seen.has(key(r))) dups.push(`${key(r)} in ${seen.get(key(r))} and ${r.where}`);
    else seen.set(key(r), r.where);
  }
  assert.deepEqual(dups, [], `duplicate routes (the later one is unreachable):\n  ${dups.join('\n  ')}`);
});

test('docs/openapi.yaml lists exactly the routes of the C route tables', () => {
  const routes = readRouteTables().flatMap((t) => t.routes);
  const ops = readOpenApiOperations();
  assert.ok(ops.length > 0, 'no operations found under paths: in docs/openapi.yaml');
  const inC = new Set(routes.map(key));
  const inDoc = new Set(ops.map(key));
  const undocumented = routes.filter((r) => !inDoc.has(key(r))).map((r) => `${key(r)}  (${r.where})`);
  const notImplemented = [...inDoc].filter((k) => !inC.has(k));
  const problems = [];
  if (undocumented.length)
    problems.push(`in the route tables but missing from docs/openapi.yaml:\n  ${undocumented.join('\n  ')}`);
  if (notImplemented.length)
    problems.push(`in docs/openapi.yaml but in no route table:\n  ${notImplemented.join('\n  ')}`);
  assert.equal(problems.length, 0, problems.join('\n'));
});

test('each operation states the auth column of its route (x-leadmap-auth and security)', () => {
  const byKey = new Map(readOpenApiOperations().map((o) => [key(o), o]));
  const problems = [];
  for (const r of readRouteTables().flatMap((t) => t.routes)) {
    const op = byKey.get(key(r));
    if (!op) continue; // reported by the test above
    if (op.auth !== r.auth)
      problems.push(`${key(r)}: x-leadmap-auth is ${op.auth ?? 'missing'}, the route table says ${r.auth}`);
    const bearer = op.lines.some((l) => /^\s*-\s*bearerAuth:/.test(l));
    const cookie = op.lines.some((l) => /^\s*-\s*refreshCookie:/.test(l));
    const tokenless = r.auth === 'none' || r.auth === 'cookie';
    if (tokenless && bearer) problems.push(`${key(r)}: route without a token documented with bearerAuth`);
    if (!tokenless && !bearer) problems.push(`${key(r)}: needs a token but its security lacks bearerAuth`);
    if (r.auth === 'cookie' && !cookie) problems.push(`${key(r)}: cookie route whose security lacks refreshCookie`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});
