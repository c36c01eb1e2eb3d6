// The Images node under each engine, at every depth, as VS Code renders it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { dockerIn } from '../support/docker';
import { NAMES, fixturePath } from '../support/nestedFixture';
import { OWN_ID } from '../support/runId';
import { apiWithFixture, runFromMenu } from './matryoshkaApi';


/** The node reached by following labels from the root. */
async function nodeAt(matryoshka: MatryoshkaApi, labels: string[]): Promise<TreeNode> {
  const provider = matryoshka.view.provider;
  let node: TreeNode | undefined;
  for (const wanted of labels) {
    const children = await provider.getChildren(node);
    const next = children.find((c) => provider.getTreeItem(c).label === wanted);
    assert.ok(next, `"${wanted}" among ${children.map((c) => provider.getTreeItem(c).label).join(', ')}`);
    node = next;
  }
  return node as TreeNode;
}

async function imageRows(matryoshka: MatryoshkaApi, labels: string[]): Promise<Array<{ label: string; description: string; node: TreeNode }>> {
  const provider = matryoshka.view.provider;
  const images = await nodeAt(matryoshka, [...labels, 'Images']);
  return (await provider.getChildren(images)).map((node) => {
    const item = provider.getTreeItem(node);
    return { label: String(item.label), description: String(item.description ?? ''), node };
  });
}

/** What `docker image ls` prints inside, as "repo:tag size". */
async function dockerImages(path: string[]): Promise<string[]> {
  return (await dockerIn(path, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}'])).split('\n').filter(Boolean).sort();
}

describe('Images nodes', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    matryoshka = await apiWithFixture();
  });

  it('two engines deep: the images of it-dind-inner with size and the containers using them', async () => {
    const rows = await imageRows(matryoshka, ['default', NAMES.dind, NAMES.dindInner]);
    const seen = rows.map((r) => `${r.label} ${r.description.split(' · ')[0].replace(' ', '')}`).sort();
    assert.deepEqual(seen, await dockerImages([NAMES.dind, NAMES.dindInner]));
    assert.match(rows.find((r) => r.label === 'busybox:latest')?.description ?? '', new RegExp(`^1\\.98 MB · used by ${NAMES.grandchild}$`));
  });

  it('one engine deep and on the host: every image docker image ls shows', async () => {
    const inner = await imageRows(matryoshka, ['default', NAMES.dind]);
    assert.deepEqual(inner.map((r) => r.label).sort(), (await dockerImages([NAMES.dind])).map((l) => l.split(' ')[0]));
    assert.match(inner.find((r) => r.label === 'docker:dind')?.description ?? '', new RegExp(`used by ${NAMES.dindInner}`));
    const host = await imageRows(matryoshka, ['default']);
    for (const image of ['busybox:latest', 'docker:dind', 'docker:cli']) assert.ok(host.some((r) => r.label === image), `${image} on the host`);
    const item = matryoshka.view.provider.getTreeItem(host.find((r) => r.label === 'docker:cli')?.node as TreeNode);
    assert.equal(item.contextValue, 'image in-use');
  });

  it('"Copy into inner engine…" streams an image of a DinD\'s engine into the DinD inside it (through loadImage)', async () => {
    const tag = `it4-copy:${OWN_ID}`;
    await dockerIn([NAMES.dind], ['tag', 'busybox:latest', tag]);
    try {
      const result = await vscode.commands.executeCommand<{ image: string; bytes: number }>('matryoshka.copyImageIntoEngine', { path: [NAMES.dind], image: tag, into: NAMES.dindInner });
      assert.equal(result.image, tag);
      assert.ok(result.bytes > 100_000);
      assert.match(await dockerIn([NAMES.dind, NAMES.dindInner], ['images', '--format', '{{.Repository}}:{{.Tag}}']), new RegExp(`^${tag}$`, 'm'));
    } finally {
      await dockerIn([NAMES.dind, NAMES.dindInner], ['rmi', tag]).catch(() => undefined);
      await dockerIn([NAMES.dind], ['rmi', tag]).catch(() => undefined);
    }
  });

  it('"Copy into inner engine…" says so when the engine has no running DinD or Sysbox container', async () => {
    const [image] = await imageRows(matryoshka, ['default', NAMES.sysbox]);
    const { result, errors } = await runFromMenu('matryoshka.copyImageIntoEngine', image.node);
    assert.equal(result, undefined, 'from the row\'s menu: no rejection for VS Code to show a second time');
    assert.equal(errors.length, 1);
    assert.match(errors[0], new RegExp(`No running DinD or Sysbox container on ${fixturePath(NAMES.sysbox)} has an engine that answers`));
  });
});
