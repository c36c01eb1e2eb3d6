import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { workspaceRemoval } from '../../src/model/workspaceRemoval';
import { recordedGraphSnapshot } from '../support/recordedEngines';

describe('what removing a workspace takes and keeps', () => {
  let host: EngineSnapshot;
  before(async () => {
    host = await recordedGraphSnapshot();
  });
  const container = (name: string): ContainerSnapshot => {
    const found = host.containers.find((c) => c.name === name);
    assert.ok(found, `${name} is recorded`);
    return found;
  };

  it('a DinD: the containers inside it by name, its volumes, and its image cache with them', () => {
    const dind = container('fx-dind');
    const inside = dind.inner?.containers.map((c) => c.name) ?? [];
    assert.ok(inside.length >= 2, 'the recording has containers inside fx-dind');
    const removal = workspaceRemoval(dind, ['fx-dind-var-lib-docker'], 'engine "default"');
    assert.match(removal.removes[0], /^container fx-dind \(and the \d+ containers inside it: /);
    for (const name of inside) assert.ok(removal.removes[0].includes(name), `${name} is named`);
    assert.deepEqual(removal.removes.slice(1), ['volume fx-dind-var-lib-docker']);
    assert.deepEqual(removal.keeps, ["The inner engine's image cache goes with its volume."]);
  });

  it('a DooD workspace: no inner engine and no image cache of its own; what it started stays', () => {
    const removal = workspaceRemoval(container('fx-dood'), [], 'engine "default"');
    assert.deepEqual(removal.removes, ['container fx-dood']);
    assert.equal(removal.keeps.length, 1);
    assert.match(removal.keeps[0], /^What fx-dood started on engine "default" runs beside it, not inside it: those containers stay\.$/);
    assert.ok(!removal.keeps.some((k) => /image cache/.test(k)), 'nothing about an image cache');
    assert.ok(!removal.keeps.some((k) => /docker\.sock/.test(k)), 'the socket is no folder of the user');
  });

  it('what a half-finished launch left: volumes alone', () => {
    assert.deepEqual(workspaceRemoval(undefined, ['ws-certs', 'ws-var-lib-docker'], 'engine "default"'), { removes: ['volume ws-certs', 'volume ws-var-lib-docker'], keeps: [] });
  });
});
