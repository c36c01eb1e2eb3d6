// Runs inside VS Code's extension host (code-server here, desktop VS Code under test-electron):
// the tree, the commands and the programmatic targets as VS Code itself drives them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { docker, dockerIn } from '../support/docker';
import { LABEL, NAMES, fixturePath } from '../support/nestedFixture';
import { ownName } from '../support/runId';
import { apiWithFixture } from './matryoshkaApi';

const DEEP = [NAMES.dind, NAMES.dindInner, NAMES.grandchild];


function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

/** The tree as VS Code renders it: label, description, id and context value, children nested. */
interface Rendered {
  label: string;
  description: string;
  id: string;
  contextValue: string;
  node: TreeNode;
  children: Rendered[];
}

async function render(matryoshka: MatryoshkaApi, node?: TreeNode, depth = 0): Promise<Rendered[]> {
  const provider = matryoshka.view.provider;
  const nodes = await provider.getChildren(node);
  return Promise.all(
    nodes.map(async (child) => {
      const item = provider.getTreeItem(child);
      const expandable = item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
      return {
        label: label(item),
        description: String(item.description ?? ''),
        id: item.id ?? '',
        contextValue: item.contextValue ?? '',
        node: child,
        // Files nodes list a container's files: the tree of engines stops at them.
        children: expandable && depth < 8 && !/^files/.test(item.contextValue ?? '') ? await render(matryoshka, child, depth + 1) : [],
      };
    }),
  );
}

function child(rows: Rendered[], name: string): Rendered {
  const found = rows.find((r) => r.label === name);
  assert.ok(found, `"${name}" is shown; the rows are: ${rows.map((r) => r.label).join(', ')}`);
  return found;
}

function allIds(rows: Rendered[]): string[] {
  return rows.flatMap((r) => [r.id, ...allIds(r.children)]);
}

describe('Engines tree in VS Code', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    matryoshka = await apiWithFixture();
  });

  it('shows the host engine with every container nested under the one that runs its engine', async () => {
    const roots = await render(matryoshka);
    const host = roots.find((r) => r.contextValue.includes('engine-connected'));
    assert.ok(host, 'a connected engine is shown');
    const dind = child(host.children, NAMES.dind);
    assert.match(dind.description, /^dind · up [^·]+ · docker:dind$/);
    assert.match(child(dind.children, NAMES.child).description, /^up [^·]+ · busybox:latest$/);
    const inner = child(dind.children, NAMES.dindInner);
    assert.match(inner.description, /dind/);
    child(inner.children, NAMES.grandchild);
    const sysbox = child(host.children, NAMES.sysbox);
    assert.match(sysbox.description, /sysbox/);
    child(sysbox.children, NAMES.sysboxChild);
    const dood = child(host.children, NAMES.dood);
    assert.match(dood.description, /dood/);
    assert.deepEqual(dood.children.map((r) => r.label), [dood.children[0].label, 'Files']);
    assert.match(dood.children[0].label, /siblings/);
    assert.deepEqual(child(host.children, NAMES.plain).children.map((r) => r.label), ['Files']);
    assert.ok(!host.children.some((r) => r.label === NAMES.child), 'children of an inner engine are not listed on the host');
  });

  it('each render gives again the rows whose uptime aged (a render comes at least once a minute), and no engine row', async () => {
    const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected')) as Rendered;
    const dind = child(host.children, NAMES.dind);
    const provider = matryoshka.view.provider;
    // Three hours on, every running row's uptime reads differently: the DinD is among them, the engine rows are not.
    const aged = provider.agedRows(Date.now() + 3 * 3_600_000);
    assert.ok(aged.includes(dind.node), 'the DinD row is given again');
    assert.ok(!aged.includes(host.node), 'an engine row has no uptime');
    assert.ok(aged.every((n) => n.id.startsWith('container:')), aged.map((n) => n.id).join(', '));
  });

  it('gives every node a unique id that survives a refresh', async () => {
    const before = allIds(await render(matryoshka));
    assert.equal(new Set(before).size, before.length, 'ids are unique');
    await vscode.commands.executeCommand('matryoshka.refresh');
    const after = allIds(await render(matryoshka));
    for (const id of before.filter((i) => i.startsWith('container:'))) assert.ok(after.includes(id), `${id} is still there`);
  });

  it('puts mode and state in contextValue for menus', async () => {
    const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected')) as Rendered;
    assert.match(child(host.children, NAMES.dind).contextValue, /^container .*mode-dind.*state-running.*hosts-engine/);
    assert.match(child(host.children, NAMES.dood).contextValue, /mode-dood.*\bdood\b/);
  });

  it('resolves tooltips lazily as untrusted Markdown with the evidence and what it means', async () => {
    const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected')) as Rendered;
    const dind = child(host.children, NAMES.dind);
    const item = matryoshka.view.provider.getTreeItem(dind.node);
    assert.equal(item.tooltip, undefined, 'no tooltip before hover');
    const resolved = matryoshka.view.provider.resolveTreeItem(item, dind.node);
    const tooltip = resolved.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.equal(tooltip.isTrusted, false);
    assert.equal(tooltip.supportHtml, false);
    assert.match(tooltip.value, /root on the host/);
    assert.match(tooltip.value, /an engine answers inside/);
  });

  it('copies the id of a container two engines deep, named by its path', async () => {
    const copied = await vscode.commands.executeCommand<string>('matryoshka.copyId', { path: DEEP });
    const expected = await dockerIn([NAMES.dind, NAMES.dindInner], ['inspect', '--format', '{{.Id}}', NAMES.grandchild]);
    assert.equal(copied, expected);
    assert.equal(await vscode.env.clipboard.readText(), expected);
  });

  it('opens inspect output as a read-only JSON document at any depth', async () => {
    const uri = await vscode.commands.executeCommand<string>('matryoshka.inspect', { engine: 'default', path: DEEP });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.toString(), uri);
    assert.equal(editor.document.uri.scheme, 'matryoshka-inspect');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(JSON.parse(editor.document.getText()).Name, `/${NAMES.grandchild}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('reveals and selects a container at depth 2', async () => {
    await vscode.commands.executeCommand('matryoshka.engines.focus');
    const revealed = await vscode.commands.executeCommand<{ id: string }>('matryoshka.reveal', { path: DEEP });
    // The selection reaches the extension host from the workbench a moment after reveal resolves.
    const deadline = Date.now() + 5_000;
    while (matryoshka.view.treeView.selection.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const selection = matryoshka.view.treeView.selection;
    assert.equal(selection.length, 1);
    assert.ok(selection[0].id.endsWith(`/${revealed.id}`), selection[0].id);
  });

  it('rejects a target that does not exist with a message that says where it looked', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('matryoshka.copyId', { path: [NAMES.dind, 'no-such-container'] })),
      (error: Error) => new RegExp(`No container "no-such-container" on ${fixturePath(NAMES.dind)} \\(containers: .*${NAMES.child}`).test(error.message),
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('matryoshka.copyId', { engine: 'nowhere', path: ['x'] })),
      /No engine named "nowhere"/,
    );
  });

  it('reports how long activation took', async () => {
    assert.ok(matryoshka.activationMs > 0 && matryoshka.activationMs < 5_000, `${matryoshka.activationMs} ms`);
    const figures = process.env.MATRYOSHKA_FIGURES;
    if (figures) fs.writeFileSync(figures, JSON.stringify({ activationMs: matryoshka.activationMs }));
  });

  it('shows a container created on the host without a manual refresh', async () => {
    const live = ownName('it-live');
    await docker(['run', '-d', '--name', live, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    try {
      const deadline = Date.now() + 15_000;
      let seen = false;
      while (!seen && Date.now() < deadline) {
        const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected'));
        seen = host?.children.some((r) => r.label === live) ?? false;
        if (!seen) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(seen, `${live} appeared from the engine event`);
    } finally {
      await docker(['rm', '-f', live]);
    }
  });
});
