import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import type { ImageSummary } from '../../src/model/healthTypes';
import { formatSize } from '../../src/model/sizes';
import { copyDestinations, imageDescription, imageReference, imageRows, imageTooltipMarkdown } from '../../src/model/images';
import type { ContainerSnapshot } from '../../src/model/snapshot';
import { readJson } from '../support/recorded';
import { recordedGraphSnapshot } from '../support/recordedEngines';

/** The health recording's host containers as snapshots (only what imageRows reads). */
function containers(): ContainerSnapshot[] {
  return readJson<ContainerSummary[]>('health', 'host', 'containers.json').map((summary) => ({ summary, name: (summary.Names?.[0] ?? '').slice(1) }) as ContainerSnapshot);
}

describe('images of an engine from recorded answers', () => {
  it('lists each image with its size and the containers made from it', () => {
    const rows = imageRows(readJson<ImageSummary[]>('health', 'host', 'images.json'), containers());
    assert.deepEqual(rows.map((r) => r.label), ['busybox:latest', 'docker:cli', 'docker:dind']);
    const dind = rows.find((r) => r.label === 'docker:dind');
    assert.ok(dind);
    assert.equal(dind.usedBy.length, 10);
    assert.ok(dind.usedBy.includes('it8-fx-healthy') && dind.usedBy.includes('it8-fx-hostroot'));
    assert.match(imageDescription(dind), /^394 MB · used by it8-fx-healthy, /);
    assert.equal(imageDescription(rows[0]), '1.98 MB · unused');
    assert.deepEqual(rows.find((r) => r.label === 'docker:cli')?.usedBy, ['it8-fx-dood-denied', 'it8-fx-dood-moved', 'it8-fx-dood-same']);
    assert.equal(imageReference(rows[0]), 'busybox:latest');
  });

  it('an inner engine: busybox loaded, used by nothing', () => {
    const rows = imageRows(readJson<ImageSummary[]>('health', 'it8-fx-healthy', 'inner', 'images.json'), []);
    assert.deepEqual(rows.map((r) => [r.label, formatSize(r.size), r.usedBy.length]), [['busybox:latest', '1.98 MB', 0]]);
  });

  it('sizes as the Docker CLI prints them', () => {
    assert.deepEqual([0, 999, 1000, 1984162, 100_000, 394444659, 1.5e9].map((b) => formatSize(b)), ['0 B', '999 B', '1 kB', '1.98 MB', '100 kB', '394 MB', '1.5 GB']);
    assert.deepEqual([512, 64 * 1024, 16 * 1024 * 1024, 1536].map((b) => formatSize(b, true)), ['512 bytes', '64 KiB', '16 MiB', '1.5 KiB'], 'limits in binary units');
  });

  it('tooltips escape engine strings', () => {
    const [row] = imageRows([{ Id: 'sha256:abc', RepoTags: ['evil/[x](command:y):1'], Size: 10 }], []);
    assert.doesNotMatch(imageTooltipMarkdown(row, 'engine'), /\[x\]\(command/);
    assert.equal(row.label, 'evil/[x](command:y):1');
  });

  it('copy destinations: running containers whose own engine answers', async () => {
    const host = await recordedGraphSnapshot();
    assert.deepEqual(copyDestinations(host).map((c) => c.name).sort(), ['fx-dind', 'fx-sysbox']);
  });
});
