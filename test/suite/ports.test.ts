// Forward Port… in VS Code: the command, the row under the container, Copy Address, a reload
// (forwards closed and restored from the workspace state), and Stop Forwarding, two engines deep.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { dockerIn, waitFor } from '../support/docker';
import { LABEL, NAMES, ensureNestedFixture } from '../support/nestedFixture';
import { api, runFromMenu, withWindowStub } from './matryoshkaApi';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const WEB = `pf-vs-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.once('end', () => resolve(body));
      })
      .once('error', reject);
  });
}

/** The row of the container at `path` (below the current engine) and its children, as VS Code holds them. */
async function rowsUnder(matryoshka: MatryoshkaApi, path: string[]): Promise<{ row: TreeNode; children: TreeNode[] }> {
  const provider = matryoshka.view.provider;
  const queue = [...(await provider.getChildren(undefined))];
  while (queue.length) {
    const node = queue.shift() as TreeNode;
    const target = (node as { target?: { path: string[] } }).target;
    if (target && target.path.join('/') === path.join('/')) return { row: node, children: await provider.getChildren(node) };
    if (target && path.join('/').startsWith(target.path.join('/'))) queue.push(...(await provider.getChildren(node)));
  }
  throw new Error(`no row for ${path.join(' › ')}`);
}

function forwardRow(children: TreeNode[]): TreeNode | undefined {
  return children.find((child) => 'forwardTarget' in child);
}

describe('Forward Port in VS Code', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;
  const path = [...DEPTH2, WEB];

  before(async () => {
    await ensureNestedFixture();
    matryoshka = await api();
    await dockerIn(DEPTH2, ['run', '-d', '--name', WEB, '--label', LABEL, 'busybox:latest', 'sh', '-c', `mkdir -p /www && echo "page of ${WEB}" > /www/index.html && exec httpd -f -p 8080 -h /www`]);
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(async () => {
    await vscode.commands.executeCommand('matryoshka.stopForwarding', { engine: 'default', path, port: 8080 }).then(undefined, () => undefined);
    await dockerIn(DEPTH2, ['rm', '-f', WEB]).catch(() => undefined);
  });

  it('forwards a port from the tree row, shows it under the container, copies its address, survives a reload and stops', async () => {
    const { row } = await rowsUnder(matryoshka, path);
    // From the context menu: the port is picked among what the container exposes or listens on.
    const offered: string[] = [];
    const { result, errors } = await withWindowStub(
      'showQuickPick',
      (async (given: Thenable<readonly vscode.QuickPickItem[]>) => {
        // Given as a promise: the pick opens at once and fills when the ports are read.
        const items = await given;
        offered.push(...items.map((i) => i.label));
        return items.find((i) => i.label === '8080');
      }) as never,
      () => runFromMenu('matryoshka.forwardPort', row),
    );
    assert.deepEqual(errors, []);
    assert.ok(offered.includes('8080'), `8080 is offered as listening: ${offered.join(', ')}`);
    const { localPort, url } = result as { localPort: number; url: string };
    assert.equal(url, `http://127.0.0.1:${localPort}`);
    assert.equal(await get(localPort), `page of ${WEB}\n`);

    const forward = await waitFor('the forward row', 10_000, async () => forwardRow((await rowsUnder(matryoshka, path)).children));
    assert.equal(forward.treeItem().label, `8080 → 127.0.0.1:${localPort}`);
    assert.equal(await vscode.commands.executeCommand('matryoshka.copyForwardAddress', forward), `127.0.0.1:${localPort}`);
    assert.equal(await vscode.env.clipboard.readText(), `127.0.0.1:${localPort}`);

    // A reload: every forward closes, and the workspace state brings it back on the same port.
    await matryoshka.forwards.closeAll();
    await assert.rejects(get(localPort), /ECONNREFUSED/);
    await matryoshka.forwards.restore();
    assert.equal(await get(localPort), `page of ${WEB}\n`, 'restored on the same local port');

    assert.equal(await vscode.commands.executeCommand('matryoshka.stopForwarding', { engine: 'default', path, port: 8080 }), true);
    await assert.rejects(get(localPort), /ECONNREFUSED/);
    await waitFor('the forward row to go', 10_000, async () => !forwardRow((await rowsUnder(matryoshka, path)).children));
  });

  it('takes { engine?, path, port, localPort? } and refuses a taken local port by name', async () => {
    const first = (await vscode.commands.executeCommand('matryoshka.forwardPort', { path, port: 8080 })) as { localPort: number };
    try {
      const { errors } = await runFromMenu('matryoshka.forwardPort', { engine: 'default', path: [NAMES.dind, NAMES.dindInner, NAMES.grandchild], port: 8080, localPort: first.localPort }).catch(
        (error: Error) => ({ errors: [error.message] }),
      );
      assert.match(errors.join('\n'), new RegExp(`127\\.0\\.0\\.1:${first.localPort} is already in use`));
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.forwardPort', { path, port: 70000 })), /"port" must be a TCP port number/);
    } finally {
      await vscode.commands.executeCommand('matryoshka.stopForwarding', { engine: 'default', path, port: 8080 });
    }
  });
});
