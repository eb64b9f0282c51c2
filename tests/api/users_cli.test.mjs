// `leadmap user add|list|passwd|deactivate`: the admin's command line, checked
// through the API and the users table.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('user_add_creates_a_user_who_can_log_in', async () => {
  const u = await stack.addUser({ email: 'new.agent@example.com', name: 'New Agent', role: 'agent', password: 'new-agent-pass-1' });
  const row = stack.sql("SELECT email, name, role, active FROM users WHERE email = 'new.agent@example.com'");
  assert.deepEqual(row, [['new.agent@example.com', 'New Agent', 'agent', '1']]);
  const hash = stack.sqlValue("SELECT password_hash FROM users WHERE email = 'new.agent@example.com'");
  assert.ok(!hash.includes('new-agent-pass-1'), 'password stored hashed');
  const l = await stack.login(u.email, u.password);
  assert.equal(l.status, 200, JSON.stringify(l.body));
  assert.equal(l.user.role, 'agent');
  assert.equal(l.user.name, 'New Agent');
});

test('user_add_with_permission_grants_it', async () => {
  const u = await stack.addUser({ email: 'archivist@example.com', role: 'supervisor', permissions: ['archive.reactivate'] });
  const l = await stack.login(u.email, u.password);
  assert.equal(l.status, 200);
  assert.deepEqual(l.user.permissions, ['archive.reactivate']);
});

test('user_add_refuses_a_duplicate_email_and_a_bad_role', async () => {
  const dup = await stack.leadmap(['user', 'add', '--email', 'agent@example.com', '--name', 'Dup', '--role', 'agent'], { input: 'some-password-1\n' });
  assert.notEqual(dup.code, 0, 'duplicate email');
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM users WHERE email = 'agent@example.com'"), '1');
  const bad = await stack.leadmap(['user', 'add', '--email', 'x@example.com', '--name', 'X', '--role', 'root'], { input: 'some-password-1\n' });
  assert.notEqual(bad.code, 0, 'unknown role');
  assert.equal(stack.sqlValue("SELECT COUNT(*) FROM users WHERE email = 'x@example.com'"), '0');
});

test('user_list_shows_the_demo_users', async () => {
  const r = await stack.leadmap(['user', 'list']);
  assert.equal(r.code, 0, r.stderr);
  for (const e of ['admin@example.com', 'supervisor@example.com', 'agent@example.com', 'agent2@example.com']) {
    assert.ok(r.stdout.includes(e), `${e} listed`);
  }
  assert.doesNotMatch(r.stdout, /\$argon2|\$2[aby]\$/, 'no hashes in the listing');
});

test('user_passwd_changes_the_password', async () => {
  const u = await stack.addUser({ email: 'rotate@example.com', password: 'old-password-1' });
  const r = await stack.leadmap(['user', 'passwd', '--email', u.email], { input: 'new-password-2\n' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((await stack.login(u.email, 'old-password-1')).status, 401);
  assert.equal((await stack.login(u.email, 'new-password-2')).status, 200);
});

test('user_passwd_for_unknown_email_fails', async () => {
  const r = await stack.leadmap(['user', 'passwd', '--email', 'nobody@example.com'], { input: 'whatever-pass-1\n' });
  assert.notEqual(r.code, 0);
});

test('user_deactivate_blocks_login', async () => {
  const u = await stack.addUser({ email: 'gone@example.com', password: 'gone-password-1' });
  const r = await stack.leadmap(['user', 'deactivate', '--email', u.email]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(stack.sqlValue(`SELECT active FROM users WHERE email = '${u.email}'`), '0');
  assert.equal((await stack.login(u.email, u.password)).status, 401);
});
