// Which run a test container belongs to (test/support/runId.ts): the rules that keep two runs on one
// engine from sharing, or removing, each other's fixture.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEPT_RUN_ID, freshRunId, runIdFrom } from '../support/runId';

describe('the run id of test fixtures', () => {
  it('is the one npm test hands down, so every suite of a run shares its fixture', () => {
    assert.equal(runIdFrom({ MATRYOSHKA_RUN_ID: 'k3f9' }), 'k3f9');
    assert.equal(runIdFrom({ MATRYOSHKA_RUN_ID: 'k3f9', MATRYOSHKA_KEEP_FIXTURE: '1' }), 'k3f9');
  });

  it('is the stable kept id for a developer who keeps the fixture, and fresh for one who does not', () => {
    assert.equal(runIdFrom({ MATRYOSHKA_KEEP_FIXTURE: '1' }), KEPT_RUN_ID);
    const ids = new Set(Array.from({ length: 50 }, () => runIdFrom({})));
    assert.ok(ids.size >= 49, `fresh ids repeat: ${[...ids].join(' ')}`);
    for (const id of ids) assert.match(id, /^[a-z0-9]{4}$/);
    assert.ok(!ids.has(KEPT_RUN_ID));
  });

  it('refuses an id that could not be part of a container name or a label filter', () => {
    for (const bad of ['K3F9', 'a b', 'a,label=x', '123456789', 'a/b']) {
      assert.throws(() => runIdFrom({ MATRYOSHKA_RUN_ID: bad }), /MATRYOSHKA_RUN_ID=.*use 1 to 8 lower-case letters or digits/);
    }
  });

  it('fresh ids are short (tree rows, screenshots)', () => {
    for (let i = 0; i < 200; i++) assert.match(freshRunId(), /^[a-z0-9]{4}$/);
  });
});
