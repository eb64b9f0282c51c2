// The error envelope {"error":{"code","message","fields"?}} on every 4xx/5xx,
// from the C router (404, 405 + Allow, 401) and from nginx (413), and the
// security headers on API responses, errors included.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertEnvelope, startStack } from '../lib/stack.mjs';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

let stack;
let token;
before(async () => {
  stack = await startStack();
  token = (await stack.login('agent@example.com')).token;
});
after(async () => {
  await stack?.stop();
});

function assertSecurityHeaders(r) {
  assert.equal(r.headers.get('content-security-policy'), CSP);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('referrer-policy') ?? '', /^(no-referrer|strict-origin-when-cross-origin)$/);
}

test('unknown_api_route_is_404_not_found_envelope', async () => {
  for (const path of ['/api/v1/nope', '/api/v1/', '/api/v2/health', '/api/v1/health/extra']) {
    const r = await stack.api('GET', path, { token });
    assertEnvelope(assert, r, 404, 'not_found');
    assertSecurityHeaders(r);
  }
});

test('wrong_method_is_405_with_allow_header', async () => {
  const cases = [
    ['DELETE', '/api/v1/health', 'GET'],
    ['POST', '/api/v1/version', 'GET'],
    ['GET', '/api/v1/auth/login', 'POST'],
    ['PUT', '/api/v1/me', 'GET'],
  ];
  for (const [method, path, allowed] of cases) {
    const r = await stack.api(method, path, { token });
    assertEnvelope(assert, r, 405, 'method_not_allowed');
    const allow = r.headers.get('allow') ?? '';
    assert.ok(allow.split(/\s*,\s*/).includes(allowed), `${method} ${path}: Allow "${allow}" should list ${allowed}`);
    assert.ok(!allow.split(/\s*,\s*/).includes(method), `${method} ${path}: Allow "${allow}" must not list ${method}`);
  }
});

test('query_string_does_not_change_routing', async () => {
  const r = await stack.api('GET', '/api/v1/version?x=1&y=%20');
  assert.equal(r.status, 200, r.text);
});

test('unauthenticated_protected_route_is_401_envelope', async () => {
  const r = await stack.api('GET', '/api/v1/me');
  assertEnvelope(assert, r, 401, 'unauthorized');
  assertSecurityHeaders(r);
});

test('oversized_body_on_any_api_route_is_413_envelope', async () => {
  const r = await stack.api('POST', '/api/v1/auth/refresh', {
    body: 'x'.repeat(1_500_000),
    headers: { 'content-type': 'application/json' },
  });
  assertEnvelope(assert, r, 413, 'payload_too_large');
  assertSecurityHeaders(r);
});

test('successful_api_responses_carry_security_headers_and_json', async () => {
  const r = await stack.api('GET', '/api/v1/me', { token });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assertSecurityHeaders(r);
  assert.equal(r.headers.get('server'), 'nginx', 'no version in Server');
});

test('error_bodies_never_leak_sql_or_internals', async () => {
  const r = await stack.api('POST', '/api/v1/auth/login', { json: { email: "' OR 1=1 --", password: 'x' } });
  assert.ok([400, 401].includes(r.status), r.text);
  assert.doesNotMatch(r.text, /SQL|syntax|MariaDB|mysql/i);
});
