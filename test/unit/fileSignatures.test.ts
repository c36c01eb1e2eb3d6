import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { containerGone, containerIdGone, FileSignatures } from '../../src/model/fileSignatures';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { recordedGraphSnapshots } from '../support/recordedEngines';

describe('file signatures (what a container file looked like when read)', () => {
  it('holds at most its limit, dropping the entry used longest ago', () => {
    const seen = new FileSignatures(3);
    for (let i = 0; i < 1000; i++) seen.set(`file-${i}`, `${i}:0:420`);
    assert.equal(seen.size, 3);
    assert.deepEqual(seen.keys(), ['file-997', 'file-998', 'file-999']);
    // Setting an entry again makes it the newest: the next one in pushes out another.
    seen.set('file-997', 'changed');
    seen.set('file-1000', 'x');
    assert.deepEqual(seen.keys(), ['file-999', 'file-997', 'file-1000']);
    assert.equal(seen.get('file-997'), 'changed');
    assert.equal(seen.has('file-998'), false);
  });

  it('retain keeps only what its predicate keeps; delete drops one', () => {
    const seen = new FileSignatures(10);
    for (const key of ['a/-/x', 'a/-/y', 'b/-/x']) seen.set(key, key);
    seen.retain((key) => !key.startsWith('a/'));
    assert.deepEqual(seen.keys(), ['b/-/x']);
    seen.delete('b/-/x');
    assert.equal(seen.size, 0);
  });

  it('refuses a limit that could hold nothing', () => {
    assert.throws(() => new FileSignatures(0), RangeError);
  });
});

describe('which containers are known to be gone (their signatures and file handlers are dropped)', () => {
  let recorded: EngineSnapshot[] = [];
  before(async () => {
    recorded = await recordedGraphSnapshots();
  });
  const deep = ['fx-dind', 'fx-dind-inner', 'fx-grandchild'];

  it('a listed container at any depth is not gone; an unlisted one or an unknown engine is', () => {
    assert.equal(containerGone(recorded, 'default', deep), false);
    assert.equal(containerGone(recorded, 'default', ['fx-dind', 'fx-dind-inner', 'no-such-container']), true);
    assert.equal(containerGone(recorded, 'no-such-engine', ['fx-dind']), true);
    const inner = recorded[0].containers.find((c) => c.name === 'fx-dind')?.inner?.containers.find((c) => c.name === 'fx-dind-inner')?.inner;
    assert.ok(inner);
    const grandchild = inner.containers.find((c) => c.name === 'fx-grandchild');
    assert.ok(grandchild);
    assert.equal(containerIdGone(recorded, inner.key, grandchild.id), false);
    assert.equal(containerIdGone(recorded, inner.key, 'f'.repeat(64)), true);
  });

  it('an engine on the way that cannot be reached now proves nothing', () => {
    const roots = structuredClone(recorded);
    const inner = roots[0].containers.find((c) => c.name === 'fx-dind')?.inner;
    assert.ok(inner);
    inner.status = { kind: 'disconnected', reason: 'relay closed', permanent: false };
    inner.containers = [];
    assert.equal(containerGone(roots, 'default', deep), false);
    assert.equal(containerIdGone(roots, inner.key, 'f'.repeat(64)), false);
  });
});
