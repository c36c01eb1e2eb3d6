// Files of a container two engines deep, through the matryoshka-container file system, as the
// editor opens, edits and saves them; what was saved is read back with `docker exec cat`.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { dockerIn } from '../support/docker';
import { NAMES } from '../support/nestedFixture';
import { apiWithFixture } from './matryoshkaApi';

const ENGINES = [NAMES.dind, NAMES.dindInner];
const NAME = `files-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

function execInContainer(cmd: string[]): Promise<string> {
  return dockerIn(ENGINES, ['exec', NAME, ...cmd]);
}

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

describe('Files of a container two engines deep', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    matryoshka = await apiWithFixture();
    await dockerIn(ENGINES, ['run', '-d', '--name', NAME, 'busybox:latest', 'sleep', '86400']);
    await execInContainer(['sh', '-c', 'mkdir /src && printf "line one\\n" > /src/notes.txt && chown 1234:2345 /src/notes.txt && chmod 640 /src/notes.txt']);
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await dockerIn(ENGINES, ['rm', '-f', NAME]).catch(() => undefined);
  });

  it('matryoshka.containerUri gives the documented URI, and vscode.workspace.fs reads it', async () => {
    const uri = await vscode.commands.executeCommand<string>('matryoshka.containerUri', { path: [...ENGINES, NAME], file: '/etc/hostname' });
    assert.equal(uri, `matryoshka-container:/default/${ENGINES.join('/')}/${NAME}/-/etc/hostname`);
    const read = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri))).toString();
    assert.equal(read.trim(), await execInContainer(['cat', '/etc/hostname']));
  });

  it('opens a file in the editor, saves an edit, and docker exec cat reads the edit with mode and owner kept', async () => {
    const uri = vscode.Uri.parse(await vscode.commands.executeCommand<string>('matryoshka.containerUri', { path: [...ENGINES, NAME], file: '/src/notes.txt' }));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), 'line one\n');
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'line two from the editor\n')));
    assert.ok(await document.save(), 'saved (the Matryoshka log says why not)');
    assert.equal(await execInContainer(['cat', '/src/notes.txt']), 'line one\nline two from the editor');
    assert.equal(await execInContainer(['stat', '-c', '%a %u %g', '/src/notes.txt']), '640 1234 2345');
  });

  it('keeps what an open file looked like only while a tab shows it', async () => {
    const uri = vscode.Uri.parse(await vscode.commands.executeCommand<string>('matryoshka.containerUri', { path: [...ENGINES, NAME], file: '/src/notes.txt' }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.ok(matryoshka.fileSystem.remembers(uri), 'an open file is re-checked when its editor gets focus');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const deadline = Date.now() + 30_000;
    while (matryoshka.fileSystem.remembers(uri) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(matryoshka.fileSystem.remembers(uri), false, 'forgotten once its last tab closed');
  });

  it('lists the container\'s files under its Files node, and a file row opens it', async () => {
    const etc = await nodeAt(matryoshka, ['default', ...ENGINES, NAME, 'Files', 'etc']);
    const provider = matryoshka.view.provider;
    const rows = (await provider.getChildren(etc)).map((n) => provider.getTreeItem(n));
    const expected = (await execInContainer(['ls', '-A', '/etc'])).split('\n').filter(Boolean).sort();
    assert.deepEqual(rows.map((r) => String(r.label)).sort(), expected);
    const hostname = rows.find((r) => r.label === 'hostname');
    assert.equal(hostname?.command?.command, 'vscode.open');
    assert.equal(String(hostname?.command?.arguments?.[0]), `matryoshka-container:/default/${ENGINES.join('/')}/${NAME}/-/etc/hostname`);
  });

  it('errors name the container and the path: no such file, over the size limit', async () => {
    const where = ['default', ...ENGINES, NAME].join(' › ');
    const missing = vscode.Uri.parse(await vscode.commands.executeCommand<string>('matryoshka.containerUri', { path: [...ENGINES, NAME], file: '/src/absent.txt' }));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(missing)), (error: Error) => {
      assert.ok(error instanceof vscode.FileSystemError, String(error));
      assert.equal(error.code, 'FileNotFound');
      assert.ok(error.message.includes(`/src/absent.txt in container ${where}`), error.message);
      return true;
    });
    await execInContainer(['sh', '-c', 'head -c 2097152 /dev/zero > /src/big.bin']);
    const big = vscode.Uri.parse(await vscode.commands.executeCommand<string>('matryoshka.containerUri', { path: [...ENGINES, NAME], file: '/src/big.bin' }));
    const config = vscode.workspace.getConfiguration('matryoshka');
    await config.update('files.maxFileSizeMB', 1, vscode.ConfigurationTarget.Global);
    try {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(big)), (error: Error) => {
        assert.ok(error.message.includes(`/src/big.bin in container ${where}`), error.message);
        assert.match(error.message, /2 MiB, over the limit of 1 MiB \(raise matryoshka\.files\.maxFileSizeMB/);
        return true;
      });
    } finally {
      await config.update('files.maxFileSizeMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Open Folder in Container adds the folder as a workspace folder of this file system', async () => {
    // Adding a second folder turns this test window into an untitled workspace (a reload), so the
    // call VS Code receives is captured here instead of carried out.
    const calls: unknown[][] = [];
    const original = vscode.workspace.updateWorkspaceFolders;
    (vscode.workspace as Record<string, unknown>).updateWorkspaceFolders = (...args: unknown[]) => {
      calls.push(args);
      return true;
    };
    let result: string | undefined;
    try {
      result = await vscode.commands.executeCommand<string>('matryoshka.openContainerFolder', { path: [...ENGINES, NAME], folder: '/src' });
    } finally {
      (vscode.workspace as Record<string, unknown>).updateWorkspaceFolders = original;
    }
    assert.equal(result, `matryoshka-container:/default/${ENGINES.join('/')}/${NAME}/-/src`);
    assert.equal(calls.length, 1);
    const added = calls[0][2] as { uri: vscode.Uri; name: string };
    assert.equal(added.uri.toString(), result);
    assert.equal(added.name, `${NAME}: /src`);
    const listed = (await vscode.workspace.fs.readDirectory(added.uri)).map(([name]) => name).sort();
    assert.deepEqual(listed, ['big.bin', 'notes.txt']);
  });
});
