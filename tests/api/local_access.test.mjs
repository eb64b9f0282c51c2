// What a local user of the machine who is not Leadmap can reach, and what
// Leadmap itself may do in its database (issue 8, "the machine and the
// stack"): the FastCGI socket is mode 0660 with the group leadmap that only
// nginx's workers share; the application's database account has DML only,
// its password sits in files of mode 0600, and MariaDB's root answers only
// the machine's root.
import assert from 'node:assert/strict';
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack({ workers: 1 });
});
after(async () => {
  await stack?.stop();
});

const gidOf = (name) => Number(execFileSync('getent', ['group', name], { encoding: 'utf8' }).split(':')[2]);

/** Tries to connect to a unix socket as nobody with the given supplementary groups; returns 'ok' or the error. */
function connectAs(path, groups) {
  const args = ['--reuid=nobody', '--regid=nogroup'];
  args.push(groups.length ? `--groups=${groups.join(',')}` : '--clear-groups');
  const py = 'import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect(sys.argv[1]); print("ok")\nexcept OSError as e:\n print(type(e).__name__)';
  const r = spawnSync('setpriv', [...args, '/usr/bin/python3', '-c', py, path], { encoding: 'utf8' });
  return (r.stdout || r.stderr).trim();
}

test('fcgi_socket_is_0660_with_the_leadmap_group', () => {
  const st = statSync(join(stack.var, 'run', 'fcgi.sock'));
  assert.ok(st.isSocket());
  assert.equal((st.mode & 0o777).toString(8), '660');
  assert.equal(st.gid, gidOf('leadmap'));
});

test('another_local_user_cannot_connect_to_the_fcgi_socket', () => {
  const sock = join(stack.var, 'run', 'fcgi.sock');
  assert.equal(connectAs(sock, []), 'PermissionError');
  // the same user with the group, as nginx's workers run, gets through
  assert.equal(connectAs(sock, ['leadmap']), 'ok');
});

test('nginx_workers_run_as_nobody_in_the_leadmap_group_and_serve_the_api', async () => {
  const master = stack.pid('nginx/nginx.pid');
  const workers = execFileSync('ps', ['-o', 'user=,group=', '--ppid', String(master)], { encoding: 'utf8' }).trim();
  assert.match(workers, /^nobody\s+leadmap$/m);
  assert.equal((await stack.api('GET', '/api/v1/health')).status, 200);
});

/** Runs SQL with the mariadb client as the account in VAR/leadmap.conf (db_user or db_admin_user). */
function sqlAs(kind, query) {
  const conf = Object.fromEntries(
    readFileSync(stack.config, 'utf8')
      .split('\n')
      .filter((l) => /^\w+ = /.test(l))
      .map((l) => [l.slice(0, l.indexOf(' = ')), l.slice(l.indexOf(' = ') + 3)]),
  );
  const user = kind === 'owner' ? conf.db_admin_user : conf.db_user;
  const password = kind === 'owner' ? conf.db_admin_password : conf.db_password;
  const cnf = join(stack.var, `test-${kind}.cnf`);
  writeFileSync(cnf, `[client]\nsocket = ${conf.db_socket}\nuser = ${user}\npassword = ${password}\n`, { mode: 0o600 });
  const r = spawnSync('mariadb', [`--defaults-file=${cnf}`, 'leadmap', '-N', '-B', '-e', query], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim(), user };
}

test('config_and_password_files_are_mode_0600', () => {
  for (const f of ['leadmap.conf', 'db-app.password', 'db-owner.password', 'jwt.secret']) {
    assert.equal((statSync(join(stack.var, f)).mode & 0o777).toString(8), '600', f);
  }
  const conf = readFileSync(stack.config, 'utf8');
  assert.match(conf, /^db_user = leadmap$/m);
  assert.match(conf, /^db_password = [0-9a-f]{48}$/m);
  assert.doesNotMatch(conf, /^db_user = root$/m);
});

test('app_db_user_cannot_create_or_drop_tables', () => {
  const app = sqlAs('app', 'SELECT CURRENT_USER()');
  assert.equal(app.code, 0, app.err);
  assert.equal(app.out, 'leadmap@localhost');
  const create = sqlAs('app', 'CREATE TABLE app_may_not (id INT PRIMARY KEY)');
  assert.notEqual(create.code, 0);
  assert.match(create.err, /CREATE command denied/);
  const drop = sqlAs('app', 'DROP TABLE leads');
  assert.notEqual(drop.code, 0);
  assert.match(drop.err, /DROP command denied/);
  const alter = sqlAs('app', 'ALTER TABLE users ADD COLUMN x INT');
  assert.notEqual(alter.code, 0);
  assert.match(alter.err, /ALTER command denied/);
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'leadmap' AND table_name = 'leads'"), '1');
  const grants = stack.sql("SHOW GRANTS FOR leadmap@localhost").map((r) => r[0]).join('\n');
  assert.match(grants, /GRANT SELECT, INSERT, UPDATE, DELETE ON `leadmap`\.\* TO `leadmap`@`localhost`/);
  assert.doesNotMatch(grants, /ALL PRIVILEGES|CREATE|DROP|ALTER|TRIGGER|SUPER|FILE/);
});

test('app_db_user_writes_settings_and_fires_the_owners_triggers', () => {
  assert.deepEqual(stack.sql('SELECT DISTINCT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \'leadmap\''), [['leadmap_owner@localhost']]);
  const before = Number(stack.sqlValue('SELECT version FROM settings_version WHERE id = 1'));
  const ins = sqlAs('app', "INSERT INTO lookups (kind, name) VALUES ('source', 'Trigger check')");
  assert.equal(ins.code, 0, ins.err);
  assert.equal(Number(stack.sqlValue('SELECT version FROM settings_version WHERE id = 1')), before + 1);
});

test('mariadb_root_answers_only_the_machines_root', () => {
  const sock = join(stack.var, 'run', 'mysqld.sock');
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'mariadb', '--no-defaults', '-S', sock, '-uroot', '-e', 'SELECT 1'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Access denied/);
});

test('the_api_works_through_the_app_account', async () => {
  const l = await stack.login('admin@example.com');
  assert.equal(l.status, 200);
  const created = await stack.api('POST', '/api/v1/leads', { token: l.token, json: { first_name: 'Least', last_name: 'Privilege', emails: ['least.privilege@example.org'] } });
  assert.ok([200, 201].includes(created.status), created.text);
  assert.ok(Number(stack.sqlValue("SELECT COUNT(*) FROM leads WHERE last_name = 'Privilege'")) >= 1);
  const procs = stack.sql("SELECT DISTINCT USER FROM information_schema.PROCESSLIST WHERE DB = 'leadmap' AND ID <> CONNECTION_ID()").map((r) => r[0]);
  assert.ok(procs.length > 0);
  assert.deepEqual([...new Set(procs)], ['leadmap'], `accounts connected to the schema: ${procs}`);
});
