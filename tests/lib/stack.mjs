// Test harness: starts a whole Leadmap stack (MariaDB, FastCGI pool, worker,
// nginx) in a fresh temporary VAR on a free port through scripts/stack.sh,
// and gives tests what they need to drive and inspect it: the base URL, a
// fetch wrapper, SQL against the stack's database, the leadmap CLI with the
// stack's config, and pids of the processes for signal tests.
//
//   const stack = await startStack({ workers: 2 });
//   const r = await stack.api('GET', '/api/v1/me', { token });
//   stack.sql('SELECT id, active FROM users')  → [['1', '1'], …]
//   await stack.stop();
//
// Every test file starts its own stack in before() and stops it in after():
// no test depends on another file or on a server started by hand.
// LM_KEEP_VAR=1 keeps the VAR folder (logs, database) after stop().
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STACK_SH = join(ROOT, 'scripts', 'stack.sh');
export const LEADMAP = join(ROOT, 'bin', 'leadmap');
export const DEMO_PASSWORD = 'demo1234';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command; resolves {code, signal, stdout, stderr} (never rejects on exit status). */
export function run(cmd, args, { env, input, timeoutMs = 120_000, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A command may exit before reading its input (EPIPE): that is its answer, not ours.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Pids of the direct children of `pid` (read from /proc). */
export function childPids(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name (field 2) may hold spaces: parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const ppid = Number(rest[1]);
    if (ppid === pid && state !== 'Z') out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}

/** True while `pid` exists and is not a zombie. */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (sync or async) until it returns a truthy value; returns it or throws after timeoutMs. */
export async function waitFor(fn, { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await sleep(intervalMs);
  }
}

/** The lm_refresh cookie ("lm_refresh=…") from a response's Set-Cookie headers, or null. */
export function refreshCookie(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') ?? ''];
  for (const c of all) {
    const m = /^\s*(lm_refresh=[^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

/**
 * Starts a stack. Options: workers (FastCGI pool size, default 2), env (extra
 * environment for stack.sh and so for the C processes).
 */
export async function startStack({ workers = 2, env = {} } = {}) {
  const port = await freePort();
  const varDir = mkdtempSync(join(tmpdir(), 'lm-'));
  const stackEnv = { VAR: varDir, PORT: String(port), DETACH: '1', WORKERS: String(workers), ...env };
  const started = await run(STACK_SH, ['start'], { env: stackEnv });
  if (started.code !== 0) {
    await run(STACK_SH, ['stop'], { env: { VAR: varDir } });
    if (!process.env.LM_KEEP_VAR) rmSync(varDir, { recursive: true, force: true });
    throw new Error(`scripts/stack.sh start failed (exit ${started.code}):\n${started.stdout}\n${started.stderr}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const myCnf = join(varDir, 'my.cnf');
  const config = join(varDir, 'leadmap.conf');
  let stopped = false;

  const stack = {
    url,
    port,
    var: varDir,
    config,

    /** Runs scripts/stack.sh COMMAND (stop, status, db-stop, db-start) for this VAR. */
    script(command) {
      return run(STACK_SH, [command], { env: { ...stackEnv } });
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      const r = await run(STACK_SH, ['stop'], { env: { VAR: varDir } });
      if (r.code !== 0) process.stderr.write(`stack.sh stop: ${r.stdout}${r.stderr}\n`);
      if (!process.env.LM_KEEP_VAR) rmSync(varDir, { recursive: true, force: true });
      else process.stderr.write(`LM_KEEP_VAR: stack state kept in ${varDir}\n`);
    },

    /** Runs SQL with the mariadb client; returns rows as arrays of strings (NULL → null). */
    sql(query) {
      const out = execFileSync('mariadb', [`--defaults-file=${myCnf}`, 'leadmap', '-N', '-B', '-e', query], {
        encoding: 'utf8',
      });
      return out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
    },

    /** One value: the first column of the first row (or undefined). */
    sqlValue(query) {
      const rows = stack.sql(query);
      return rows.length ? rows[0][0] : undefined;
    },

    /** Runs bin/leadmap ARGS with this stack's config; resolves {code, signal, stdout, stderr}. */
    leadmap(args, { input, env: extra = {}, timeoutMs } = {}) {
      return run(LEADMAP, args, { input, env: { LEADMAP_CONFIG: config, ...extra }, timeoutMs });
    },

    /**
     * Creates a user through `leadmap user add` (password on stdin). Resolves
     * {email, password, name, role}; throws when the CLI fails.
     */
    async addUser({ email, name = 'Test User', role = 'agent', password = 'correct-horse-1', group, permissions = [] } = {}) {
      email ??= `user-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
      const args = ['user', 'add', '--email', email, '--name', name, '--role', role];
      if (group) args.push('--group', group);
      for (const p of permissions) args.push('--permission', p);
      const r = await stack.leadmap(args, { input: `${password}\n` });
      if (r.code !== 0) throw new Error(`leadmap ${args.join(' ')} failed (${r.code}): ${r.stdout}${r.stderr}`);
      return { email, password, name, role };
    },

    /** A log file's text from VAR/log ('' when missing). */
    log(name) {
      const p = join(varDir, 'log', name);
      return existsSync(p) ? readFileSync(p, 'utf8') : '';
    },

    /** The HS256 secret the server signs access tokens with (raw file contents, trimmed). */
    jwtSecret() {
      return readFileSync(join(varDir, 'jwt.secret'), 'utf8').trim();
    },

    /** Pid from a pid file relative to VAR (e.g. 'run/leadmap.pid'). */
    pid(file) {
      return Number(readFileSync(join(varDir, file), 'utf8').trim());
    },

    servePid() {
      return stack.pid('run/leadmap.pid');
    },

    /** The FastCGI pool's worker processes: children of the serve master. */
    poolPids() {
      return childPids(stack.servePid());
    },

    /**
     * fetch against the stack. opts: token (Bearer), cookie, json (body sent as
     * application/json), body (raw), headers. Resolves {status, headers, body,
     * text, res}; body is the parsed JSON or null.
     */
    async api(method, path, { token, cookie, json, body, headers = {}, timeoutMs = 10_000 } = {}) {
      const h = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      if (cookie) h.cookie = cookie;
      let payload = body;
      if (json !== undefined) {
        payload = JSON.stringify(json);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
      }
      const res = await fetch(url + path, {
        method,
        headers: h,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, headers: res.headers, body: parsed, text, res };
    },

    /** Logs in; resolves {status, token, cookie, user, body, headers}. */
    async login(email, password = DEMO_PASSWORD) {
      const r = await stack.api('POST', '/api/v1/auth/login', { json: { email, password } });
      return {
        status: r.status,
        token: r.body?.access_token ?? null,
        cookie: refreshCookie(r.res),
        user: r.body?.user ?? null,
        body: r.body,
        headers: r.headers,
      };
    },
  };
  return stack;
}

/** Asserts the error envelope {"error":{"code","message"}} with the given code. */
export function assertEnvelope(assert, r, status, code) {
  assert.equal(r.status, status, `HTTP ${status} expected, got ${r.status}: ${r.text}`);
  assert.ok(r.body && typeof r.body.error === 'object', `error envelope expected, got: ${r.text}`);
  if (code) assert.equal(r.body.error.code, code, `error code: ${r.text}`);
  assert.equal(typeof r.body.error.message, 'string', `error.message: ${r.text}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
}

/** Runs wrk; resolves {requests, non2xx, socketErrors, rps, raw}. */
export async function wrk(url, { threads = 1, connections = 8, seconds = 5, script, headers = [] } = {}) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (script) args.push('-s', script);
  for (const h of headers) args.push('-H', h);
  args.push(url);
  const r = await run('wrk', args, { timeoutMs: (seconds + 30) * 1000 });
  const raw = r.stdout + r.stderr;
  const num = (re) => {
    const m = re.exec(raw);
    return m ? Number(m[1]) : 0;
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  return {
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    raw,
  };
}
