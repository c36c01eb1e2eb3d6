import type { VersionInfo } from '../model/apiTypes';
import { demuxStream } from './streamDemux';
import { EngineApi, type Deadline } from './engineApi';
import { relayTransport, type Transport } from './transports';
import { TunnelSocket } from './tunnelSocket';

/**
 * Programs that can carry the Engine API over an exec's stdin/stdout, tried in order. The Docker
 * CLI's dial-stdio is present in every docker:dind-like image; socat covers images that run
 * dockerd without the CLI.
 */
export const RELAYS: ReadonlyArray<{ name: string; cmd: string[] }> = [
  { name: 'docker system dial-stdio', cmd: ['docker', 'system', 'dial-stdio'] },
  { name: 'socat', cmd: ['socat', '-', 'UNIX-CONNECT:/var/run/docker.sock'] },
];

/**
 * Relay processes one inner engine may run in its container at once: the pool (4, event stream
 * included) plus what is upgraded through it (terminals, log views, and one per open connection of
 * each engine nested deeper, each of which keeps at most two at rest). Well above what a busy tree
 * uses; it turns a runaway into an error on one row instead of processes piling up in a container.
 */
export const MAX_RELAYS_PER_CONTAINER = 32;

/** The container has no program that can relay to its engine: retrying will not help. */
export class NoRelayError extends Error {
  readonly permanent = true;
}

/**
 * The relay reached an engine the graph already shows (the container mounts that engine's socket,
 * whatever its image or flags say): it is not an engine of its own, and nesting it would list the
 * same containers again, without end.
 */
export class EngineAliasError extends Error {
  readonly permanent = true;
  constructor(readonly containerName: string, readonly aliasOf: string) {
    super(`the socket inside ${containerName} answers as engine "${aliasOf}": it is that engine, not one of its own`);
  }
}

export interface InnerConnection {
  api: EngineApi;
  transport: Transport;
  version: VersionInfo;
  identity: string;
  relay: string;
}

export interface ExecStream {
  /** The process's stdin (write) and stdout (read) as one socket-like stream; end() half-closes stdin. */
  socket: TunnelSocket;
  execId: string;
}

/**
 * The one opener of byte streams into a container, at any depth (`api` is the API of the engine
 * that runs it): an exec of `cmd` whose stdin and stdout carry the bytes. The Engine API relays of
 * inner engines are such streams that speak HTTP (`expectHttp`); a bridged engine or a forwarded
 * port are raw ones.
 */
export async function openExecStream(api: EngineApi, containerId: string, cmd: string[], label: string, expectHttp: boolean): Promise<ExecStream> {
  const execId = await api.createExec(containerId, {
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Cmd: cmd,
  });
  const raw = await api.startExecHijacked(execId, false);
  const { stdout, stderr } = demuxStream(raw);
  return { socket: new TunnelSocket(raw, stdout, stderr, label, expectHttp), execId };
}

/**
 * Reaches the engine inside a container through the engine that runs it: an exec of a relay whose
 * stdin/stdout carry the Engine API. No port is published and the container need not be ours.
 * Works at any depth, because `parent` may itself be an inner engine's API.
 */
export async function connectInnerEngine(
  parent: EngineApi,
  containerId: string,
  label: string,
  deadlineMs: Deadline,
): Promise<InnerConnection> {
  const failures: string[] = [];
  let anyRelayRan = false;
  for (const relay of RELAYS) {
    let last: ExecStream | undefined;
    const name = `${relay.name} in ${label}`;
    const pooled = relayTransport(async () => {
      last = await openExecStream(parent, containerId, relay.cmd, name, true);
      return last.socket;
    }, `exec: ${relay.name}`, 1, { maxOpen: MAX_RELAYS_PER_CONTAINER, label });
    const transport: Transport = { ...pooled, openStream: async () => (await openExecStream(parent, containerId, relay.cmd, name, false)).socket };
    const api = new EngineApi(transport.docker, { label, deadlineMs });
    try {
      const version = await api.negotiate();
      const identity = await api.identity();
      return { api, transport, version, identity, relay: relay.name };
    } catch (error) {
      transport.dispose();
      const why = await explainFailure(parent, last, error as Error);
      if (!why.missing) anyRelayRan = true;
      failures.push(`${relay.name}: ${why.text}`);
    }
  }
  const summary = failures.join('; ');
  if (!anyRelayRan) {
    throw new NoRelayError(`no relay to an engine inside ${label} (${summary}). Install the docker CLI or socat in the container.`);
  }
  throw new Error(`no engine answered inside ${label} (${summary})`);
}

async function explainFailure(
  parent: EngineApi,
  attempt: ExecStream | undefined,
  error: Error,
): Promise<{ text: string; missing: boolean }> {
  if (!attempt) return { text: error.message, missing: false };
  let exitCode: number | null | undefined;
  try {
    // The relay has usually exited by now; its exit code tells "not installed" from "no engine".
    for (let i = 0; i < 5; i++) {
      const state = await parent.inspectExec(attempt.execId);
      exitCode = state.ExitCode;
      if (!state.Running) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch {
    // The exec is gone with its container: the error we already have says enough.
  }
  const stderr = attempt.socket.stderrText;
  const missing = exitCode === 126 || exitCode === 127 || /executable file not found/i.test(stderr);
  const detail = stderr || (exitCode !== undefined && exitCode !== null ? `exited with ${exitCode}` : error.message);
  return { text: missing ? `not installed (${detail})` : detail, missing };
}
