import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { CERTIFICATE_GRACE_MS, pruneClientCertificates, safeSegment } from '../../src/engine/clientCertificates';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-certs-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A workspace's certificate folder as a launch leaves it, under the engine labelled `engine`. */
function certificates(engine: string, container: string, ageMs: number): string {
  const dir = path.join(root, safeSegment(engine), safeSegment(container));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'key.pem'), 'k');
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(dir, 'key.pem'), at, at);
  fs.utimesSync(dir, at, at);
  fs.utimesSync(path.dirname(dir), at, at);
  return dir;
}

describe('client certificates of engines whose container is gone', () => {
  const old = CERTIFICATE_GRACE_MS * 2;

  it('removes the folder of an engine inside a container that left its listed engine, and keeps the rest', () => {
    const goneEngine = certificates('default › ci-runner', 'build-42', old);
    const deeper = certificates('default › ci-runner › inner', 'w', old);
    const stillThere = certificates('default › keeper', 'w', old);
    const young = certificates('default › fresh', 'w', 0);
    const underOffline = certificates('remote › gone', 'w', old);
    const owners = [
      { label: 'default', containerNames: ['keeper', 'fresh'] },
      { label: 'remote', containerNames: undefined },
    ];
    const removed = pruneClientCertificates(root, owners);
    assert.deepEqual(removed.sort(), [path.dirname(goneEngine), path.dirname(deeper)].sort());
    for (const kept of [stillThere, young, underOffline]) assert.ok(fs.existsSync(kept), `${kept} is kept`);
  });
});
