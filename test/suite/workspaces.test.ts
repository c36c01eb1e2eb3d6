// Launching and removing workspaces through the commands, as other extensions and tests call them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { ContainerNode } from '../../src/views/nodes/containerNode';
import { docker, dockerIn, waitFor } from '../support/docker';
import { ensureNestedFixture } from '../support/nestedFixture';
import { OWN_ID } from '../support/runId';
import { api, runFromMenu, withWindowStub } from './matryoshkaApi';

const PREFIX = `it4-vs-${OWN_ID}-`;

async function labelled(name: string): Promise<string[]> {
  const filter = `label=dev.matryoshka.workspace=${name}`;
  return [
    ...(await docker(['ps', '-aq', '--filter', filter])).split('\n'),
    ...(await docker(['volume', 'ls', '-q', '--filter', filter])).split('\n'),
  ].filter(Boolean);
}

async function removeOurs(): Promise<void> {
  const names = (await docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter((n) => n.startsWith(PREFIX));
  if (names.length) await docker(['rm', '-f', '-v', ...names]);
  const volumes = (await docker(['volume', 'ls', '-q'])).split('\n').filter((n) => n.startsWith(PREFIX));
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
}

/** Replaces one vscode.window function for the length of `work` (the dialog itself is tested in the UI suite). */
describe('Workspaces in VS Code', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    await ensureNestedFixture();
    await removeOurs();
    matryoshka = await api();
    await vscode.commands.executeCommand('workbench.view.extension.matryoshka');
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(removeOurs);

  it('launchDind with an options object asks nothing, resolves to { id, name, engine } and reveals the workspace with its engine', async () => {
    const name = `${PREFIX}dind`;
    const result = await vscode.commands.executeCommand<{ id: string; name: string; engine: string }>('matryoshka.launchDind', { name, folder: null, skipConfirmation: true });
    assert.deepEqual({ name: result.name, engine: result.engine }, { name, engine: 'default' });
    assert.equal(await docker(['inspect', '--format', '{{.Id}} {{.HostConfig.Privileged}}', name]), `${result.id} true`);
    // The selection reaches the extension host a moment after reveal resolves.
    // (The extension runs from its bundle, so its node classes are not the ones this test imports.)
    const selected = await waitFor('the new workspace selected in the tree', 30_000, async () => {
      const node = matryoshka.view.treeView.selection[0] as ContainerNode | undefined;
      return node?.id.endsWith(`/${result.id}`) ? node : undefined;
    });
    assert.equal(selected.container.name, name);
    assert.equal(selected.container.inner?.status.kind, 'connected', 'its inner engine is listed');
  });

  it('loadImage with { path, image } copies an image of the host into the workspace\'s engine', async () => {
    const name = `${PREFIX}dind`;
    const result = await vscode.commands.executeCommand<{ image: string; bytes: number }>('matryoshka.loadImage', { path: [name], image: 'busybox:latest' });
    assert.equal(result.image, 'busybox:latest');
    assert.ok(result.bytes > 100_000);
    assert.match(await dockerIn([name], ['images', '--format', '{{.Repository}}:{{.Tag}}']), /busybox:latest/);
  });

  it('a published DinD: Copy DOCKER_HOST gives lines that a docker CLI on the host uses over TLS', async () => {
    const name = `${PREFIX}published`;
    await vscode.commands.executeCommand('matryoshka.launchDind', { name, folder: null, publish: true, skipConfirmation: true });
    const text = await vscode.commands.executeCommand<string>('matryoshka.copyDockerHost', { path: [name] });
    assert.equal(await vscode.env.clipboard.readText(), text);
    // What a POSIX shell makes of the copied lines (they are quoted for one).
    const inShell = (command: string) => execFileSync('sh', ['-c', `${text}\n${command}`], { encoding: 'utf8' }).trim();
    const env = { DOCKER_HOST: inShell('printf %s "$DOCKER_HOST"'), DOCKER_TLS_VERIFY: inShell('printf %s "$DOCKER_TLS_VERIFY"') };
    assert.match(env.DOCKER_HOST, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(env.DOCKER_TLS_VERIFY, '1');
    const version = inShell("docker version --format '{{.Server.Version}}'");
    assert.match(version, /^\d+\.\d+/);
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.openDockerHostTerminal', { path: [name] });
    assert.equal((terminal.creationOptions as vscode.TerminalOptions).env?.DOCKER_HOST, env.DOCKER_HOST);
    terminal.dispose();
    await vscode.commands.executeCommand('matryoshka.removeWorkspace', { name, skipConfirmation: true });
    assert.deepEqual(await labelled(name), []);
  });

  it('refusing the confirmation stops the launch: nothing is created', async () => {
    const name = `${PREFIX}refused`;
    const asked: string[] = [];
    const result = await withWindowStub('showWarningMessage', (async (message: string, options: vscode.MessageOptions) => {
      asked.push(`${message}\n${options?.detail ?? ''}`);
      return undefined;
    }) as never, async () => vscode.commands.executeCommand('matryoshka.launchDind', { name, folder: null }));
    assert.equal(result, undefined);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /--privileged/);
    assert.match(asked[0], /root on the host/);
    assert.deepEqual(await labelled(name), []);
  });

  it('a failed launch rejects with the message the user sees, and leaves nothing', async () => {
    const name = `${PREFIX}nosysbox`;
    const shown: string[] = [];
    await withWindowStub('showErrorMessage', (async (message: string) => {
      shown.push(message);
      return undefined;
    }) as never, async () => {
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('matryoshka.launchSysbox', { name, runtime: 'sysbox-absent' })),
        (error: Error) => /Sysbox is not installed on default/.test(error.message) && shown.includes(error.message),
      );
    });
    assert.deepEqual(await labelled(name), []);
  });

  it('checks Sysbox right after the engine pick, marks which engines have it, and does not call a runtime the setting leaves out "not installed"', async () => {
    const config = vscode.workspace.getConfiguration('matryoshka');
    await config.update('sysbox.runtimes', ['sysbox-absent'], vscode.ConfigurationTarget.Global);
    const asked: string[] = [];
    let engines: readonly vscode.QuickPickItem[] = [];
    try {
      await withWindowStub('showInputBox', (async (options?: vscode.InputBoxOptions) => {
        asked.push(`input: ${options?.title}`);
        return undefined;
      }) as never, () => withWindowStub('showQuickPick', (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
        engines = await items;
        asked.push('engine pick');
        return engines.find((e) => e.label === 'default');
      }) as never, () => withWindowStub('showWarningMessage', (async (message: string) => {
        asked.push(`warning: ${message}`);
        return undefined;
      }) as never, () => runFromMenu('matryoshka.launchSysbox'))));
    } finally {
      await config.update('sysbox.runtimes', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.match(engines.find((e) => e.label === 'default')?.description ?? '', /Sysbox: sysbox-runc \(not in matryoshka\.sysbox\.runtimes\)/);
    assert.ok(engines.every((e) => !/dial-stdio/.test(e.description ?? '')), `no relay jargon in the pick: ${engines.map((e) => e.description).join(' | ')}`);
    assert.deepEqual(asked.slice(asked[0] === 'engine pick' ? 1 : 0).map((a) => a.replace(/:.*/s, '')), ['warning'], `nothing asked after the engine but the runtime question: ${asked.join(' | ')}`);
    assert.match(asked[asked.length - 1], /^warning: default has the Sysbox runtime sysbox-runc, but the setting matryoshka\.sysbox\.runtimes names only sysbox-absent\.$/);
  });

  it('rejects unknown options and unknown engines with a clear message', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.launchDood', { nmae: 'typo' })), /Unknown launch option "nmae"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.launchDood', { engine: 'no-such-engine', name: 'x' })), /No connected engine "no-such-engine"/);
  });

  it('finds what an interrupted launch left by its labels and removes it when the user says so', async () => {
    // What a launch leaves when its extension host dies between creating the volumes and the container.
    const name = `${PREFIX}interrupted`;
    for (const volume of [`${name}-var-lib-docker`, `${name}-certs`]) {
      await docker(['volume', 'create', '--label', `dev.matryoshka.workspace=${name}`, volume]);
    }
    await matryoshka.launches.begin({ engine: 'default', name, startedAt: Date.now() });
    const asked: string[] = [];
    const cleaned = await withWindowStub('showWarningMessage', (async (message: string) => {
      asked.push(message);
      return 'Remove Them';
    }) as never, () => matryoshka.recoverInterruptedLaunches());
    assert.deepEqual(cleaned, [name]);
    assert.match(asked[0], new RegExp(`The launch of ${name} on default was interrupted .* It left volume ${name}-certs, volume ${name}-var-lib-docker\\. Remove them\\?`));
    assert.deepEqual(await labelled(name), []);
    assert.deepEqual(matryoshka.launches.pending(), [], 'and the launch is forgotten');
  });

  it('a launch that ends, even in failure, leaves nothing to recover', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.launchSysbox', { name: `${PREFIX}ended`, runtime: 'sysbox-absent' })), /Sysbox is not installed on default/);
    assert.deepEqual(matryoshka.launches.pending(), []);
  });

  it('removeWorkspace removes the container and the volumes that carry its label', async () => {
    const name = `${PREFIX}dind`;
    assert.equal((await labelled(name)).length, 3, 'container and two volumes before');
    const result = await vscode.commands.executeCommand<{ removed: string[] }>('matryoshka.removeWorkspace', { name, skipConfirmation: true });
    assert.deepEqual(result.removed, [`container ${name}`, `volume ${name}-certs`, `volume ${name}-var-lib-docker`]);
    assert.deepEqual(await labelled(name), []);
  });
});
