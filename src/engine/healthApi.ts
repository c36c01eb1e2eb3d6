import type { ImageSummary, NetworkInspect, ProbeOutcome } from '../model/healthTypes';
import { EngineApiError, type EngineApi } from './engineApi';
import { idSchema, networkSchema, waitSchema } from '../model/apiSchemas';
import { listImages, logTail } from './engineObjects';

// Health gathering uses the general calls; re-exported so its importers need not change.
export { listImages, logTail };

/** The label that marks probe containers, so a leftover one can be recognised (and it is always removed). */
export const PROBE_LABEL = 'dev.matryoshka.probe';
/** Images whose `true` is known to exist, in order of preference (busybox is the smallest). */
const PROBE_IMAGES = [/^busybox(:|$)/, /^alpine(:|$)/, /^(docker|debian|ubuntu)(:|$)/];


export async function inspectNetwork(api: EngineApi, name: string): Promise<NetworkInspect | undefined> {
  try {
    return await api.call({ path: `/networks/${encodeURIComponent(name)}`, method: 'GET', statusCodes: { 200: true, 404: 'no such network' }, schema: networkSchema });
  } catch {
    return undefined;
  }
}


export function probeImage(images: readonly ImageSummary[]): string | undefined {
  const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  for (const pattern of PROBE_IMAGES) {
    const found = tags.find((t) => pattern.test(t));
    if (found) return found;
  }
  return undefined;
}

/**
 * Creates, starts and waits for a container that runs `true` on the engine, and removes it
 * whatever happens: whether the engine can really run containers (cgroups, mounts, seccomp),
 * which `docker info` cannot tell.
 */
export async function runProbe(api: EngineApi): Promise<ProbeOutcome> {
  const image = probeImage(await listImages(api));
  if (!image) return { kind: 'no-image' };
  let id: string | undefined;
  let stage: 'create' | 'start' | 'wait' = 'create';
  try {
    const created = (await api.call({
      path: '/containers/create',
      method: 'POST',
      options: { Image: image, Cmd: ['true'], Labels: { [PROBE_LABEL]: 'health' }, HostConfig: { NetworkMode: 'none' } },
      statusCodes: { 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
      schema: idSchema,
    }));
    id = created.Id;
    stage = 'start';
    await api.call({ path: `/containers/${id}/start`, method: 'POST', statusCodes: { 204: true, 304: true, 404: 'no such container', 500: 'server error' } });
    stage = 'wait';
    const waited = await api.call({ path: `/containers/${id}/wait`, method: 'POST', statusCodes: { 200: true, 404: 'no such container', 500: 'server error' }, schema: waitSchema });
    return { kind: 'ran', image, exitCode: waited.StatusCode ?? -1 };
  } catch (error) {
    // The image went between the listing and the create (removed, or pruned): the engine has no
    // image for a probe, which is not a failure of the engine.
    if (stage === 'create' && error instanceof EngineApiError && error.statusCode === 404) return { kind: 'no-image' };
    return { kind: 'failed', image, stage, message: (error as Error).message };
  } finally {
    if (id) await api.containerAction(id, 'remove').catch(() => undefined);
  }
}
