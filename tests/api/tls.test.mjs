// The stack with TLS_CERT / TLS_KEY: nginx serves HTTPS, every answer (the
// app, the API, nginx's own errors) carries Strict-Transport-Security, and
// the refresh cookie is Secure. The certificate is a fresh self-signed one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';

let stack;
let certDir;
before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'lm-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
  ], { stdio: 'ignore' });
  stack = await startStack({ env: { TLS_CERT: join(certDir, 'cert.pem'), TLS_KEY: join(certDir, 'key.pem') } });
});
after(async () => {
  await stack?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

/** One HTTPS request that trusts the self-signed certificate. */
function https(method, path, { json, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: stack.port,
        path,
        method,
        rejectUnauthorized: false,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('https_answers_carry_strict_transport_security', async () => {
  for (const [path, status] of [
    ['/', 200],
    ['/index.html', 200],
    ['/api/v1/health', 200],
    ['/api/v1/nope', 404],
    ['/assets/missing-1234.js', 404],
  ]) {
    const r = await https('GET', path);
    assert.equal(r.status, status, `${path}: ${r.text}`);
    assert.match(r.headers['strict-transport-security'] ?? '', /^max-age=\d{7,}/, `${path} has HSTS`);
  }
});

test('the_refresh_cookie_is_secure_over_tls', async () => {
  const r = await https('POST', '/api/v1/auth/login', { json: { email: 'agent@example.com', password: 'demo1234' } });
  assert.equal(r.status, 200, r.text);
  const cookie = (r.headers['set-cookie'] ?? []).find((c) => c.startsWith('lm_refresh='));
  assert.ok(cookie, 'login sets lm_refresh');
  assert.match(cookie, /;\s*Secure/i);
  assert.match(cookie, /HttpOnly/i);
});

test('plain_http_is_not_served_on_the_tls_port', async () => {
  const r = await fetch(`${stack.url}/api/v1/health`).then((x) => x.status, () => 'refused');
  assert.notEqual(r, 200);
});
