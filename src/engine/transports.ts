import Dockerode from 'dockerode';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { EngineEndpoint, TlsSettings } from './endpoints';
import { SshConnection, parseSshHost } from './sshConnection';
import { StreamAgent, type SocketOpener, type StreamAgentOptions } from './streamAgent';

/** A Dockerode client and what must be closed with it. */
export interface Transport {
  docker: Dockerode;
  /** Human-readable endpoint, shown in the tree (never secrets). */
  endpoint: string;
  /** Relay connections open now, for transports made of relays (ssh, exec). */
  openConnections(): number;
  /**
   * How many requests to send at once when many are due (inspecting a listing). Where each new
   * connection is a process to start (ssh, exec relays) one kept-alive connection in sequence is
   * faster than opening more: a relay takes 50–250 ms to start, a request on an open one a few ms.
   */
  parallelRequests: number;
  /**
   * A raw byte stream to the engine's API endpoint, outside the HTTP pool: what a local client
   * (the Docker CLI through a bridge) speaks on, byte for byte, half-close included.
   */
  openStream(): Promise<Duplex>;
  dispose(): void;
}

/**
 * Every option that docker-modem would otherwise take from DOCKER_HOST, DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH is set explicitly, so the user's environment can never switch a transport.
 */
const NEUTRAL = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined };

export function transportForEndpoint(endpoint: EngineEndpoint, log: (message: string) => void): Transport {
  const url = endpoint.host;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length) || '/var/run/docker.sock';
    const docker = new Dockerode({ ...NEUTRAL, socketPath, protocol: 'http' } as Dockerode.DockerOptions);
    return { docker, endpoint: url, openConnections: () => 0, parallelRequests: 8, openStream: () => connected(net.connect(socketPath), 'connect'), dispose: () => undefined };
  }
  if (url.startsWith('tcp://') || url.startsWith('https://') || url.startsWith('http://')) {
    return tcpTransport(endpoint);
  }
  if (url.startsWith('ssh://')) {
    const ssh = new SshConnection(parseSshHost(url, endpoint.identityFile), log);
    const transport = relayTransport(() => ssh.openRelay(), url, 1);
    return { ...transport, dispose: () => (transport.dispose(), ssh.dispose()) };
  }
  throw new Error(`engine "${endpoint.name}": unsupported host "${url}" (use unix://, tcp:// or ssh://)`);
}

function tcpTransport(endpoint: EngineEndpoint): Transport {
  const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
  const material = readTls(endpoint.tls);
  const secure = material !== undefined || url.protocol === 'https:' || url.port === '2376';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (secure ? 2376 : 2375));
  const open = (): Promise<Duplex> =>
    secure
      ? connected(tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...material, rejectUnauthorized: endpoint.tls?.verify !== false }), 'secureConnect')
      : connected(net.connect({ host, port }), 'connect');
  const transport = relayTransport(open, `${secure ? 'tcp+tls' : 'tcp'}://${url.hostname}:${port}`, 8);
  return { ...transport, openStream: open };
}

/** Resolves with the socket once it is connected (`ready`: connect, or secureConnect for TLS). */
function connected(socket: net.Socket, ready: 'connect' | 'secureConnect'): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    socket.once(ready, () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function readTls(settings: TlsSettings | undefined): { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined {
  if (!settings) return undefined;
  const file = (explicit: string | undefined, name: string) => {
    const chosen = explicit ?? (settings.certPath ? path.join(settings.certPath, name) : undefined);
    return chosen && fs.existsSync(chosen) ? fs.readFileSync(chosen) : undefined;
  };
  const material = { ca: file(settings.ca, 'ca.pem'), cert: file(settings.cert, 'cert.pem'), key: file(settings.key, 'key.pem') };
  return material.ca || material.cert || material.key ? material : undefined;
}

/**
 * Never opened: the agent makes every connection. A request with a socketPath is also one that
 * VS Code's proxy support leaves alone; without it, VS Code swaps our agent for its proxy agent
 * in the extension host and the request goes to DNS instead of the relay.
 */
const RELAY_SOCKET_PATH = '/matryoshka/relay.sock';

/** A client whose every HTTP connection is a stream we open (TCP/TLS, ssh channel, container exec). */
export function relayTransport(open: SocketOpener, endpoint: string, parallelRequests: number, limits: StreamAgentOptions = {}): Transport {
  const agent = new StreamAgent(open, limits);
  const docker = new Dockerode({ ...NEUTRAL, socketPath: RELAY_SOCKET_PATH, protocol: 'http', agent } as Dockerode.DockerOptions);
  return { docker, endpoint, openConnections: () => agent.openConnections, parallelRequests, openStream: open, dispose: () => agent.destroy() };
}
