import type { EngineApi } from './engineApi';
import { listVolumes, removeVolume } from './engineObjects';

/** Removes a project's container (stopping it first, as `docker compose rm -sf`); anonymous volumes only when asked. */
export async function removeProjectContainer(api: EngineApi, id: string, volumes: boolean): Promise<void> {
  await api.call({
    path: `/containers/${encodeURIComponent(id)}?`,
    method: 'DELETE',
    options: { force: true, v: volumes },
    statusCodes: { 204: true, 404: true, 409: 'conflict', 500: 'server error' },
  });
}

/** Removes the named volumes compose made for a project (labelled with it), as `docker compose down -v`; returns their names. */
export async function removeProjectVolumes(api: EngineApi, project: string): Promise<string[]> {
  const volumes = await listVolumes(api, `com.docker.compose.project=${project}`);
  for (const volume of volumes) await removeVolume(api, volume.Name);
  return volumes.map((v) => v.Name);
}
