import { Transform } from 'node:stream';
import type { EngineApi } from './engineApi';
import { exportImage, loadImage } from './engineObjects';

/**
 * Streams an image from one engine into another (`docker save | docker load` without the CLI and
 * without a temporary file). Inner engines never share their parent's image cache and often
 * cannot pull: this is how they are seeded. `onBytes` gets the running total.
 */
export async function copyImage(from: EngineApi, to: EngineApi, image: string, onBytes: (total: number) => void, signal?: AbortSignal): Promise<{ bytes: number; loaded: string[] }> {
  const source = await exportImage(from, image, signal);
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      callback(null, chunk);
    },
  });
  source.once('error', (error) => counter.destroy(error));
  source.pipe(counter);
  try {
    const loaded = await loadImage(to, counter, signal);
    return { bytes: total, loaded };
  } finally {
    source.destroy();
  }
}
