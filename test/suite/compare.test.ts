// The compare view's data as the command returns it, against what `docker ps` prints outside and inside.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Comparison } from '../../src/model/compare';
import { docker, dockerIn } from '../support/docker';
import { NAMES, ensureNestedFixture } from '../support/nestedFixture';

async function ids(path: string[]): Promise<string[]> {
  return (await dockerIn(path, ['ps', '-q', '--no-trunc'])).split('\n').filter(Boolean).map((id) => id.slice(0, 12)).sort();
}

describe('Compare view data', function () {
  this.timeout(300_000);

  before(async () => {
    await ensureNestedFixture();
    await vscode.extensions.getExtension('matryoshka-dev.matryoshka')?.activate();
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('DooD: the inside list is what `docker exec it-dood docker ps` prints, all siblings', async () => {
    const data = await vscode.commands.executeCommand<Comparison>('matryoshka.compare', { path: [NAMES.dood] });
    assert.match(data.verdict, new RegExp(`^${NAMES.dood} shares default's engine: its \\d+ containers are siblings, itself among them\\.$`));
    assert.deepEqual(data.inner.map((r) => r.id).sort(), await ids([NAMES.dood]));
    assert.deepEqual(data.outer.map((r) => r.id).sort(), (await docker(['ps', '-q'])).split('\n').filter(Boolean).sort());
    assert.ok(data.inner.every((r) => r.relation === 'sibling' || r.relation === 'self'));
    assert.equal(data.inner.find((r) => r.relation === 'self')?.names, NAMES.dood);
  });

  it('DinD: the inside list is what `docker exec it-dind docker ps` prints, all children', async () => {
    const data = await vscode.commands.executeCommand<Comparison>('matryoshka.compare', { path: [NAMES.dind] });
    assert.deepEqual(data.inner.map((r) => r.id).sort(), await ids([NAMES.dind]));
    assert.ok(data.inner.length >= 2 && data.inner.every((r) => r.relation === 'child'));
    assert.match(data.verdict, new RegExp(`^${NAMES.dind} runs its own engine: ${data.inner.length} children that default cannot see\\.$`));
  });

  it('refuses a plain container with a reason', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.compare', { path: [NAMES.plain] })), new RegExp(`${NAMES.plain} has no Docker inside`));
  });
});
