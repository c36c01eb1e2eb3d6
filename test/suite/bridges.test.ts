// Use This Engine from the Host: a socket and a Docker context for an engine two levels down.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { BridgeInfo } from '../../src/engine/engineBridges';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { NAMES } from '../support/nestedFixture';
import { apiWithFixture, runFromMenu } from './matryoshkaApi';

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
