// Container actions on a multi-selection, called the way VS Code calls them from the tree's
// context menu: (the clicked node, every selected node), two engines deep.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { dockerIn, waitFor } from '../support/docker';
import { LABEL, NAMES, ensureNestedFixture, fixturePath } from '../support/nestedFixture';
import { ownName } from '../support/runId';
import { api, runFromMenu } from './matryoshkaApi';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const NAMES_HERE = [ownName('it5-multi-a'), ownName('it5-multi-b')];
const BROKEN = ownName('it5-broken');
// Ends at once on SIGTERM (a bare `sleep` as PID 1 ignores it and waits out the grace period).
const QUICK_TO_STOP = ['busybox:latest', 'sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];


/** The tree's own node for the container at `path` below the current engine (as VS Code holds it). */
async function nodeAt(matryoshka: MatryoshkaApi, path: string[]): Promise<TreeNode> {
  const provider = matryoshka.view.provider;
  const roots = await provider.getChildren(undefined);
  const queue = [...roots];
  while (queue.length) {
    const node = queue.shift() as TreeNode;
    const target = (node as { target?: { path: string[] } }).target;
    if (target && target.path.join('/') === path.join('/')) return node;
    // Engine rows (an empty path) and rows without a target lie above every container.
    const above = !target || target.path.length === 0 || path.join('/').startsWith(`${target.path.join('/')}/`);
    if (above) queue.push(...(await provider.getChildren(node)));
  }
  throw new Error(`no node for ${path.join(' › ')}`);
}

describe('Actions on a multi-selection in VS Code', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;
  const state = (name: string) => dockerIn(DEPTH2, ['inspect', '--format', '{{.State.Status}}', name]);
  const startedAt = (name: string) => dockerIn(DEPTH2, ['inspect', '--format', '{{.State.StartedAt}}', name]);

  before(async () => {
    await ensureNestedFixture();
    matryoshka = await api();
    for (const name of NAMES_HERE) await dockerIn(DEPTH2, ['run', '-d', '--name', name, '--label', LABEL, ...QUICK_TO_STOP]);
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(async () => {
    await dockerIn(DEPTH2, ['rm', '-f', ...NAMES_HERE]).catch(() => undefined);
  });

  it('stops, starts and restarts every selected container, ignoring selected engine rows', async () => {
    const nodes = () => Promise.all(NAMES_HERE.map((name) => nodeAt(matryoshka, [...DEPTH2, name])));
    const [a, b] = await nodes();
    // An engine row selected with them is not a container: the action leaves it out.
    const engineRow = (await matryoshka.view.provider.getChildren(undefined))[0];
    await vscode.commands.executeCommand('matryoshka.stop', b, [engineRow, a, b]);
    assert.deepEqual(await Promise.all(NAMES_HERE.map(state)), ['exited', 'exited']);

    const [a2, b2] = await nodes();
    await vscode.commands.executeCommand('matryoshka.start', a2, [a2, b2]);
    assert.deepEqual(await Promise.all(NAMES_HERE.map(state)), ['running', 'running']);

    const before = await Promise.all(NAMES_HERE.map(startedAt));
    const [a3, b3] = await nodes();
    await vscode.commands.executeCommand('matryoshka.restart', a3, [a3, b3]);
    const after = await Promise.all(NAMES_HERE.map(startedAt));
    after.forEach((value, index) => assert.notEqual(value, before[index], `${NAMES_HERE[index]} restarted`));
    // The tree follows what the engine reports.
    const descriptions = await Promise.all(
      (await nodes()).map((node) => String(matryoshka.view.provider.getTreeItem(node).description ?? '')),
    );
    descriptions.forEach((d) => assert.match(d, /^up /));
  });

  it('says "stopping…" on the row while a stop waits out the grace period, then the exit code', async () => {
    const slow = ownName('it20-slow-stop');
    // A bare `sleep` as PID 1 ignores SIGTERM: the stop lasts the whole grace period (4 s here).
    await dockerIn(DEPTH2, ['run', '-d', '--name', slow, '--label', LABEL, '--stop-timeout', '4', 'busybox:latest', 'sleep', '600']);
    try {
      await vscode.commands.executeCommand('matryoshka.refresh');
      const describe = async () => String(matryoshka.view.provider.getTreeItem(await nodeAt(matryoshka, [...DEPTH2, slow])).description ?? '');
      const stopping = vscode.commands.executeCommand('matryoshka.stop', { path: [...DEPTH2, slow] });
      const seen: string[] = [];
      await waitFor('the row says stopping…', 10_000, async () => {
        seen.push(await describe());
        return seen.at(-1)?.startsWith('stopping… · ') === true;
      });
      await stopping;
      assert.match(await describe(), /^exited \(137\) · busybox:latest$/, `after the stop (seen before: ${[...new Set(seen)].join(' | ')})`);
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', slow]).catch(() => undefined);
    }
  });

  it('acts only on the clicked container when it is not part of the selection', async () => {
    const [a, b] = await Promise.all(NAMES_HERE.map((name) => nodeAt(matryoshka, [...DEPTH2, name])));
    await vscode.commands.executeCommand('matryoshka.stop', a, undefined);
    assert.deepEqual(await Promise.all(NAMES_HERE.map(state)), ['exited', 'running']);
    await vscode.commands.executeCommand('matryoshka.start', a);
    assert.equal(await state(NAMES_HERE[0]), 'running');
    void b;
  });

  it('a menu command chosen while the tree refreshes acts on the selection, or says to choose again', async () => {
    const [name] = NAMES_HERE;
    await vscode.commands.executeCommand('matryoshka.reveal', { path: [...DEPTH2, name] });
    await waitFor('the selection to reach the extension', 10_000, async () => matryoshka.view.lastSelection.length === 1);
    // What VS Code passes when the right-clicked row's node was forgotten by a refresh.
    await vscode.commands.executeCommand('matryoshka.stop', undefined, [undefined]);
    assert.deepEqual(await Promise.all(NAMES_HERE.map(state)), ['exited', 'running']);
    const { result, errors } = await runFromMenu('matryoshka.start', undefined, undefined);
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, 'one notification, and no rejection for VS Code to show again');
    assert.match(errors[0], /refreshing when you chose that: choose it again/);
    await vscode.commands.executeCommand('matryoshka.start', { path: [...DEPTH2, name] });
  });

  it('removes every selected container (programmatic targets, confirmation skipped)', async () => {
    const targets = NAMES_HERE.map((name) => ({ path: [...DEPTH2, name] }));
    await vscode.commands.executeCommand('matryoshka.remove', { ...targets[0], skipConfirmation: true }, targets);
    const left = (await dockerIn(DEPTH2, ['ps', '-a', '--format', '{{.Names}}'])).split('\n');
    for (const name of NAMES_HERE) assert.ok(!left.includes(name), `${name} removed`);
    assert.ok(
      !matryoshka.engineService.snapshot().some(function walk(engine): boolean {
        return engine.containers.some((c) => NAMES_HERE.includes(c.name) || (c.inner ? walk(c.inner) : false));
      }),
      'and gone from the tree',
    );
  });

  it('names the container, its engine and what the engine said when an action fails', async () => {
    await dockerIn(DEPTH2, ['create', '--name', BROKEN, '--label', LABEL, 'busybox:latest', '/it5-no-such-program']);
    try {
      await vscode.commands.executeCommand('matryoshka.refresh');
      const node = await nodeAt(matryoshka, [...DEPTH2, BROKEN]);
      // From the row's menu: one notification, and no rejection for VS Code to show a second time.
      const { result, errors } = await runFromMenu('matryoshka.start', node, [node]);
      assert.equal(result, undefined);
      assert.equal(errors.length, 1);
      assert.match(errors[0], new RegExp(`^Could not start ${fixturePath(...DEPTH2, BROKEN)}: `));
      assert.match(errors[0], new RegExp(`: ${fixturePath(...DEPTH2)} said: `), 'the engine that answered');
      assert.match(errors[0], /it5-no-such-program/, 'what the engine said');
      // From code, with a target: the same message as a rejection.
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.start', { path: [...DEPTH2, BROKEN] })), (error: Error) => error.message === errors[0]);
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', BROKEN]);
    }
  });
});
