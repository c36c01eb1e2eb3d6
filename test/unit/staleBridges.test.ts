// What a crash leaves of a bridge (a socket file nobody serves and a context), found and removed
// with real sockets and a real context store; no engine is contacted for either.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bridgeContextName, listBridgeContexts, writeBridgeContext } from '../../src/engine/dockerContexts';
import { EngineBridges, type StoredBridge } from '../../src/engine/engineBridges';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A process listening on `socket`; killed, it leaves the socket file behind as a crash does. */
async function listener(socket: string): Promise<{ kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`]);
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', () => reject(new Error(`the listener on ${socket} exited`)));
  });
  return {
    kill: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('bridges a crash left behind', () => {
  it('finds only contexts whose socket nobody serves, removes their socket and context, and forgets them', async () => {
    const configDir = tempDir('matryoshka-stale-config-');
    const sockets = tempDir('matryoshka-stale-sock-');
    let stored: StoredBridge[] = [
      { engine: 'default', path: ['crashed'], engineKey: 'default/c1' },
      { engine: 'default', path: ['kept'], engineKey: 'default/k1' },
    ];
    const bridges = new EngineBridges({ socketFolders: [sockets], dockerConfigDir: configDir, store: { load: () => stored, save: (list) => (stored = list) }, log: () => undefined, onDidChange: () => undefined });
    const crashed = { name: bridgeContextName('default', ['crashed']), socket: path.join(sockets, 'crashed.sock') };
    const served = { name: bridgeContextName('default', ['served']), socket: path.join(sockets, 'served.sock') };
    const gone = { name: bridgeContextName('default', ['gone']), socket: path.join(sockets, 'gone.sock') };
    const dead = await listener(crashed.socket);
    await dead.kill();
    const live = await listener(served.socket);
    try {
      for (const [entry, key] of [[crashed, 'default/c1'], [served, 'default/s1'], [gone, 'default/g1']] as const) {
        writeBridgeContext(configDir, { name: entry.name, dockerHost: `unix://${entry.socket}`, engineKey: key, label: `default › ${entry.name}` });
      }
      const stale = await bridges.findStale();
      assert.deepEqual(stale.map((s) => s.context).sort(), [crashed.name, gone.name].sort(), 'a served socket (another window) is no leftover; a missing socket file is');
      assert.deepEqual(stale.find((s) => s.context === crashed.name), { context: crashed.name, engineKey: 'default/c1', socket: crashed.socket, label: `default › ${crashed.name}` });

      bridges.forget(stale.map((s) => s.context));
      assert.deepEqual(stored.map((s) => s.path[0]), ['kept'], 'a bridge cleaned up does not come back at the next start');
      assert.deepEqual((await bridges.removeStale(stale)).sort(), [crashed.name, gone.name].sort());
      assert.ok(!fs.existsSync(crashed.socket), 'the stale socket file is removed');
      assert.ok(fs.existsSync(served.socket), 'the served socket stays');
      assert.deepEqual(listBridgeContexts(configDir).map((c) => c.name), [served.name]);
      assert.deepEqual(await bridges.findStale(), []);
    } finally {
      await live.kill();
    }
  });

  it('leaves a context alone whose socket a process serves by the time it is removed', async () => {
    const configDir = tempDir('matryoshka-stale-config-');
    const sockets = tempDir('matryoshka-stale-sock-');
    const bridges = new EngineBridges({ socketFolders: [sockets], dockerConfigDir: configDir, store: { load: () => [], save: () => undefined }, log: () => undefined, onDidChange: () => undefined });
    const name = bridgeContextName('default', ['raced']);
    const socket = path.join(sockets, 'raced.sock');
    writeBridgeContext(configDir, { name, dockerHost: `unix://${socket}`, engineKey: 'default/r1', label: 'default › raced' });
    const stale = await bridges.findStale();
    assert.equal(stale.length, 1);
    // Another window restored it between the question and the answer.
    const live = await listener(socket);
    try {
      assert.deepEqual(await bridges.removeStale(stale), []);
      assert.ok(fs.existsSync(socket));
      assert.deepEqual(listBridgeContexts(configDir).map((c) => c.name), [name]);
    } finally {
      await live.kill();
    }
  });
});
