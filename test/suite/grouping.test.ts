// Runs inside VS Code's extension host: Compose project rows, the filter and natural order as the
// tree provider hands them to VS Code, on the real engine.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { composeUp, runSuffix, type ComposeProjectFixture } from '../support/composeFixture';
import { docker, dockerIn, waitFor } from '../support/docker';
import { NAMES } from '../support/nestedFixture';
import { apiWithFixture } from './matryoshkaApi';

interface Row {
  label: string;
  description: string;
  id: string;
  contextValue: string;
  node: TreeNode;
  children: Row[];
}

async function render(matryoshka: MatryoshkaApi, node?: TreeNode, depth = 0): Promise<Row[]> {
  const provider = matryoshka.view.provider;
  const nodes = await provider.getChildren(node);
  return Promise.all(
    nodes.map(async (child) => {
      const item = provider.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
      const expandable = item.collapsibleState !== vscode.TreeItemCollapsibleState.None && !item.contextValue?.startsWith('images');
      return {
        label,
        description: String(item.description ?? ''),
        id: item.id ?? '',
        contextValue: item.contextValue ?? '',
        node: child,
        children: expandable && depth < 6 ? await render(matryoshka, child, depth + 1) : [],
      };
    }),
  );
}

function find(rows: Row[], label: string): Row {
  const found = rows.find((r) => r.label === label);
  assert.ok(found, `"${label}" is shown; the rows are: ${rows.map((r) => r.label).join(', ')}`);
  return found;
}

async function hostRows(matryoshka: MatryoshkaApi): Promise<Row[]> {
  const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected'));
  assert.ok(host, 'a connected engine is shown');
  return host.children;
}

describe('Compose projects, the filter and natural order in VS Code', function () {
  this.timeout(600_000);
  const suffix = runSuffix();
  const project = `itvsc${suffix}`;
  const builds = [1, 2, 10].map((n) => `itvsc-build-${suffix}-${n}`);
  let matryoshka: MatryoshkaApi;
  let fixture: ComposeProjectFixture | undefined;

  before(async () => {
    matryoshka = await apiWithFixture();
    fixture = await composeUp([], project);
    // Created in the order natural order must not follow by accident: 10, 1, 2.
    for (const name of [builds[2], builds[0], builds[1]]) await docker(['run', '-d', '--name', name, '--label', 'dev.matryoshka.test=natural-order', 'busybox:latest', 'sleep', '600']);
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  // A test that fails half-way must not leave its filter on for the next.
  afterEach(async () => {
    await vscode.commands.executeCommand('matryoshka.setFilter', { text: '' });
  });

  after(async () => {
    await vscode.commands.executeCommand('matryoshka.setFilter', { text: '' });
    await docker(['rm', '-f', ...builds]).catch(() => undefined);
    await fixture?.down();
  });

  it('shows the project as one row with its services, running/total and working directory', async () => {
    const row = find(await hostRows(matryoshka), project);
    assert.match(row.contextValue, /^compose-project/);
    assert.equal(row.description, `2/2 running · ${fixture?.workingDir}`);
    assert.deepEqual(row.children.map((c) => c.label).sort(), ['web', 'worker']);
    assert.ok(row.children.every((c) => c.contextValue.startsWith('container ')), 'services are container rows (container menus apply)');
  });

  it('lists containers in natural order', async () => {
    const labels = (await hostRows(matryoshka)).map((r) => r.label).filter((l) => builds.includes(l));
    assert.deepEqual(labels, builds);
  });

  it('filters by project name at every depth, shows the filter in the description, and clears it', async () => {
    await vscode.commands.executeCommand('matryoshka.setFilter', { text: project.toUpperCase() });
    assert.equal(matryoshka.view.treeView.description, `filter: ${project.toUpperCase()}`);
    const rows = await hostRows(matryoshka);
    assert.deepEqual(rows.filter((r) => !r.contextValue.startsWith('images')).map((r) => r.label), [project], 'only the project is left on the host');
    assert.deepEqual(find(rows, project).children.map((c) => c.label).sort(), ['web', 'worker']);

    await vscode.commands.executeCommand('matryoshka.setFilter', { text: NAMES.grandchild });
    const deep = await hostRows(matryoshka);
    const dind = find(deep, NAMES.dind);
    const inner = find(dind.children, NAMES.dindInner);
    // An ancestor keeps its own Images and Files rows (not containers, so never filtered).
    assert.deepEqual(inner.children.filter((r) => !/^(images|files)\b/.test(r.contextValue)).map((r) => r.label), [NAMES.grandchild], 'the match and its ancestors');
    assert.ok(!deep.some((r) => r.label === NAMES.plain), `${NAMES.plain} is filtered out`);

    await vscode.commands.executeCommand('matryoshka.clearFilter');
    assert.equal(matryoshka.view.treeView.description, undefined);
    find(await hostRows(matryoshka), NAMES.plain);
  });

  it('refuses a malformed setFilter argument with what to pass, and keeps the filter it had', async () => {
    await vscode.commands.executeCommand('matryoshka.setFilter', { text: project });
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('matryoshka.setFilter', { filter: 'db' })),
      /matryoshka\.setFilter takes \{ text: string \}.*It has no field "filter"\./,
    );
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.setFilter', 'db')), /pass \{ text: "db" \} instead/);
    assert.equal(matryoshka.view.treeView.description, `filter: ${project}`);
  });

  it('under a filter, a change inside a DinD the filter hides refreshes no row, and never the whole tree', async () => {
    await vscode.commands.executeCommand('matryoshka.setFilter', { text: project });
    await hostRows(matryoshka); // VS Code has asked for the filtered rows
    const inner = matryoshka.engineService.snapshot()[0].containers.find((c) => c.name === NAMES.dind)?.inner;
    assert.ok(inner, `${NAMES.dind} runs a listed engine`);
    const fires: Array<string[] | undefined> = [];
    let renderedInner = false;
    const subscriptions = [
      matryoshka.view.provider.onDidChangeTreeData((e) => fires.push(e ? (Array.isArray(e) ? e : [e]).map((n) => n.id) : undefined)),
      // Registered after the provider's own listener: when it runs, the provider has rendered this batch.
      matryoshka.engineService.onDidChange((batch) => (renderedInner ||= batch.engines.has(inner.key))),
    ];
    const hidden = `itvsc-hidden-${suffix}`;
    try {
      await dockerIn([NAMES.dind], ['run', '-d', '--name', hidden, 'busybox:latest', 'sleep', '600']);
      await waitFor(`a render of the engine inside ${NAMES.dind}`, 30_000, async () => renderedInner);
      assert.ok(!fires.includes(undefined), `no whole-tree refresh under the filter (${fires.length} refreshes)`);
      assert.ok(!fires.flat().some((id) => id?.includes(inner.key)), 'no row of the hidden engine is refreshed');
    } finally {
      for (const s of subscriptions) s.dispose();
      await dockerIn([NAMES.dind], ['rm', '-f', hidden]).catch(() => undefined);
    }
  });

  it('keeps project and service row ids across a refresh', async () => {
    const before = find(await hostRows(matryoshka), project);
    await vscode.commands.executeCommand('matryoshka.refresh');
    const after = find(await hostRows(matryoshka), project);
    assert.equal(after.id, before.id);
    assert.deepEqual(after.children.map((c) => c.id).sort(), before.children.map((c) => c.id).sort());
  });

  it('stops and starts the project from its row', async () => {
    const row = find(await hostRows(matryoshka), project);
    await vscode.commands.executeCommand('matryoshka.composeStop', row.node);
    assert.match(find(await hostRows(matryoshka), project).description, /^0\/2 running/);
    await vscode.commands.executeCommand('matryoshka.composeStart', row.node);
    assert.match(find(await hostRows(matryoshka), project).description, /^2\/2 running/);
  });

  it('follows the logs of every service in one terminal, each line prefixed with its service', async () => {
    const terminal = (await vscode.commands.executeCommand('matryoshka.composeLogs', { engine: undefined, path: [], project })) as vscode.Terminal;
    try {
      const deadline = Date.now() + 30_000;
      let transcript = '';
      while (Date.now() < deadline && !(/web-1 +\| .*web line/.test(transcript) && /worker-1 +\| .*worker line/.test(transcript))) {
        await new Promise((r) => setTimeout(r, 300));
        transcript = (matryoshka.terminals.transcript(terminal) ?? '').replace(/\x1b\[[0-9;]*m/g, '');
      }
      assert.match(transcript, /web-1 +\| .*web line/);
      assert.match(transcript, /worker-1 +\| .*worker line/);
    } finally {
      terminal.dispose();
    }
  });
});
