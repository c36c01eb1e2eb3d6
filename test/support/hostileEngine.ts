// A small Engine API server of the tests' own on a unix socket, answering the way a broken or
// hostile engine would. The malformed replies below are deliberate (not a real engine's shapes);
// everything else it sends is what a real engine sent (test/fixtures/recorded).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RECORDED, readJson } from './recorded';

export type HostileMode =
  /** The listing has the wrong shapes: `Mounts: {}`, `Labels: []`, numbers for strings, `null` everywhere. */
  | 'shapes'
  /** The recorded listing with only `Mounts: {}` on its first container (the shape the issue saw). */
  | 'mountsObject'
  /** The listing is a 50 MB body; so is the 404 that starting an exec gets. */
  | 'huge'
  /** The listing is `[]`; the event stream sends a 2 MB line with no newline, and stays open. */
  | 'eventLine'
  /** The listing's (and a log's or archive's) headers arrive, then the body at 1 byte a second. */
  | 'drip'
  /** Connections are accepted and never answered. */
  | 'silent'
  /** Whatever is asked, the answer is not HTTP. */
  | 'invalidHttp'
  /** A well-behaved engine replaying the recorded host engine (for tests that need one beside the others). */
  | 'recorded'
  /**
   * The recorded image listing, then `No such image` when a container is created from one of them:
   * what a real engine answers when the image was removed between the two requests.
   */
  | 'imageGone'
  /** The recorded listing, then an event stream that opens and drops at once: an engine that flaps. */
  | 'flapping';

/** The modes that break an engine's row, each tested beside the real engine. */
export const HOSTILE_MODES = ['mountsObject', 'shapes', 'huge', 'eventLine', 'drip', 'silent', 'invalidHttp'] as const satisfies readonly HostileMode[];
export type RowBreakingMode = (typeof HOSTILE_MODES)[number];

export interface HostileEngine {
  socketPath: string;
  /** `unix://…`, for matryoshka.engines or an EngineEndpoint. */
  host: string;
  /** Requests seen, as `METHOD path` without the version prefix. */
  requests: string[];
  /** When each of `requests` came (Date.now()). */
  requestTimes: number[];
  close(): Promise<void>;
}

const HUGE_BYTES = 50 * 1024 * 1024;
const EVENT_LINE_BYTES = 2 * 1024 * 1024;

/** Wrong shapes for every field the code reads, on a copy of a recorded listing. */
function malformedListing(): unknown[] {
  const listing = readJson<Array<Record<string, unknown>>>('host', 'containers.json');
  listing[0].Mounts = {};
  listing[1].Labels = [];
  listing[2].Names = 42;
  listing[2].State = 7;
  listing[3] = Object.fromEntries(Object.keys(listing[3]).map((key) => [key, null]));
  return listing;
}

export async function startHostileEngine(mode: HostileMode, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-hostile-'))): Promise<HostileEngine> {
  const socketPath = path.join(dir, `${mode}.sock`);
  const requests: string[] = [];
  const requestTimes: number[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = mode === 'silent' || mode === 'invalidHttp' ? rawServer(mode) : http.createServer((req, res) => answer(mode, req, res, timers));
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage) => {
    requests.push(`${req.method} ${(req.url ?? '').replace(/^\/v[\d.]+/, '')}`);
    requestTimes.push(Date.now());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    socketPath,
    host: `unix://${socketPath}`,
    requests,
    requestTimes,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function rawServer(mode: 'silent' | 'invalidHttp'): net.Server {
  return net.createServer((socket) => {
    if (mode === 'silent') return;
    socket.once('data', () => socket.write('SSH-2.0-not-an-engine\r\n\u0000\u0001\u0002 this is not HTTP\r\n\r\n'));
  });
}

function json(res: http.ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Api-Version': '1.41' });
  res.end(text);
}

function answer(mode: HostileMode, req: http.IncomingMessage, res: http.ServerResponse, timers: Set<NodeJS.Timeout>): void {
  const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
  res.on('error', () => undefined);
  if (url === '/_ping') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return void res.end('OK');
  }
  if (url === '/version') return json(res, readJson('host', 'version.json'));
  if (url === '/info') return json(res, readJson('host', 'info.json'));
  if (mode === 'imageGone' && url.startsWith('/images/json')) return json(res, readJson('health', 'host', 'images.json'));
  if (mode === 'imageGone' && url.startsWith('/containers/create')) return noSuchImage(req, res);
  if (url.startsWith('/containers/json')) {
    if (mode === 'shapes') return json(res, malformedListing());
    if (mode === 'mountsObject') return json(res, readJson<Array<Record<string, unknown>>>('host', 'containers.json').map((c, i) => (i === 0 ? { ...c, Mounts: {} } : c)));
    if (mode === 'huge') return hugeBody(res);
    if (mode === 'drip') return drip(res, timers);
    if (mode === 'recorded' || mode === 'flapping') return json(res, readJson('host', 'containers.json'));
    return json(res, []);
  }
  if (mode === 'drip' && /^\/containers\/[^/]+\/(logs|archive)/.test(url)) return drip(res, timers);
  if (mode === 'huge' && /^\/exec\/[^/]+\/start/.test(url)) return hugeBody(res, 404);
  const inspect = /^\/containers\/([0-9a-f]{64})\/json/.exec(url);
  if (inspect && (mode === 'recorded' || mode === 'flapping')) {
    for (const file of fs.readdirSync(path.join(RECORDED, 'host', 'inspect'))) {
      const data = readJson<{ Id: string }>('host', 'inspect', file);
      if (data.Id === inspect[1]) return json(res, data);
    }
  }
  if (url.startsWith('/events')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (mode === 'flapping') {
      res.flushHeaders();
      return void setTimeout(() => res.destroy(), 20);
    }
    if (mode === 'eventLine') res.write(`{"Type":"container","Action":"${'x'.repeat(EVENT_LINE_BYTES)}`);
    // Otherwise quiet, and open, like a real engine's event stream with nothing happening.
    return;
  }
  json(res, { message: `page not found: ${url}` }, 404);
}

/** A real engine's answer to a create from an image it does not have. */
function noSuchImage(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const image = (JSON.parse(body || '{}') as { Image?: string }).Image ?? '';
    json(res, { message: `No such image: ${image}` }, 404);
  });
}

/** 50 MB of one long JSON string, written as the socket takes it. */
function hugeBody(res: http.ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  res.write('["');
  const more = () => {
    while (sent < HUGE_BYTES) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end('"]');
  };
  more();
}

function drip(res: http.ServerResponse, timers: Set<NodeJS.Timeout>): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const body = '[]'.padEnd(600, ' ');
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= body.length) {
      clearInterval(timer);
      timers.delete(timer);
      return void res.end();
    }
    res.write(body[at++]);
  }, 1000);
  timers.add(timer);
}
