// matryoshka.engineHealth as VS Code runs it: results, the report view and the badge on the node.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { HealthResult } from '../../src/model/health';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { docker, dockerIn, waitFor } from '../support/docker';
import { NAMES, ensureNestedFixture, fixturePath } from '../support/nestedFixture';
import { ownName } from '../support/runId';
import { api } from './matryoshkaApi';

const LABEL = 'dev.matryoshka.test=health';
const VFS = ownName('it8-suite-vfs');


async function nodeNamed(matryoshka: MatryoshkaApi, parent: TreeNode | undefined, name: string): Promise<{ node: TreeNode; item: vscode.TreeItem }> {
  const provider = matryoshka.view.provider;
  for (const node of await provider.getChildren(parent)) {
    const item = provider.getTreeItem(node);
    if (item.label === name) return { node, item };
  }
  throw new Error(`no node "${name}" under ${parent?.id ?? 'the root'}`);
}

describe('Engine health', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    await ensureNestedFixture();
    await docker(['rm', '-f', '-v', VFS]).catch(() => undefined);
    await docker(['run', '-d', '--name', VFS, '--label', LABEL, '--privileged', 'docker:dind', '--storage-driver', 'vfs']);
    await waitFor(`the engine inside ${VFS}`, 180_000, async () => (await dockerIn([VFS], ['version', '--format', '{{.Server.Version}}'])) || undefined, 500);
    matryoshka = await api();
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await docker(['rm', '-f', '-v', VFS]);
  });

  it('on a DinD started with --storage-driver vfs: resolves to the results, opens the report, badges the node', async () => {
    const results = await vscode.commands.executeCommand<HealthResult[]>('matryoshka.engineHealth', { path: [VFS] });
    const storage = results.find((r) => r.check === 'storage driver');
    assert.equal(storage?.status, 'warn');
    assert.match(storage?.detail ?? '', /uses the vfs storage driver/);
    for (const r of results) assert.ok(['ok', 'warn', 'error'].includes(r.status) && r.detail.length > 0, JSON.stringify(r));

    const problems = results.filter((r) => r.status !== 'ok');
    const root = await nodeNamed(matryoshka, undefined, 'default');
    const { node, item } = await nodeNamed(matryoshka, root.node, VFS);
    // The report view of this node shows the problems first.
    const record = matryoshka.health.recordFor(node.id);
    assert.ok(matryoshka.health.panels.has(node.id), 'the report view is open');
    assert.equal(record?.report.subject, fixturePath(VFS));
    assert.deepEqual(record?.report.groups.map((g) => g.status).filter((s) => s !== 'ok'), [...new Set(problems.map((p) => p.status))].sort());
    assert.ok(record?.report.groups[0].items.some((i) => i.check === 'storage driver') || record?.report.groups[1].items.some((i) => i.check === 'storage driver'));
    assert.deepEqual(record?.argument, { engine: 'default', path: [VFS] });
    // The badge is a decoration on the row's URI, not text in its description.
    assert.match(String(item.description), /^dind · up [^·]+ · docker:dind$/);
    assert.ok(item.resourceUri, 'the row has a resourceUri to decorate');
    const decoration = matryoshka.health.provideFileDecoration(item.resourceUri);
    assert.equal(decoration?.badge, String(problems.length));
    assert.equal((decoration?.color as unknown as { id: string } | undefined)?.id, 'problemsWarningIcon.foreground');
    const resolved = matryoshka.view.provider.resolveTreeItem(item, node);
    const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, new RegExp(`^\\*\\*Health\\*\\*: ${problems.length} problems at the last check`), 'the problems open the tooltip');
    assert.match(tooltip, /- ⚠ \*\*Warning\*\*, storage driver: /);
    // A node the check did not touch has no badge.
    const untouched = (await nodeNamed(matryoshka, root.node, NAMES.dind)).item.resourceUri;
    assert.ok(untouched && matryoshka.health.provideFileDecoration(untouched) === undefined);
  });

  it('on a root engine given as { engine }: the engine checks, and the engine node gets the badge', async () => {
    const results = await vscode.commands.executeCommand<HealthResult[]>('matryoshka.engineHealth', { engine: 'default' });
    assert.deepEqual(results.slice(0, 2).map((r) => r.check), ['engine', 'storage driver']);
    assert.equal(results.find((r) => r.check === 'probe container')?.status, 'ok');
    const problems = results.filter((r) => r.status !== 'ok').length;
    const { item } = await nodeNamed(matryoshka, undefined, 'default');
    assert.match(String(item.description), /^Docker /);
    const decoration = item.resourceUri && matryoshka.health.provideFileDecoration(item.resourceUri);
    assert.equal(decoration?.badge, problems ? String(problems) : undefined);
  });

  it('refuses a plain container, naming it', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.engineHealth', { path: [NAMES.plain] })), new RegExp(`${fixturePath(NAMES.plain)} is a plain container`));
  });

  it('is in the context menu of engines and of DinD, Sysbox and DooD containers', () => {
    const menus = vscode.extensions.getExtension('matryoshka-dev.matryoshka')?.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>;
    const when = menus.find((m) => m.command === 'matryoshka.engineHealth')?.when ?? '';
    const regex = new RegExp(/=~ \/(.*)\/$/.exec(when)?.[1] ?? '$^');
    assert.ok(regex.test('engine engine-connected') && regex.test('container mode-sysbox state-running hosts-engine') && regex.test('container mode-plain state-running dood'));
    assert.equal(regex.test('container mode-plain state-running'), false);
  });
});
