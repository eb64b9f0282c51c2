// Errors that nginx produces itself, before or instead of the C server: the
// JSON envelope {"error":{"code","message"}} when the path is under /api/, a
// plain-text page elsewhere, never nginx's HTML and never a 500 for a
// malformed request. Malformed request lines go over raw sockets (fetch
// would refuse to send them); 502/503/504 come from pointing the API at a
// dead or a silent socket and reloading nginx.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { childPids, startStack, waitFor } from '../lib/stack.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

/** Sends raw bytes, reads until the server closes; resolves {status, headers, body}. */
function raw(text) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const s = connect(stack.port, '127.0.0.1', () => s.write(text));
    s.setTimeout(10_000, () => s.destroy(new Error('raw request timed out')));
    s.on('data', (d) => (buf = Buffer.concat([buf, d])));
    s.on('error', reject);
    s.on('end', () => {
      const str = buf.toString('latin1');
      const split = str.indexOf('\r\n\r\n');
      const head = str.slice(0, split).split('\r\n');
      const headers = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(head[0].split(' ')[1]), headers, body: str.slice(split + 4), line: head[0] });
    });
  });
}

const request = (line, headers = ['Host: 127.0.0.1'], body = '') =>
  raw(`${line}\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`);

function assertJsonEnvelope(r, status, code) {
  assert.equal(r.status, status, `${r.line}\n${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^application\/json/, r.body);
  const body = JSON.parse(r.body);
  assert.equal(body.error.code, code, r.body);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(r.headers['content-security-policy'], 'security headers on the error');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
}

function assertPlainPage(r, status) {
  assert.equal(r.status, status, `${r.line}\n${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^text\/plain/, r.body);
  assert.doesNotMatch(r.body, /<html|nginx/i);
  assert.ok(r.body.trim().length > 0);
  assert.ok(r.headers['content-security-policy'], 'security headers on the error');
}

test('malformed_request_lines_are_400_plain_pages_not_500_html', async () => {
  for (const line of [
    'GET /../etc/passwd HTTP/1.1',
    'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1',
    'GET /api/../../etc/passwd HTTP/1.1',
    'GET /index.html%00.js HTTP/1.1',
    'get / HTTP/1.1',
    'get /api/v1/health HTTP/1.1',
  ]) {
    assertPlainPage(await request(line), 400);
  }
  assert.equal(stack.log('nginx-error.log').includes('could not find named location'), false);
});

test('a_bad_request_under_api_is_a_400_json_envelope', async () => {
  // No Host header in HTTP/1.1: the request line parses, the request does not.
  assertJsonEnvelope(await request('GET /api/v1/health HTTP/1.1', []), 400, 'bad_request');
  assertPlainPage(await request('GET /leads HTTP/1.1', []), 400);
});

test('headers_too_large_are_494_answered_as_400', async () => {
  const big = `X-Big: ${'a'.repeat(9000)}`;
  assertJsonEnvelope(await request('GET /api/v1/health HTTP/1.1', ['Host: 127.0.0.1', big]), 400, 'header_too_large');
  assertPlainPage(await request('GET / HTTP/1.1', ['Host: 127.0.0.1', big]), 400);
});

test('an_over_long_uri_is_414_plain', async () => {
  // The request line overflows nginx's buffer before the path is known.
  assertPlainPage(await request(`GET /api/v1/leads?q=${'a'.repeat(9000)} HTTP/1.1`), 414);
  assertPlainPage(await request(`GET /${'a'.repeat(9000)} HTTP/1.1`), 414);
});

test('an_over_large_body_is_413', async () => {
  const body = 'x'.repeat(1_200_000);
  const h = ['Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${body.length}`];
  assertJsonEnvelope(await request('POST /api/v1/leads HTTP/1.1', h, body), 413, 'payload_too_large');
  assertPlainPage(await request('POST /index.html HTTP/1.1', h, body), 413);
});

test('nginx_own_404_and_405_outside_the_api_are_plain_pages', async () => {
  assertPlainPage(await request('GET /assets/missing-1234.js HTTP/1.1'), 404);
  assertPlainPage(await request('GET /_errors/json/400 HTTP/1.1'), 404);
  assertPlainPage(await request('DELETE /index.html HTTP/1.1'), 405);
});

// Writes a config for the running nginx and reloads it: done when every
// worker is one started after the reload (the old ones have left).
async function reload(text) {
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

test('no_pool_behind_the_api_is_503_json_for_502_and_504', async () => {
  const original = readFileSync(join(stack.var, 'nginx', 'nginx.conf'), 'utf8');
  const sock = /server unix:([^;]+);/.exec(original)[1];

  // 502: nothing listens on the socket.
  await reload(original.replaceAll(sock, join(stack.var, 'run', 'dead.sock')));
  let r = await request('GET /api/v1/health HTTP/1.1');
  assertJsonEnvelope(r, 503, 'service_unavailable');
  assert.equal(r.headers['retry-after'], '5');
  assert.match(stack.log('nginx-error.log'), /connect\(\) to unix:.*dead\.sock failed/, 'nginx saw a 502');

  // 504: a socket that accepts and never answers, with a 1 s read timeout.
  const silentPath = join(stack.var, 'run', 'silent.sock');
  const held = [];
  const silent = createServer((c) => held.push(c));
  await new Promise((res) => silent.listen(silentPath, res));
  chmodSync(silentPath, 0o666); // nginx's workers run as nobody
  try {
    await reload(original.replaceAll(sock, silentPath).replaceAll('fastcgi_read_timeout 60s', 'fastcgi_read_timeout 1s'));
    r = await request('GET /api/v1/version HTTP/1.1');
    assertJsonEnvelope(r, 503, 'service_unavailable');
    assert.ok(held.length > 0, 'the request reached the silent socket');
    assert.match(stack.log('nginx-error.log'), /upstream timed out/, 'nginx saw a 504');
  } finally {
    for (const c of held) c.destroy();
    silent.close();
    await reload(original);
  }
  assert.equal((await request('GET /api/v1/health HTTP/1.1')).status, 200);
});
