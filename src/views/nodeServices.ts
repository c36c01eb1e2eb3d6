import { listImages } from '../engine/healthApi';
import type { HealthStore } from './healthStore';
import type { NodeServices } from './nodes/treeNode';
import type { FileBrowser } from './nodes/filesNode';
import type { EngineService } from '../services/engineService';

/** What tree nodes may ask for: badges from the health store, images from the listed engines. */
export function nodeServices(controller: EngineService, health: HealthStore, files?: FileBrowser): NodeServices {
  return {
    files,
    badgeFor: (nodeId) => health.badgeFor(nodeId),
    warningFor: (engineKey) => controller.warningFor(engineKey),
    listImages: async (engineKey) => {
      const api = controller.apiFor(engineKey);
      if (!api) throw new Error('the engine is not connected; refresh to reconnect');
      return listImages(api);
    },
  };
}
