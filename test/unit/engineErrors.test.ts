import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { innermostCause } from '../../src/engine/containerExec';

describe('innermostCause', () => {
  it('keeps what the last engine of a chain said (message seen when a DinD was removed under an open terminal)', () => {
    const chain = 'ft-root › ft-dind: GET /exec/3f707bcb6ddd/json failed (HTTP 500): engine "ft-root": POST /exec/31bc38e4071b/start failed (HTTP 500): (HTTP code 500) unexpected - Container 4a8a667ed8a0 is not running: Removal In Progress ';
    assert.equal(innermostCause(chain), 'Container 4a8a667ed8a0 is not running: Removal In Progress');
  });

  it('leaves a message without a chain as it is', () => {
    assert.equal(innermostCause('socket hang up'), 'socket hang up');
  });
});
