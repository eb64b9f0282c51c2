// FastCGI over TCP and several pools behind one nginx (issue 13): a
// `leadmap serve` with fcgi_listen = 127.0.0.1:PORT answers through nginx
// beside the stack's unix-socket pool; when one pool is killed nginx skips
// it and the requests keep succeeding; fcgi_allow refuses a connection from
// an address not on the list; a bad fcgi_listen is a clear error at start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LEADMAP, alive, childPids, freePort, run, sleep, startStack, waitFor } from '../lib/stack.mjs';

let stack;
let scratch;
const pools = [];

before(async () => {
  stack = await startStack({ workers: 2 });
  scratch = mkdtempSync(join(tmpdir(), 'lm-tcp-'));
});
after(async () => {
  for (const p of pools) if (alive(p.pid)) p.kill('SIGKILL');
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A `leadmap serve` on the stack's config listening on 127.0.0.1:port. */
async function tcpServe(name, port, allow) {
  const child = spawn(LEADMAP, ['serve'], {
    env: {
      ...process.env,
      LEADMAP_CONFIG: stack.config,
      LEADMAP_FCGI_LISTEN: `127.0.0.1:${port}`,
      LEADMAP_FCGI_ALLOW: allow,
      LEADMAP_PID_FILE: join(scratch, `${name}.pid`),
      LEADMAP_WORKERS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  await waitFor(() => childPids(child.pid).length === 2, { timeoutMs: 10_000, what: `the workers of ${name}` });
  const p = { pid: child.pid, log: () => log, kill: (sig) => child.kill(sig), exited: new Promise((r) => child.on('exit', r)) };
  pools.push(p);
  return p;
}

async function reloadNginx(text) {
  const conf = join(stack.var, 'nginx', 'nginx.conf');
  const master = stack.pid('nginx/nginx.pid');
  const old = new Set(childPids(master));
  writeFileSync(conf, text);
  process.kill(master, 'SIGHUP');
  await waitFor(
    () => {
      const now = childPids(master);
      return now.length > 0 && now.every((p) => !old.has(p));
    },
    { timeoutMs: 10_000, what: 'nginx reload' },
  );
}

/** Resolves 'closed' when the server hangs up at once, 'open' when it waits for a request. */
function probe(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      resolve('open');
    }, 700);
    s.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    s.on('error', () => {});
  });
}

test('two_pools_one_on_tcp_share_the_load_and_a_killed_one_is_skipped', async () => {
  const port = await freePort();
  const tcp = await tcpServe('tcp', port, '127.0.0.1');
  const original = readFileSync(join(stack.var, 'nginx', 'nginx.conf'), 'utf8');
  const block = /upstream leadmap_pool \{\s*server unix:[^;]+;/.exec(original)[0];
  await reloadNginx(original.replace(block, `${block.slice(0, -1)} max_fails=1 fail_timeout=5s; server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`));
  const admin = await stack.login('admin@example.com');
  assert.equal(admin.status, 200);
  for (let i = 0; i < 30; i++) {
    const r = await stack.api('GET', '/api/v1/leads?limit=1', { token: admin.token });
    assert.equal(r.status, 200, r.text);
  }
  assert.match(tcp.log(), /listening on 127\.0\.0\.1:\d+ with 2 workers/);
  assert.match(tcp.log(), /access GET \/api\/v1\/leads\S* 200/, 'the TCP pool served some of the requests');

  // SIGKILL the TCP pool (master and workers): nginx passes what it cannot
  // connect to on to the unix pool; writes keep working.
  const workers = childPids(tcp.pid);
  tcp.kill('SIGKILL');
  for (const w of workers) process.kill(w, 'SIGKILL');
  await tcp.exited;
  await waitFor(() => workers.every((w) => !alive(w)), { what: 'the TCP pool workers to die' });
  for (let i = 0; i < 20; i++) {
    const r = await stack.api('POST', '/api/v1/leads', { token: admin.token, json: { first_name: 'Tcp', last_name: `Skip${i}`, emails: [`tcp${i}@example.org`] } });
    assert.equal(r.status, 201, r.text);
  }
  assert.equal(Number(stack.sqlValue("SELECT COUNT(*) FROM leads WHERE first_name = 'Tcp'")), 20, 'each create applied once');
  assert.match(readFileSync(join(stack.var, 'log', 'nginx-error.log'), 'utf8'), /connect\(\) failed \(111: Connection refused\)/);
  await reloadNginx(original);
});

test('fcgi_allow_hangs_up_on_an_address_not_listed', async () => {
  const open = await freePort();
  const shut = await freePort();
  await tcpServe('allowed', open, '127.0.0.1');
  const refused = await tcpServe('refused', shut, '10.9.9.9');
  assert.equal(await probe(open), 'open', 'a listed address may send a request');
  assert.equal(await probe(shut), 'closed', 'an address not listed is hung up on');
  assert.doesNotMatch(refused.log(), /access /);
});

test('a_bad_fcgi_listen_is_refused_at_start_by_name', async () => {
  const r = await run(LEADMAP, ['serve'], { env: { ...process.env, LEADMAP_CONFIG: stack.config, LEADMAP_FCGI_LISTEN: '127.0.0.1:99999' }, timeoutMs: 10_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stdout + r.stderr, /fcgi_listen: expected host:port/);
  await sleep(0);
});
