import { listImages } from '../engine/healthApi';
import type { HealthStore } from './healthStore';
import type { NodeServices } from './nodes/treeNode';
import type { FileBrowser } from './nodes/filesNode';
import type { EngineService } from '../services/engineService';
import type { PortForwards } from '../services/portForwards';
import type { ContainerActivity } from '../services/containerActivity';

/** What tree nodes may ask for: badges from the health store, images from the listed engines. */
export function nodeServices(
  engineService: EngineService,
  health: HealthStore,
  rooms: { forwards?: PortForwards; files?: FileBrowser; bridged?: (engineKey: string) => boolean; activity?: ContainerActivity } = {},
): NodeServices {
  const { forwards, files, bridged, activity } = rooms;
  return {
    activityOf: (engineKey, containerId) => activity?.of(engineKey, containerId),
    forwardsOf: (target) => forwards?.forwardsOf(target) ?? [],
    files,
    bridged,
    badgeFor: (nodeId) => health.badgeFor(nodeId),
    warningFor: (engineKey) => engineService.warningFor(engineKey),
    listImages: async (engineKey) => {
      const api = engineService.apiFor(engineKey);
      if (!api) throw new Error('the engine is not connected; refresh to reconnect');
      return listImages(api);
    },
  };
}
