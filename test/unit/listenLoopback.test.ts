import assert from 'node:assert/strict';
import type * as net from 'node:net';
import { describe, it } from 'node:test';
import { listenOnLoopback } from '../../src/engine/portForward';

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe('a forward listens on 127.0.0.1 only', () => {
  it('takes the same port when it is free, another one when it is taken, and refuses a taken port asked for by name', async () => {
    const taken = await listenOnLoopback(() => undefined, 0, false);
    const port = portOf(taken);
    try {
      assert.equal((taken.address() as net.AddressInfo).address, '127.0.0.1');
      const fallback = await listenOnLoopback(() => undefined, port, false);
      assert.notEqual(portOf(fallback), port);
      assert.equal((fallback.address() as net.AddressInfo).address, '127.0.0.1');
      await close(fallback);
      await assert.rejects(listenOnLoopback(() => undefined, port, true), new RegExp(`^Error: 127\\.0\\.0\\.1:${port} is already in use on this machine`));
    } finally {
      await close(taken);
    }
    const same = await listenOnLoopback(() => undefined, port, false);
    assert.equal(portOf(same), port, 'the same number once it is free');
    await close(same);
  });
});
