import type { EngineSnapshot } from '../model/snapshot';
import { resolveTarget, type ContainerTarget } from '../model/targets';
import { containerAddress, portFactsSchema, publishedPort, type PortFacts } from '../model/ports';
import type { EngineApi } from './engineApi';
import { findRelayTool, type Route } from './portRelays';

/** What a forward needs of the engine graph (EngineGraph is one). */
export interface ForwardGraph {
  snapshot(): EngineSnapshot[];
  apiFor(engineKey: string): EngineApi | undefined;
  onDidChange(listener: (engineKey: string) => void): () => void;
}

/** A route, and the container it leads to (whose state explains a connection that ended early). */
export type ChosenRoute = Route & {
  container: { api: EngineApi; id: string; name: string };
  /** The engines whose relays a connection on this route uses, deepest first (see PortForward's warm). */
  engines: EngineApi[];
};

/** The first route (see PortForward) that exists for this container now; an error lists what each lacked. */
export async function chooseRoute(graph: ForwardGraph, target: ContainerTarget, port: number): Promise<ChosenRoute> {
  const resolved = resolveTarget(graph.snapshot(), target);
  const container = resolved.container;
  const api = graph.apiFor(container.engineKey);
  if (!api) throw new Error(`the engine that runs ${container.name} is not connected`);
  const facts = await api.call({
    path: `/containers/${encodeURIComponent(container.id)}/json`,
    method: 'GET',
    statusCodes: { 200: true, 404: 'no such container' },
    schema: portFactsSchema,
  });
  if (!facts.State?.Running) throw new Error(`${container.name} is not running: start it, and the forward resumes`);
  const tried: string[] = [];
  // Root engines come last: a local socket costs nothing to open, but one over ssh does.
  const apis = resolved.engines.map((engine) => graph.apiFor(engine.key)).filter((a): a is EngineApi => a !== undefined);
  const reached = { container: { api, id: container.id, name: container.name }, engines: [...apis].reverse() };
  const inside = await findRelayTool(api, container.id);
  if (inside.tool) {
    return { ...reached, kind: 'exec', description: `${inside.tool.name} in ${container.name}`, api, containerId: container.id, tool: inside.tool, host: '127.0.0.1', port };
  }
  tried.push(`no relay tool in ${container.name} (${inside.tried.join('; ')})`);
  const address = containerAddress(facts);
  const published = publishedPort(facts, port);
  const destinations = [
    ...(address ? [{ host: address, port, what: `its address ${address}` }] : []),
    ...(published ? [{ host: published.host, port: published.port, what: `the published port ${published.host}:${published.port}` }] : []),
  ];
  if (!destinations.length) tried.push(`${container.name} has no network address of its own (${networkMode(facts)}) and does not publish ${port}/tcp`);
  const hostContainer = resolved.chain.length >= 2 ? resolved.chain[resolved.chain.length - 2] : undefined;
  if (hostContainer && destinations.length) {
    const hostApi = graph.apiFor(hostContainer.engineKey);
    const found = hostApi ? await findRelayTool(hostApi, hostContainer.id) : { tool: undefined, tried: ['its engine is not connected'] };
    if (hostApi && found.tool) {
      const to = destinations[0];
      return { ...reached, engines: reached.engines.slice(1), kind: 'exec', description: `${found.tool.name} in ${hostContainer.name} to ${to.what}`, api: hostApi, containerId: hostContainer.id, tool: found.tool, host: to.host, port: to.port };
    }
    tried.push(`no relay tool in ${hostContainer.name}, which runs its engine (${found.tried.join('; ')})`);
  } else if (!hostContainer && destinations.length) {
    const endpoint = resolved.engines[0].endpoint;
    if (endpoint.startsWith('unix://') || endpoint.startsWith('npipe://')) {
      const to = destinations[0];
      return { ...reached, kind: 'direct', description: `${to.what}, from this machine`, host: to.host, port: to.port };
    }
    const remoteHost = tcpHost(endpoint);
    if (published && remoteHost) {
      return { ...reached, kind: 'direct', description: `the published port ${remoteHost}:${published.port}`, host: remoteHost, port: published.port };
    }
    tried.push(`its engine runs on another machine (${endpoint}), whose container network this machine cannot reach`);
  }
  throw new Error(`no way to reach port ${port} of ${container.name}: ${tried.join('; ')}. Install nc, socat or perl in the container, or publish the port.`);
}

function networkMode(facts: PortFacts): string {
  return `network ${facts.HostConfig?.NetworkMode ?? 'unknown'}`;
}

/** The host of a tcp:// endpoint, whose published ports are reachable where the engine is. */
function tcpHost(endpoint: string): string | undefined {
  if (!/^(tcp|https?):\/\//.test(endpoint)) return undefined;
  try {
    return new URL(endpoint.replace(/^tcp:/, 'http:')).hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}
