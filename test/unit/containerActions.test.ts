import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { actionTargets, isInside, removeConfirmation } from '../../src/model/containerActions';
import { resolveTarget, type ResolvedTarget } from '../../src/model/targets';
import { recordedGraphSnapshots } from '../support/recordedEngines';

let at: (...path: string[]) => ResolvedTarget;
let DIND: ResolvedTarget;
let CHILD: ResolvedTarget;
let INNER: ResolvedTarget;
let GRANDCHILD: ResolvedTarget;
let PLAIN: ResolvedTarget;
let SYSBOX_CHILD: ResolvedTarget;

before(async () => {
  const roots = await recordedGraphSnapshots();
  at = (...path: string[]): ResolvedTarget => resolveTarget(roots, { path });
  DIND = at('fx-dind');
  CHILD = at('fx-dind', 'fx-child');
  INNER = at('fx-dind', 'fx-dind-inner');
  GRANDCHILD = at('fx-dind', 'fx-dind-inner', 'fx-grandchild');
  PLAIN = at('fx-plain');
  SYSBOX_CHILD = at('fx-sysbox', 'fx-sysbox-child');
});

const names = (targets: ResolvedTarget[]) => targets.map((t) => t.container.name);

describe('multi-select actions on the recorded engines', () => {
  it('knows which containers run inside which, at any depth', () => {
    assert.ok(isInside(CHILD, DIND));
    assert.ok(isInside(GRANDCHILD, DIND));
    assert.ok(isInside(GRANDCHILD, INNER));
    assert.ok(!isInside(DIND, GRANDCHILD));
    assert.ok(!isInside(SYSBOX_CHILD, DIND));
    assert.ok(!isInside(PLAIN, DIND));
    assert.ok(!isInside(DIND, DIND));
  });

  it('acts on each selected container once', () => {
    assert.deepEqual(names(actionTargets('start', [PLAIN, at('fx-plain'), SYSBOX_CHILD])), ['fx-plain', 'fx-sysbox-child']);
  });

  it('stops and removes a host without also acting on the containers inside it that are selected', () => {
    const selection = [GRANDCHILD, PLAIN, DIND, CHILD];
    assert.deepEqual(names(actionTargets('remove', selection)), ['fx-plain', 'fx-dind']);
    assert.deepEqual(names(actionTargets('stop', selection)), ['fx-plain', 'fx-dind']);
    assert.deepEqual(names(actionTargets('start', selection)), ['fx-grandchild', 'fx-plain', 'fx-dind', 'fx-child']);
    assert.deepEqual(names(actionTargets('restart', selection)), ['fx-grandchild', 'fx-plain', 'fx-dind', 'fx-child']);
  });

  it('asks about one container by its full path', () => {
    assert.deepEqual(removeConfirmation([GRANDCHILD]), {
      message: 'Remove fx-grandchild?',
      detail: 'default › fx-dind › fx-dind-inner › fx-grandchild\n\nRunning containers are stopped first; their anonymous volumes are removed too.',
    });
  });

  it('lists every selected container, and what goes along with one that runs an engine', () => {
    const { message, detail } = removeConfirmation([PLAIN, DIND, GRANDCHILD, SYSBOX_CHILD]);
    assert.equal(message, 'Remove 3 containers?');
    assert.equal(
      detail,
      [
        'default › fx-plain',
        'default › fx-dind: runs an engine with 3 containers inside, which go with it (fx-grandchild among them)',
        'default › fx-sysbox › fx-sysbox-child',
        '',
        '6 containers in all.',
        '',
        'Running containers are stopped first; their anonymous volumes are removed too.',
      ].join('\n'),
    );
  });

  it('says "1 container" for an engine with one container inside', () => {
    assert.match(removeConfirmation([INNER]).detail, /^default › fx-dind › fx-dind-inner: runs an engine with 1 container inside, which goes with it\n\n2 containers in all\./);
  });
});
