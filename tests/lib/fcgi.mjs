// A minimal FastCGI client for tests that must play a part nginx plays,
// such as a request from another client address (REMOTE_ADDR) than the
// loopback every test shares. It speaks to the pool's unix socket (named by
// fcgi_socket in the stack's leadmap.conf) and returns what nginx would
// turn into a response: {status, headers (lower-case names), text, body}.
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const RESPONDER = 1;

function record(type, content = Buffer.alloc(0)) {
  const pad = (8 - (content.length % 8)) % 8;
  const h = Buffer.alloc(8);
  h.writeUInt8(VERSION, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(1, 2); // request id
  h.writeUInt16BE(content.length, 4);
  h.writeUInt8(pad, 6);
  return Buffer.concat([h, content, Buffer.alloc(pad)]);
}

function lengthBytes(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function params(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    const kb = Buffer.from(k);
    const vb = Buffer.from(String(v));
    parts.push(lengthBytes(kb.length), lengthBytes(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

/** The FastCGI socket of a stack (from its leadmap.conf). */
export function fcgiSocket(stack) {
  const m = /^fcgi_socket\s*=\s*(.+)$/m.exec(readFileSync(stack.config, 'utf8'));
  if (!m) throw new Error('fcgi_socket not found in the stack config');
  return m[1].trim();
}

/**
 * One request straight to the pool. opts: remoteAddr, headers ({name: value},
 * sent as HTTP_*), json (body as application/json).
 */
export function fcgiRequest(stack, method, uri, { remoteAddr = '127.0.0.1', headers = {}, json } = {}) {
  const body = json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json));
  const env = {
    REQUEST_METHOD: method,
    REQUEST_URI: uri,
    DOCUMENT_URI: uri.split('?')[0],
    QUERY_STRING: uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '',
    REMOTE_ADDR: remoteAddr,
    SERVER_PROTOCOL: 'HTTP/1.1',
    CONTENT_LENGTH: String(body.length),
  };
  if (json !== undefined) env.CONTENT_TYPE = 'application/json';
  for (const [k, v] of Object.entries(headers)) env[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const begin = Buffer.alloc(8);
  begin.writeUInt16BE(RESPONDER, 0);
  const out = [record(BEGIN_REQUEST, begin), record(PARAMS, params(env)), record(PARAMS)];
  for (let i = 0; i < body.length; i += 65535) out.push(record(STDIN, body.subarray(i, i + 65535)));
  out.push(record(STDIN));

  return new Promise((resolve, reject) => {
    const sock = connect(fcgiSocket(stack));
    let buf = Buffer.alloc(0);
    let stdout = Buffer.alloc(0);
    const timer = setTimeout(() => sock.destroy(new Error('FastCGI request timed out')), 10_000);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => sock.write(Buffer.concat(out)));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8) {
        const type = buf.readUInt8(1);
        const len = buf.readUInt16BE(4);
        const pad = buf.readUInt8(6);
        if (buf.length < 8 + len + pad) break;
        const content = buf.subarray(8, 8 + len);
        buf = buf.subarray(8 + len + pad);
        if (type === STDOUT) stdout = Buffer.concat([stdout, content]);
        if (type === END_REQUEST) {
          clearTimeout(timer);
          sock.end();
          resolve(parse(stdout.toString('utf8')));
        }
      }
    });
  });
}

function parse(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const text = split < 0 ? '' : raw.slice(split + 4);
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = Number((headers.status ?? '200').split(' ')[0]);
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status, headers, text, body };
}
