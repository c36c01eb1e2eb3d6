// A Docker socket that forwards to the real one and records every HTTP request line a client sends,
// also those carried inside hijacked connections (exec start, attach): Matryoshka reaches inner
// engines through `docker system dial-stdio` in an exec, so a request to an engine at any depth
// travels as plain text in the client's bytes of such a connection. Also watches those bytes for
// strings that must never reach an engine. Not a test file itself.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// Anywhere in the stream, not only after a newline: a request follows the previous one's body
// (JSON ending in "}") directly, and a tunnelled one follows the exec's own request the same way.
const REQUEST_LINE = /(?<![A-Za-z])(GET|POST|PUT|DELETE|HEAD|PATCH) (\/\S*) HTTP\/1\.[01]\r\n/g;
const CARRY = 8192; // bytes kept from one chunk to the next, so a line split across chunks is seen

/**
 * @param {{ dir: string, upstream?: string, needles?: string[] }} options
 * @returns {Promise<{ socketPath: string, requests: { method: string, path: string, depth: 'outer' | 'tunnelled', at: number }[],
 *   seen: Map<string, number>, connections: () => number, close: () => Promise<void> }>}
 */
export async function startRecordingProxy({ dir, upstream = '/var/run/docker.sock', needles = [] }) {
  const socketPath = path.join(dir, 'docker.sock');
  fs.rmSync(socketPath, { force: true });
  const requests = [];
  const seen = new Map(needles.map((n) => [n, 0]));
  const sockets = new Set();
  let connections = 0;

  const server = net.createServer((client) => {
    connections++;
    const engine = net.connect(upstream);
    sockets.add(client).add(engine);
    let carry = '';
    let upgraded = false;
    client.on('data', (chunk) => {
      const text = carry + chunk.toString('latin1');
      const fresh = text.length - chunk.length; // matches must end after this to be new
      for (const match of text.matchAll(REQUEST_LINE)) {
        if (match.index + match[0].length <= fresh) continue;
        requests.push({ method: match[1], path: match[2], depth: upgraded ? 'tunnelled' : 'outer', at: Date.now() });
        // After an exec's start the connection carries the exec's stdin: a relay to an inner engine.
        if (/\/exec\/[^/]+\/start/.test(match[2])) upgraded = true;
      }
      for (const needle of seen.keys()) {
        let from = Math.max(0, fresh - needle.length + 1);
        for (let at = text.indexOf(needle, from); at >= 0; at = text.indexOf(needle, from)) {
          seen.set(needle, seen.get(needle) + 1);
          from = at + needle.length;
        }
      }
      carry = text.slice(-CARRY);
      engine.write(chunk);
    });
    engine.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      engine.destroy();
      sockets.delete(client);
      sockets.delete(engine);
    };
    client.on('end', () => engine.end());
    engine.on('end', () => client.end());
    client.on('error', end).on('close', end);
    engine.on('error', end).on('close', end);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  fs.chmodSync(socketPath, 0o666);
  const close = () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return { socketPath, requests, seen, connections: () => connections, close };
}

/** A TCP listener standing for a hostile engine a folder's settings name: records every connection. */
export async function startHostileListener() {
  const connections = [];
  const server = net.createServer((socket) => {
    connections.push({ from: `${socket.remoteAddress}:${socket.remotePort}`, at: Date.now() });
    socket.destroy();
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Requests that create something on an engine, whatever the API version prefix. */
export function creates(requests) {
  return requests.filter((r) => r.method === 'POST' && /^(?:\/v[\d.]+)?\/(containers|volumes|networks|images)\/create(?:\?|$)/.test(r.path));
}
