// POST /api/v1/auth/login, GET /api/v1/me and the access token itself:
// what a valid login returns, how bad input is refused, and that forged,
// expired or stale (deactivated user) tokens get 401.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, base64url } from 'jose';
import { assertEnvelope, startStack } from '../lib/stack.mjs';

let stack;
let admin; // {token, cookie, user} of admin@example.com
let agent;
before(async () => {
  stack = await startStack();
  admin = await stack.login('admin@example.com');
  agent = await stack.login('agent@example.com');
  assert.equal(admin.status, 200, JSON.stringify(admin.body));
  assert.equal(agent.status, 200, JSON.stringify(agent.body));
});
after(async () => {
  await stack?.stop();
});

const login = (json, opts = {}) => stack.api('POST', '/api/v1/auth/login', { json, ...opts });

function assertUser(u, { email, role }) {
  assert.equal(typeof u.id, 'number', `user.id: ${JSON.stringify(u)}`);
  assert.equal(u.email, email);
  assert.equal(typeof u.name, 'string');
  assert.equal(u.role, role);
  assert.ok('group_id' in u, 'user.group_id present (may be null)');
  assert.ok(Array.isArray(u.unit_ids), 'user.unit_ids is an array');
  assert.ok(Array.isArray(u.permissions), 'user.permissions is an array');
  assert.equal(u.active, true);
}

describe('login', () => {
  test('login_returns_bearer_token_user_and_refresh_cookie', async () => {
    const r = await login({ email: 'supervisor@example.com', password: 'demo1234' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 900);
    assert.equal(typeof r.body.access_token, 'string');
    assertUser(r.body.user, { email: 'supervisor@example.com', role: 'supervisor' });
    const cookies = r.res.headers.getSetCookie();
    const c = cookies.find((x) => x.startsWith('lm_refresh='));
    assert.ok(c, `lm_refresh cookie: ${cookies}`);
    assert.match(c, /;\s*Path=\/api\/v1\/auth(;|$)/i);
    assert.match(c, /;\s*HttpOnly/i);
    assert.match(c, /;\s*SameSite=Strict/i);
    assert.match(c, /;\s*Max-Age=\d+/i);
    assert.doesNotMatch(c, /;\s*Secure/i, 'cookie_secure=0 in the test stack');
    // The refresh token is stored hashed, never as the cookie's value.
    const value = /^lm_refresh=([^;]*)/.exec(c)[1];
    assert.ok(value.length >= 20, 'refresh token has some entropy');
    const id = r.body.user.id;
    const rows = stack.sql(`SELECT token_hash, revoked_at FROM refresh_tokens WHERE user_id = ${id}`);
    assert.ok(rows.length >= 1, 'a refresh_tokens row was written');
    assert.ok(rows.every(([hash]) => hash !== value && !hash.includes(value)), 'token stored hashed');
    assert.ok(rows.some(([, revoked]) => revoked === null), 'the new token is not revoked');
  });

  test('access_token_is_hs256_with_the_contract_claims', () => {
    const h = decodeProtectedHeader(admin.token);
    assert.equal(h.alg, 'HS256');
    const c = decodeJwt(admin.token);
    assert.equal(c.sub, String(admin.user.id), 'sub is the user id as a string');
    assert.equal(typeof c.sub, 'string');
    assert.equal(c.role, 'admin');
    assert.ok('grp' in c, 'grp claim');
    assert.equal(typeof c.jti, 'string');
    assert.ok(c.jti.length > 0);
    assert.equal(c.exp - c.iat, 900);
    assert.ok(Math.abs(c.iat - Date.now() / 1000) < 60, 'iat is now');
  });

  test('admin_user_has_archive_reactivate_permission', () => {
    assertUser(admin.user, { email: 'admin@example.com', role: 'admin' });
    assert.ok(admin.user.permissions.includes('archive.reactivate'));
    assertUser(agent.user, { email: 'agent@example.com', role: 'agent' });
    assert.ok(!agent.user.permissions.includes('archive.reactivate'));
  });

  test('wrong_password_is_401_invalid_credentials_and_counted', async () => {
    const count = () =>
      Number(stack.sqlValue("SELECT COALESCE(SUM(failures), 0) FROM login_failures WHERE email_hash = SHA2('agent2@example.com', 256) AND ip = '127.0.0.1'"));
    const before = count();
    const r = await login({ email: 'agent2@example.com', password: 'wrong-password' });
    assertEnvelope(assert, r, 401, 'invalid_credentials');
    assert.equal(refreshCookieOf(r), null, 'no refresh cookie on failure');
    assert.equal(count(), before + 1, 'login_failures counts the failure for this address');
    // A success resets the counter.
    const ok = await login({ email: 'agent2@example.com', password: 'demo1234' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(count(), 0);
  });

  test('unknown_user_is_401_like_a_wrong_password', async () => {
    const r = await login({ email: 'nobody@example.com', password: 'demo1234' });
    assertEnvelope(assert, r, 401, 'invalid_credentials');
    const wrong = await login({ email: 'agent2@example.com', password: 'nope-nope' });
    assert.equal(r.body.error.message, wrong.body.error.message, 'same message: no user enumeration');
    assert.equal(stack.sqlValue("SELECT COUNT(*) FROM users WHERE email = 'nobody@example.com'"), '0');
  });

  test('malformed_json_is_400_invalid_json', async () => {
    const r = await stack.api('POST', '/api/v1/auth/login', {
      body: '{"email": "admin@example.com", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    assertEnvelope(assert, r, 400, 'invalid_json');
  });

  test('missing_fields_are_named_in_validation_failed', async () => {
    const r = await login({});
    assertEnvelope(assert, r, 400, 'validation_failed');
    assert.equal(typeof r.body.error.fields?.email, 'string', r.text);
    assert.equal(typeof r.body.error.fields?.password, 'string', r.text);

    const noPassword = await login({ email: 'admin@example.com' });
    assertEnvelope(assert, noPassword, 400, 'validation_failed');
    assert.deepEqual(Object.keys(noPassword.body.error.fields), ['password']);

    const badTypes = await login({ email: 42, password: true });
    assertEnvelope(assert, badTypes, 400, 'validation_failed');
    assert.ok(badTypes.body.error.fields.email && badTypes.body.error.fields.password, badTypes.text);
  });

  test('non_json_content_type_is_415', async () => {
    const r = await stack.api('POST', '/api/v1/auth/login', {
      body: 'email=admin@example.com&password=demo1234',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertEnvelope(assert, r, 415, 'unsupported_media_type');
  });

  test('body_over_1mib_is_413_envelope_from_nginx', async () => {
    const big = JSON.stringify({ email: 'admin@example.com', password: 'x'.repeat(1_500_000) });
    const r = await stack.api('POST', '/api/v1/auth/login', { body: big, headers: { 'content-type': 'application/json' } });
    assertEnvelope(assert, r, 413, 'payload_too_large');
  });
});

function refreshCookieOf(r) {
  return r.res.headers.getSetCookie().find((c) => c.startsWith('lm_refresh=') && !/Max-Age=0/i.test(c)) ?? null;
}

describe('access tokens', () => {
  const me = (token) => stack.api('GET', '/api/v1/me', { token });
  const secret = () => new TextEncoder().encode(stack.jwtSecret());
  const claims = () => decodeJwt(admin.token);

  test('me_returns_the_logged_in_user', async () => {
    const r = await me(admin.token);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, admin.user);
  });

  test('me_without_token_is_401_unauthorized', async () => {
    assertEnvelope(assert, await stack.api('GET', '/api/v1/me'), 401, 'unauthorized');
    assertEnvelope(assert, await me('not-a-jwt'), 401, 'unauthorized');
    const basic = await stack.api('GET', '/api/v1/me', { headers: { authorization: 'Basic YWRtaW46ZGVtbzEyMzQ=' } });
    assertEnvelope(assert, basic, 401, 'unauthorized');
  });

  test('hs256_token_signed_with_the_server_secret_is_accepted', async () => {
    // Control for the forgeries below: the test signs tokens the way the server does.
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret());
    const r = await me(token);
    assert.equal(r.status, 200, r.text);
  });

  test('alg_none_token_is_401', async () => {
    const enc = (o) => base64url.encode(JSON.stringify(o));
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${enc({ alg, typ: 'JWT' })}.${enc(claims())}.`;
      assertEnvelope(assert, await me(token), 401, 'unauthorized');
    }
  });

  test('hs384_and_hs512_tokens_with_the_same_secret_are_401', async () => {
    for (const alg of ['HS384', 'HS512']) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg, typ: 'JWT' }).sign(secret());
      assertEnvelope(assert, await me(token), 401, 'unauthorized');
    }
  });

  test('bad_signature_is_401', async () => {
    const other = new TextEncoder().encode('x'.repeat(64));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(other);
    assertEnvelope(assert, await me(token), 401, 'unauthorized');
    // The real token with one payload claim changed (role escalation) keeps a stale signature.
    const [h, , s] = agent.token.split('.');
    const p = base64url.encode(JSON.stringify({ ...decodeJwt(agent.token), role: 'admin' }));
    assertEnvelope(assert, await me(`${h}.${p}.${s}`), 401, 'unauthorized');
  });

  test('expired_token_is_401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims(), iat: now - 1000, exp: now - 10 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(secret());
    assertEnvelope(assert, await me(token), 401, 'unauthorized');
    const noExp = { ...claims() };
    delete noExp.exp;
    const token2 = await new SignJWT(noExp).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret());
    assertEnvelope(assert, await me(token2), 401, 'unauthorized');
  });

  test('token_of_unknown_user_id_is_401', async () => {
    const token = await new SignJWT({ ...claims(), sub: '999999' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret());
    assertEnvelope(assert, await me(token), 401, 'unauthorized');
  });

  test('deactivated_users_token_is_401_at_once', async () => {
    const u = await stack.addUser({ email: 'leaving@example.com', role: 'agent', password: 'leaving-pass-1' });
    const l = await stack.login(u.email, u.password);
    assert.equal(l.status, 200, JSON.stringify(l.body));
    assert.equal((await me(l.token)).status, 200);
    const d = await stack.leadmap(['user', 'deactivate', '--email', u.email]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.equal(stack.sqlValue(`SELECT active FROM users WHERE email = '${u.email}'`), '0');
    assertEnvelope(assert, await me(l.token), 401, 'unauthorized');
    const again = await login({ email: u.email, password: u.password });
    assert.equal(again.status, 401, `a deactivated user cannot log in: ${again.text}`);
    const refresh = await stack.api('POST', '/api/v1/auth/refresh', { cookie: l.cookie, headers: { 'x-requested-with': 'XMLHttpRequest' } });
    assert.equal(refresh.status, 401, `a deactivated user's refresh token is refused: ${refresh.text}`);
  });
});

describe('roles', () => {
  test('settings_users_lists_users_for_admin', async () => {
    const r = await stack.api('GET', '/api/v1/settings/users', { token: admin.token });
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.body.items));
    assert.equal(r.body.next, null);
    const emails = r.body.items.map((u) => u.email);
    for (const e of ['admin@example.com', 'supervisor@example.com', 'agent@example.com', 'agent2@example.com']) {
      assert.ok(emails.includes(e), `${e} listed`);
    }
    for (const u of r.body.items) assert.ok(!('password_hash' in u) && !('password' in u), 'no password in a listing');
  });

  test('settings_users_is_403_forbidden_for_agent_and_supervisor', async () => {
    assertEnvelope(assert, await stack.api('GET', '/api/v1/settings/users', { token: agent.token }), 403, 'forbidden');
    const sup = await stack.login('supervisor@example.com');
    assertEnvelope(assert, await stack.api('GET', '/api/v1/settings/users', { token: sup.token }), 403, 'forbidden');
  });

  test('settings_users_is_401_without_token', async () => {
    assertEnvelope(assert, await stack.api('GET', '/api/v1/settings/users'), 401, 'unauthorized');
  });
});
