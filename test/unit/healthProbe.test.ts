// The probe container of Engine Health on an engine whose image goes between the listing and the
// create (test/support/hostileEngine.ts, mode imageGone: the recorded listing, then the answer a
// real engine gives for a create from an image it does not have).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { EngineApi } from '../../src/engine/engineApi';
import { runProbe } from '../../src/engine/healthApi';
import { checkProbe } from '../../src/model/healthChecks';
import { startHostileEngine, type HostileEngine } from '../support/hostileEngine';

describe('the health probe container', () => {
  let engine: HostileEngine | undefined;
  after(async () => engine?.close());

  it('an image listed and then gone when the probe is created gives the no-image advice, not a failure', async () => {
    engine = await startHostileEngine('imageGone');
    const api = new EngineApi(new Dockerode({ socketPath: engine.socketPath }), { label: 'engine "gone"', deadlineMs: 5000 });
    await api.negotiate();
    const probe = await runProbe(api);
    assert.ok(engine.requests.some((r) => r.startsWith('POST /containers/create')), `a create was tried: ${engine.requests.join(', ')}`);
    assert.deepEqual(probe, { kind: 'no-image' });
    const result = checkProbe({ subject: 'engine "gone"', probe });
    assert.equal(result?.status, 'warn');
    assert.match(result?.fix ?? '', /^Copy an image into it/);
  });
});
