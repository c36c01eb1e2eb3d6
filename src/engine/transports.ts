import Dockerode from 'dockerode';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { EngineEndpoint, TlsSettings } from './endpoints';
import { SshConnection, parseSshHost } from './sshConnection';
import { StreamAgent, type SocketOpener } from './streamAgent';

/** A Dockerode client and what must be closed with it. */
export interface Transport {
  docker: Dockerode;
  /** Human-readable endpoint, shown in the tree (never secrets). */
  endpoint: string;
  /** Relay connections open now, for transports made of relays (ssh, exec). */
  openConnections(): number;
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
    return { docker, endpoint: url, openConnections: () => 0, dispose: () => undefined };
  }
  if (url.startsWith('tcp://') || url.startsWith('https://') || url.startsWith('http://')) {
    return tcpTransport(endpoint);
  }
  if (url.startsWith('ssh://')) {
    const ssh = new SshConnection(parseSshHost(url, endpoint.identityFile), log);
    const transport = relayTransport(() => ssh.openRelay(), url);
    return { ...transport, dispose: () => (transport.dispose(), ssh.dispose()) };
  }
  throw new Error(`engine "${endpoint.name}": unsupported host "${url}" (use unix://, tcp:// or ssh://)`);
}

function tcpTransport(endpoint: EngineEndpoint): Transport {
  const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
  const tls = readTls(endpoint.tls);
  const secure = tls !== undefined || url.protocol === 'https:' || url.port === '2376';
  const port = url.port || (secure ? '2376' : '2375');
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxFreeSockets: 2, ...tls, rejectUnauthorized: endpoint.tls?.verify !== false })
    : undefined;
  const docker = new Dockerode({
    ...NEUTRAL,
    host: url.hostname,
    port,
    protocol: secure ? 'https' : 'http',
    ...(tls ?? {}),
    agent,
  } as Dockerode.DockerOptions);
  return {
    docker,
    endpoint: `${secure ? 'tcp+tls' : 'tcp'}://${url.hostname}:${port}`,
    openConnections: () => 0,
    dispose: () => agent?.destroy(),
  };
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

/** A client whose every HTTP connection is a relay stream we open (ssh channel or container exec). */
export function relayTransport(open: SocketOpener, endpoint: string): Transport {
  const agent = new StreamAgent(open);
  // host/port only make a syntactically valid request URL: the agent decides where bytes go.
  const docker = new Dockerode({ ...NEUTRAL, host: 'docker', port: '80', protocol: 'http', agent } as Dockerode.DockerOptions);
  return { docker, endpoint, openConnections: () => agent.openConnections, dispose: () => agent.destroy() };
}
