import Dockerode from 'dockerode';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { expandHome, type EngineEndpoint } from './endpoints';
import type { HostKeyChecker } from './hostKeys';
import { SshConnection, parseSshHost } from './sshConnection';
import { StreamAgent, type SocketOpener, type StreamAgentOptions } from './streamAgent';
import { rootEngineLabel } from '../model/targets';

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

export function transportForEndpoint(endpoint: EngineEndpoint, log: (message: string) => void, hostKeys?: HostKeyChecker): Transport {
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
    const ssh = new SshConnection(parseSshHost(url, endpoint.identityFile), log, hostKeys);
    const transport = relayTransport(() => ssh.openRelay(), url, 1);
    return { ...transport, dispose: () => (transport.dispose(), ssh.dispose()) };
  }
  throw new Error(`${rootEngineLabel(endpoint.name)}: unsupported host "${url}" (use unix://, tcp:// or ssh://)`);
}

function tcpTransport(endpoint: EngineEndpoint): Transport {
  const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
  // Once TLS is asked for in any way it is never given up: a missing file is an error, not plaintext.
  const secure = endpoint.tls !== undefined || url.protocol === 'https:' || url.port === '2376';
  const material = secure ? readTlsMaterial(endpoint) : {};
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (secure ? 2376 : 2375));
  const verify = endpoint.tls?.verify !== false;
  const open = (): Promise<Duplex> =>
    secure
      ? connected(tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...material, rejectUnauthorized: verify }), 'secureConnect', (error) => tlsError(endpoint, `${host}:${port}`, error))
      : connected(net.connect({ host, port }), 'connect');
  const transport = relayTransport(open, `${secure ? 'tcp+tls' : 'tcp'}://${url.hostname}:${port}`, 8);
  return { ...transport, openStream: open };
}

/** Resolves with the socket once it is connected (`ready`: connect, or secureConnect for TLS); `explain` words a failure. */
function connected(socket: net.Socket, ready: 'connect' | 'secureConnect', explain: (error: NodeJS.ErrnoException) => Error = (error) => error): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(explain(error));
    socket.once(ready, () => {
      socket.removeListener('error', fail);
      resolve(socket);
    });
    socket.once('error', fail);
  });
}

/** TLS failures say which engine refused whom and why, in words a person can act on. */
function tlsError(endpoint: EngineEndpoint, address: string, error: NodeJS.ErrnoException): Error {
  const untrusted = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(error.code ?? '');
  if (!untrusted) return error;
  return new Error(
    `${rootEngineLabel(endpoint.name)}: the TLS certificate of ${address} is not signed by the CA Matryoshka trusts for it ` +
      `(${error.code}: ${error.message}); refused to connect. Check the engine's ca.pem, or that this is the engine you meant.`,
  );
}

interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/**
 * The CA and client certificate of a TLS endpoint. A folder or file the settings name that is not
 * there is an error naming it. ca.pem may be absent only for a Docker context (the CLI then trusts
 * the system's CAs) or when verification is off; cert.pem and key.pem come as a pair or not at all.
 */
function readTlsMaterial(endpoint: EngineEndpoint): TlsMaterial {
  const settings = endpoint.tls ?? {};
  const fail = (what: string) => {
    throw new Error(`${rootEngineLabel(endpoint.name)}: TLS is required, but ${what}. Fix the engine's "tls" setting or DOCKER_CERT_PATH; Matryoshka never falls back to plain TCP.`);
  };
  const folder = settings.certPath ? expandHome(settings.certPath) : undefined;
  if (folder && !fs.existsSync(folder)) fail(`the certificate folder ${folder} does not exist`);
  const fileOf = (explicit: string | undefined, name: string) => (explicit ? expandHome(explicit) : folder ? path.join(folder, name) : undefined);
  const files = { ca: fileOf(settings.ca, 'ca.pem'), cert: fileOf(settings.cert, 'cert.pem'), key: fileOf(settings.key, 'key.pem') };
  const present = (file: string | undefined) => file !== undefined && fs.existsSync(file);
  const required = {
    ca: settings.ca !== undefined || (folder !== undefined && settings.verify !== false && endpoint.origin !== 'context'),
    cert: settings.cert !== undefined || present(files.key),
    key: settings.key !== undefined || present(files.cert),
  };
  const material: TlsMaterial = {};
  for (const name of ['ca', 'cert', 'key'] as const) {
    const file = files[name];
    if (file && present(file)) material[name] = fs.readFileSync(file);
    else if (required[name]) fail(`the file ${file} does not exist`);
  }
  return material;
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
