// Use This Engine from the Host: a socket and a Docker context for an engine two levels down.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { bridgeContextName, dockerConfigDir, removeBridgeContext, writeBridgeContext } from '../../src/engine/dockerContexts';
import type { BridgeInfo } from '../../src/engine/engineBridges';
import { resolveEngine } from '../../src/model/targets';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { NAMES, fixturePath } from '../support/nestedFixture';
import { apiWithFixture, runFromMenu, withWindowStub } from './matryoshkaApi';

/** The Docker CLI on the host, as a person's terminal runs it (the extension host's environment). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.DOCKER_HOST;
    delete base.DOCKER_CONTEXT;
    execFile('docker', args, { env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`docker ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

async function row(matryoshka: MatryoshkaApi, names: string[]): Promise<{ node: TreeNode; item: vscode.TreeItem }> {
  const provider = matryoshka.view.provider;
  let node = (await provider.getChildren(undefined)).find((n) => /engine-connected/.test(provider.getTreeItem(n).contextValue ?? ''));
  assert.ok(node, 'the host engine is shown');
  for (const name of names) {
    const children: TreeNode[] = await provider.getChildren(node);
    node = children.find((n) => provider.getTreeItem(n).label === name);
    assert.ok(node, `${name} is shown`);
  }
  return { node, item: provider.getTreeItem(node) };
}

describe('Use This Engine from the Host', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;
  const DEPTH2 = [NAMES.dind, NAMES.dindInner];

  before(async () => {
    matryoshka = await apiWithFixture();
  });

  it('the command on a DinD row makes a socket and a context the Docker CLI uses, and the row shows it', async () => {
    const { node, item } = await row(matryoshka, DEPTH2);
    assert.doesNotMatch(item.contextValue ?? '', /bridged/);
    const { result, errors } = await runFromMenu('matryoshka.bridgeEngine', node, [node]);
    assert.deepEqual(errors, []);
    const info = result as BridgeInfo;
    try {
      assert.equal(fs.statSync(info.socket).mode & 0o777, 0o600, 'the socket is the user\'s alone');
      assert.equal(info.dockerHost, `unix://${info.socket}`);
      assert.equal(info.context, `matryoshka-${DEPTH2.join('-')}`);
      const viaHost = (await cli(['ps', '--format', '{{.Names}}'], { DOCKER_HOST: info.dockerHost })).split('\n');
      assert.ok(viaHost.includes(NAMES.grandchild), `DOCKER_HOST reaches the engine two levels down: ${viaHost.join(', ')}`);
      const viaContext = (await cli(['--context', info.context, 'ps', '--format', '{{.Names}}'])).split('\n');
      assert.ok(viaContext.includes(NAMES.grandchild), viaContext.join(', '));
      assert.ok((await cli(['context', 'ls', '--format', '{{.Name}}'])).split('\n').includes(info.context));

      const bridgedRow = (await row(matryoshka, DEPTH2)).item;
      assert.match(bridgedRow.contextValue ?? '', /hosts-engine.* bridged/);
      assert.match(String(bridgedRow.description), /used from the host/);
      assert.equal(await vscode.commands.executeCommand('matryoshka.copyBridgedDockerHost', { path: DEPTH2 }), info.dockerHost);
      assert.equal(await vscode.env.clipboard.readText(), `DOCKER_HOST=${info.dockerHost}`);
      const terminal = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.openBridgedHostTerminal', { path: DEPTH2 });
      assert.equal((terminal.creationOptions as vscode.TerminalOptions).env?.DOCKER_HOST, info.dockerHost);
      terminal.dispose();
      assert.deepEqual(await vscode.commands.executeCommand('matryoshka.bridgeEngine', { path: DEPTH2 }), info, 'asking again gives the same bridge');
    } finally {
      assert.equal(await vscode.commands.executeCommand('matryoshka.unbridgeEngine', { path: DEPTH2 }), true);
    }
    assert.ok(!fs.existsSync(info.socket), 'stopping removes the socket');
    assert.ok(!(await cli(['context', 'ls', '--format', '{{.Name}}'])).split('\n').includes(info.context), 'stopping removes the context');
    assert.doesNotMatch((await row(matryoshka, DEPTH2)).item.contextValue ?? '', /bridged/);
  });

  it('the root engine itself, by { engine, path: [] }', async () => {
    const info = await vscode.commands.executeCommand<BridgeInfo>('matryoshka.bridgeEngine', { engine: 'default', path: [] });
    try {
      assert.equal(info.context, 'matryoshka-default');
      assert.match(await cli(['version', '--format', '{{.Server.Version}}'], { DOCKER_HOST: info.dockerHost }), /^\d+\./);
    } finally {
      await vscode.commands.executeCommand('matryoshka.unbridgeEngine', { engine: 'default', path: [] });
    }
  });

  it('a container that runs no engine gets a clear error naming it', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.bridgeEngine', { path: [NAMES.plain] })), new RegExp(`${NAMES.plain} runs no engine Matryoshka can reach`));
  });
});

describe('bridges a crash left behind, at the next start', function () {
  this.timeout(300_000);
  const DEPTH2 = [NAMES.dind, NAMES.dindInner];
  const context = bridgeContextName('default', DEPTH2);
  let matryoshka: MatryoshkaApi;
  let folder: string;

  before(async () => {
    matryoshka = await apiWithFixture();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-crash-'));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('matryoshka.unbridgeEngine', { path: DEPTH2 });
    removeBridgeContext(dockerConfigDir(), context);
  });

  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  /**
   * What a window leaves that was killed while it bridged the engine two levels down: its socket
   * file, which a killed listener leaves behind, and its context in the Docker CLI's store.
   * `kill: false`: the listener lives on (another window that still serves it).
   */
  async function crashedBridge(name: string, kill = true): Promise<{ socket: string; stop: () => void }> {
    const socket = path.join(folder, `${name}.sock`);
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`]);
    const listening = await new Promise<boolean>((resolve) => {
      holder.stdout.once('data', () => resolve(true));
      holder.once('exit', () => resolve(false));
    });
    assert.ok(listening, `a process listened on ${socket}`);
    const engineKey = resolveEngine(matryoshka.engineService.snapshot(), { engine: 'default', path: DEPTH2 }).engine.key;
    writeBridgeContext(dockerConfigDir(), { name: context, dockerHost: `unix://${socket}`, engineKey, label: fixturePath(...DEPTH2) });
    const stop = () => holder.kill('SIGKILL');
    if (kill) {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      stop();
      await exited;
      assert.ok(fs.lstatSync(socket).isSocket(), 'the killed listener left its socket file');
    }
    return { socket, stop };
  }

  /** The start's check for leftovers (of this test's context only), the person answering `choice`. */
  async function recover(choice: string | undefined): Promise<{ asked: unknown[][]; result: { restored: string[]; removed: string[] } }> {
    const asked: unknown[][] = [];
    const result = await withWindowStub('showInformationMessage', (async (...args: unknown[]) => {
      asked.push(args);
      return choice;
    }) as never, () => matryoshka.recoverStaleBridges([context]));
    return { asked, result };
  }

  const contexts = async () => (await cli(['context', 'ls', '--format', '{{.Name}}'])).split('\n');

  it('asks in a notification; "Restore" opens the bridge again under the same context, and the row shows it', async () => {
    const { socket } = await crashedBridge('restore');
    const { asked, result } = await recover('Restore');
    assert.equal(asked.length, 1, 'asked once');
    const [message, ...choices] = asked[0];
    assert.ok(String(message).includes(fixturePath(...DEPTH2)), `the question names the engine: ${String(message)}`);
    assert.deepEqual(choices, ['Restore', 'Clean up'], 'two choices and no options: a notification, not a modal dialog');
    assert.deepEqual(result, { restored: [context], removed: [] });
    const names = (await cli(['--context', context, 'ps', '--format', '{{.Names}}'])).split('\n');
    assert.ok(names.includes(NAMES.grandchild), `the restored context reaches the engine two levels down: ${names.join(', ')}`);
    assert.match((await row(matryoshka, DEPTH2)).item.contextValue ?? '', /bridged/);
    assert.ok(!fs.existsSync(socket), 'the crashed socket file, outside the folder the bridge listens in now, is removed');
  });

  for (const choice of [undefined, 'Clean up']) {
    it(`${choice === undefined ? 'dismissed, the question defaults to cleaning up' : '"Clean up"'}: the socket file and the context go, no bridge opens`, async () => {
      const { socket } = await crashedBridge(choice === undefined ? 'dismissed' : 'cleanup');
      const { asked, result } = await recover(choice);
      assert.equal(asked.length, 1, 'asked once');
      assert.deepEqual(result, { restored: [], removed: [context] });
      assert.ok(!fs.existsSync(socket), 'the socket file is removed');
      assert.ok(!(await contexts()).includes(context), 'docker context ls no longer lists it');
      assert.doesNotMatch((await row(matryoshka, DEPTH2)).item.contextValue ?? '', /bridged/);
    });
  }

  it('a socket another process still serves (another window) is no leftover: nothing asked, nothing removed', async () => {
    const { socket, stop } = await crashedBridge('served', false);
    try {
      const { asked, result } = await recover('Clean up');
      assert.deepEqual(asked, []);
      assert.deepEqual(result, { restored: [], removed: [] });
      assert.ok(fs.existsSync(socket));
      assert.ok((await contexts()).includes(context));
    } finally {
      stop();
    }
  });
});
