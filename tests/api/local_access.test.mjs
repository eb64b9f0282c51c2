// What a local user of the machine who is not Leadmap can reach (issue 8,
// "the machine and the stack"): the FastCGI socket is mode 0660 with the
// group leadmap that only nginx's workers share, so another user cannot
// speak FastCGI to the pool directly.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
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
