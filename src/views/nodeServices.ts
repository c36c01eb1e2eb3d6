import { listImages } from '../engine/healthApi';
import type { HealthStore } from './healthStore';
import type { NodeServices } from './nodes/treeNode';
import type { EngineService } from '../services/engineService';

/** What tree nodes may ask for: badges from the health store, images from the listed engines. */
export function nodeServices(controller: EngineService, health: HealthStore, bridged?: (engineKey: string) => boolean): NodeServices {
  return {
    bridged,
    badgeFor: (nodeId) => health.badgeFor(nodeId),
    warningFor: (engineKey) => controller.warningFor(engineKey),
    listImages: async (engineKey) => {
      const api = controller.apiFor(engineKey);
      if (!api) throw new Error('the engine is not connected; refresh to reconnect');
      return listImages(api);
    },
  };
}
