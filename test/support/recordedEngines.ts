import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { engineIdentity, type EngineApi } from '../../src/engine/engineApi';
import type { EngineEndpoint } from '../../src/engine/endpoints';
import { EngineGraph, type EngineConnectors } from '../../src/engine/engineGraph';
import type { Connection } from '../../src/engine/engineSession';
import type { ContainerInspect } from '../../src/model/apiTypes';
import { containerName, type EngineSnapshot } from '../../src/model/snapshot';
import { RECORDED, recordedEngine } from './recorded';
import { LOCAL_ENGINE } from './testGraph';

/** A promise a test opens when it wants: requests wait on it while it is closed. */
export class Gate {
  private release: () => void = () => undefined;
  private opened: Promise<void> = Promise.resolve();

  close(): void {
    this.opened = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  pass(): Promise<void> {
    return this.opened;
  }
}

/**
 * One recorded engine answering the calls the engine layer makes (list, inspect, events) with
 * the recordings of test/fixtures/recorded, and keeping a log of them. Inspect and list wait on
 * gates that tests close to hold an engine at a stage.
 */
export class RecordedEngine {
  readonly listGate = new Gate();
  readonly inspectGate = new Gate();
  lists = 0;
  inspectsAnswered = 0;
  inFlightInspects = 0;
  maxInFlightInspects = 0;
  eventStreams = 0;
  private readonly recording;

  constructor(readonly folder: string, private readonly log: string[]) {
    this.recording = recordedEngine(folder);
  }

  connection(label: string, parallelRequests: number): Connection {
    const api = {
      label,
      negotiatedVersion: this.recording.version.ApiVersion,
      listContainers: async () => {
        this.log.push(`${this.folder}: list`);
        await this.listGate.pass();
        this.lists++;
        return this.recording.containers;
      },
      inspectContainer: async (id: string): Promise<ContainerInspect> => {
        this.inFlightInspects++;
        this.maxInFlightInspects = Math.max(this.maxInFlightInspects, this.inFlightInspects);
        await this.inspectGate.pass();
        await new Promise((resolve) => setImmediate(resolve));
        this.inFlightInspects--;
        this.inspectsAnswered++;
        const found = this.recording.inspect.get(id);
        if (!found) throw new Error(`${id} is not in the ${this.folder} recording`);
        return found;
      },
      streamEvents: async () => {
        this.log.push(`${this.folder}: events`);
        this.eventStreams++;
        return new PassThrough();
      },
    } as unknown as EngineApi;
    const transport = {
      docker: undefined as never,
      endpoint: label,
      openConnections: () => 0,
      parallelRequests,
      openStream: () => Promise.reject(new Error('a recording has no byte stream')),
      dispose: () => undefined,
    };
    const identity = engineIdentity(this.recording.info);
    if (identity === undefined) throw new Error(`the ${this.folder} recording has no engine ID`);
    return { api, transport, version: this.recording.version, identity, relay: parallelRequests === 1 ? 'docker system dial-stdio' : undefined };
  }

  nameOf(id: string): string | undefined {
    const summary = this.recording.containers.find((c) => c.Id === id);
    return summary ? containerName(summary) : undefined;
  }
}

/**
 * Connectors for EngineGraph that reach the recorded engines: the host as the root, and the engine
 * inside a container wherever a recording folder is named after that container (fx-dind, ...).
 * Inner engines come "through a relay" (one request at a time), the host in parallel, as for real.
 */
export function recordedConnectors(log: string[] = [], base = ''): { connectors: EngineConnectors; engines: Map<string, RecordedEngine>; log: string[] } {
  const engines = new Map<string, RecordedEngine>();
  const engine = (folder: string) => {
    let found = engines.get(folder);
    if (!found) engines.set(folder, (found = new RecordedEngine(path.join(base, folder), log)));
    return found;
  };
  const byLabel = new Map<string, RecordedEngine>();
  const connectors: EngineConnectors = {
    root: async (endpoint) => {
      const host = engine('host');
      const connection = host.connection(`engine "${endpoint.name}"`, 8);
      byLabel.set(connection.api.label, host);
      return connection;
    },
    inner: async (parent, containerId, label) => {
      const name = byLabel.get(parent.label)?.nameOf(containerId);
      log.push(`connect ${name}`);
      if (!name || !fs.existsSync(path.join(RECORDED, base, name, 'containers.json'))) throw new Error(`no engine answered inside ${label}`);
      const connection = engine(name).connection(label, 1);
      byLabel.set(label, engine(name));
      return connection;
    },
  };
  return { connectors, engines, log };
}

/** A second root engine, not the current one, that answers with the same host recording. */
export const REMOTE_ENGINE: EngineEndpoint = { name: 'remote', host: 'tcp://remote.example:2376', origin: 'setting', current: false };

/**
 * What the extension's own EngineGraph shows of the recorded engines once every engine has been
 * listed: one root per endpoint, each answered by the host recording, inner engines as recorded.
 */
export async function recordedGraphSnapshots(endpoints: EngineEndpoint[] = [LOCAL_ENGINE], base = ''): Promise<EngineSnapshot[]> {
  const graph = graphOver(recordedConnectors([], base).connectors, endpoints);
  try {
    await graph.refreshAll();
    return graph.snapshot();
  } finally {
    graph.dispose();
  }
}

/** The recorded host as the current engine "default", as the EngineGraph shows it. */
export async function recordedGraphSnapshot(): Promise<EngineSnapshot> {
  const [host] = await recordedGraphSnapshots();
  return host;
}

/** An EngineGraph as the extension makes one, reaching engines through `connectors`, with short timers for tests. */
export function graphOver(connectors: EngineConnectors, endpoints: EngineEndpoint[] = [LOCAL_ENGINE], maxDepth = 8): EngineGraph {
  const graph = new EngineGraph({
    sysboxRuntimes: ['sysbox-runc'],
    deadlineMs: 10_000,
    debounceMs: 20,
    reconnect: { initialMs: 200, maxMs: 1000, stableMs: 10_000 },
    maxDepth,
    log: () => undefined,
    connectors,
  });
  graph.setEndpoints(endpoints);
  return graph;
}
