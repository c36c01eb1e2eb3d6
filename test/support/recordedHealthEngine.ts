// Engine API servers of the tests' own on unix sockets, answering with the health recordings
// (test/fixtures/recorded/health, see its README.md): the host engine, and the engine inside each
// container recorded with one. Health gathering runs on them through the extension's own EngineGraph,
// EngineApi and transports. Calls the recording has no answer for get a 404 (or a failed exec) and
// are kept in `unanswered`, so that a test sees when gathering asks for something new.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineApi } from '../../src/engine/engineApi';
import type { EngineEndpoint } from '../../src/engine/endpoints';
import { EngineGraph } from '../../src/engine/engineGraph';
import type { Connection } from '../../src/engine/engineSession';
import { HEALTH_EXECS } from '../../src/engine/healthGather';
import { transportForEndpoint } from '../../src/engine/transports';
import type { ContainerSummary } from '../../src/model/apiTypes';
import { containerName } from '../../src/model/snapshot';
import { RECORDED } from './recorded';

const HEALTH = path.join(RECORDED, 'health');
const DEADLINE_MS = 10_000;

function recordedFile(...parts: string[]): string | undefined {
  const file = path.join(HEALTH, ...parts);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function send(res: http.ServerResponse, status: number, body?: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Api-Version': '1.41', ...(body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) }) });
  res.end(body);
}

/** One frame of the Engine's multiplexed stream (stdout is 1, stderr 2): how it sends exec output and logs without a TTY. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Which recorded file holds what a health exec printed: the same commands scripts/recordHealthFixtures.sh ran. */
function execFile(cmd: string[]): string | undefined {
  const same = (a: string[]) => JSON.stringify(a) === JSON.stringify(cmd);
  if (same(HEALTH_EXECS.netMtu)) return 'net-mtu.txt';
  if (same(HEALTH_EXECS.uidMap)) return 'uid-map.txt';
  if (cmd[3] === 'socket-check' && same(HEALTH_EXECS.socket(cmd.slice(4)))) return 'socket.txt';
  return undefined;
}

interface Exec {
  container: string;
  cmd: string[];
  exitCode?: number;
}

/** One recorded engine: `folder` is `host` or `<container>/inner` under the health recordings. */
class RecordedServer {
  readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly execs = new Map<string, Exec>();
  private readonly names = new Map<string, string>();

  constructor(private readonly folder: string, readonly socketPath: string, private readonly unanswered: string[]) {
    const listing = JSON.parse(recordedFile(folder, 'containers.json') ?? '[]') as ContainerSummary[];
    for (const summary of listing) this.names.set(summary.Id, containerName(summary));
    this.server = http.createServer((req, res) => this.answer(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => this.startExec(req, socket));
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => resolve());
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private notRecorded(req: http.IncomingMessage, res: http.ServerResponse, url: string): void {
    this.unanswered.push(`${this.folder}: ${req.method} ${url}`);
    send(res, 404, JSON.stringify({ message: `not in the recording: ${req.method} ${url}` }));
  }

  private json(req: http.IncomingMessage, res: http.ServerResponse, url: string, ...file: string[]): void {
    const text = recordedFile(...file);
    if (text === undefined) return this.notRecorded(req, res, url);
    send(res, 200, text);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    const route = url.split('?')[0];
    const method = req.method ?? 'GET';
    res.on('error', () => undefined);
    const container = /^\/containers\/([^/]+)\/(json|logs|exec|start|wait)$/.exec(route);
    const name = container ? this.names.get(decodeURIComponent(container[1])) : undefined;
    if (method === 'GET' && route === '/_ping') return send(res, 200, 'OK');
    if (method === 'GET' && (route === '/version' || route === '/info')) return this.json(req, res, url, this.folder, `${route.slice(1)}.json`);
    if (method === 'GET' && route === '/containers/json') return this.json(req, res, url, this.folder, 'containers.json');
    if (method === 'GET' && route === '/images/json') return this.json(req, res, url, this.folder, 'images.json');
    if (method === 'GET' && route === '/events') {
      // Quiet and open, like a real engine's event stream with nothing happening.
      return void res.writeHead(200, { 'Content-Type': 'application/json' });
    }
    const network = /^\/networks\/([^/]+)$/.exec(route);
    if (method === 'GET' && network) {
      const name = decodeURIComponent(network[1]);
      return this.json(req, res, url, this.folder, this.folder === 'host' ? `network-${name}.json` : `${name}.json`);
    }
    if (method === 'GET' && container?.[2] === 'json' && name) return this.json(req, res, url, name, 'inspect.json');
    if (method === 'GET' && container?.[2] === 'logs' && name) {
      // `docker logs` of the recording, stdout and stderr together: one stdout frame.
      const log = recordedFile(name, 'daemon-log.txt');
      if (log === undefined) return this.notRecorded(req, res, url);
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
      return void res.end(frame(1, log));
    }
    if (method === 'POST' && container?.[2] === 'exec' && name) return this.createExec(req, res, name);
    const exec = /^\/exec\/([^/]+)\/json$/.exec(route);
    if (method === 'GET' && exec && this.execs.get(exec[1])?.exitCode !== undefined) {
      return send(res, 200, JSON.stringify({ ExitCode: this.execs.get(exec[1])?.exitCode, Running: false }));
    }
    if (this.folder !== 'host') {
      // The probe, as recorded on this inner engine: create's answer (an id, or the engine's error), then wait's.
      const probe = recordedFile(this.folder, 'probe-create.json');
      if (method === 'POST' && route === '/containers/create' && probe !== undefined) {
        return send(res, (JSON.parse(probe) as { Id?: string }).Id ? 201 : 404, probe);
      }
      const probeId = probe === undefined ? undefined : (JSON.parse(probe) as { Id?: string }).Id;
      if (probeId && route.startsWith(`/containers/${probeId}`)) {
        // Start and remove answer 204 without a body, so the recording has nothing to keep of them.
        if (method === 'POST' && route.endsWith('/start')) return send(res, 204);
        if (method === 'POST' && route.endsWith('/wait')) return this.json(req, res, url, this.folder, 'probe-wait.json');
        if (method === 'DELETE') return send(res, 204);
      }
    }
    this.notRecorded(req, res, url);
  }

  private createExec(req: http.IncomingMessage, res: http.ServerResponse, name: string): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Cmd: string[] };
      const id = `exec${this.execs.size}`;
      this.execs.set(id, { container: name, cmd: body.Cmd });
      send(res, 201, JSON.stringify({ Id: id }));
    });
  }

  /** POST /exec/<id>/start, hijacked: the recorded stdout, or (not recorded) a failed command. */
  private startExec(req: http.IncomingMessage, socket: net.Socket): void {
    const exec = this.execs.get(/^(?:\/v[\d.]+)?\/exec\/([^/]+)\/start$/.exec(req.url ?? '')?.[1] ?? '');
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    const file = exec && execFile(exec.cmd);
    const stdout = exec && file ? recordedFile(exec.container, file) : undefined;
    if (exec) exec.exitCode = stdout === undefined ? 1 : 0;
    if (stdout === undefined) this.unanswered.push(`${this.folder}: exec ${JSON.stringify(exec?.cmd ?? req.url)}`);
    socket.end(stdout === undefined ? frame(2, 'not in the recording\n') : frame(1, stdout));
  }
}

function endpoint(name: string, socketPath: string): EngineEndpoint {
  return { name, host: `unix://${socketPath}`, origin: 'setting', current: name === 'default' };
}

/** What EngineGraph's own root connector does for an endpoint, here for every recorded engine. */
async function connect(target: EngineEndpoint, label: string, relay?: string): Promise<Connection> {
  const transport = transportForEndpoint(target, () => undefined);
  const api = new EngineApi(transport.docker, { label, deadlineMs: DEADLINE_MS });
  try {
    const version = await api.negotiate();
    return { api, transport, version, identity: await api.identity(), relay };
  } catch (error) {
    transport.dispose();
    throw error;
  }
}

export interface RecordedHealthEngines {
  /** The host engine "default" and the engines inside its containers, listed. */
  graph: EngineGraph;
  /** Requests the recordings had no answer for. */
  unanswered: string[];
  close(): Promise<void>;
}

/**
 * The host of the health recordings as engine "default", with an inner engine in each container
 * recorded with one (reached as if through a relay), listed by the extension's EngineGraph.
 */
export async function startRecordedHealthEngines(): Promise<RecordedHealthEngines> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-health-'));
  const unanswered: string[] = [];
  const host = new RecordedServer('host', path.join(dir, 'host.sock'), unanswered);
  const inner = new Map<string, RecordedServer>();
  for (const name of fs.readdirSync(HEALTH)) {
    if (fs.existsSync(path.join(HEALTH, name, 'inner', 'info.json'))) inner.set(name, new RecordedServer(`${name}/inner`, path.join(dir, `${name}.sock`), unanswered));
  }
  const servers = [host, ...inner.values()];
  await Promise.all(servers.map((s) => s.listen()));
  const hostNames = new Map((JSON.parse(recordedFile('host', 'containers.json') ?? '[]') as ContainerSummary[]).map((s) => [s.Id, containerName(s)]));
  const graph = new EngineGraph({
    sysboxRuntimes: ['sysbox-runc'],
    deadlineMs: DEADLINE_MS,
    debounceMs: 20,
    reconnect: { initialMs: 60_000, maxMs: 60_000, stableMs: 60_000 },
    maxDepth: 8,
    log: () => undefined,
    connectors: {
      root: (target) => connect(target, `engine "${target.name}"`),
      inner: async (_parent, containerId, label) => {
        const name = hostNames.get(containerId);
        const server = name ? inner.get(name) : undefined;
        // As a relay into a container whose daemon is not up: nothing answers (no recording).
        if (!name || !server) throw new Error(`no engine answered inside ${label}`);
        return connect(endpoint(name, server.socketPath), label, 'docker system dial-stdio');
      },
    },
  });
  graph.setEndpoints([endpoint('default', host.socketPath)]);
  await graph.refreshAll();
  return {
    graph,
    unanswered,
    close: async () => {
      graph.dispose();
      await Promise.all(servers.map((s) => s.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
