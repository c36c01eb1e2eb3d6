import { inspectedPorts, listeningPorts, portFactsSchema, type PortProposal } from '../model/ports';
import { runExec } from './containerExec';
import type { EngineApi } from './engineApi';

/**
 * The ports worth offering for a container: exposed and published ones from inspect, and those
 * its kernel lists as listening (read with `cat` where the image has it; an image without it
 * offers only what inspect says, and the person can still type a port).
 */
export async function proposePorts(api: EngineApi, containerId: string): Promise<PortProposal[]> {
  const facts = await api.call({ path: `/containers/${encodeURIComponent(containerId)}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such container' }, schema: portFactsSchema });
  const proposals = new Map(inspectedPorts(facts).map((p) => [p.port, p]));
  if (facts.State?.Running) {
    const listed = await runExec(api, containerId, ['cat', '/proc/net/tcp', '/proc/net/tcp6']).catch(() => undefined);
    for (const port of listeningPorts(listed?.stdout ?? '')) {
      const known = proposals.get(port);
      proposals.set(port, { port, source: known ? `${known.source}, listening` : 'listening' });
    }
  }
  return [...proposals.values()].sort((a, b) => a.port - b.port);
}
