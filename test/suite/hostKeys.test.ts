// An ssh engine whose host key nobody has recorded yet, as the person meets it: one modal with the
// fingerprint however many connections open at once, "Trust" records it; and a row that warns when
// an engine's TLS is not verified.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { waitFor } from '../support/docker';
import { startSshServer, type SshServer } from '../support/sshServer';
import { api, withWindowStub } from './matryoshkaApi';

describe('ssh host keys and unverified TLS in the tree', function () {
  this.timeout(180_000);
  let matryoshka: MatryoshkaApi;
  let ssh: SshServer;
  let previousEngines: unknown;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-suite-known-hosts-'));
  const knownHosts = path.join(dir, 'ssh', 'known_hosts');
  const savedOverride = process.env.MATRYOSHKA_KNOWN_HOSTS;

  before(async () => {
    ssh = await startSshServer();
    process.env.MATRYOSHKA_KNOWN_HOSTS = knownHosts;
    matryoshka = await api();
    previousEngines = vscode.workspace.getConfiguration('matryoshka').inspect('engines')?.globalValue;
  });

  after(async () => {
    await vscode.workspace.getConfiguration('matryoshka').update('engines', previousEngines, vscode.ConfigurationTarget.Global);
    if (savedOverride === undefined) delete process.env.MATRYOSHKA_KNOWN_HOSTS;
    else process.env.MATRYOSHKA_KNOWN_HOSTS = savedOverride;
    await ssh?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks once with the SHA256 fingerprint, "Trust" records the key, and the engine connects', async () => {
    const fingerprint = execFileSync('ssh-keygen', ['-lf', '-'], { input: ssh.knownHostsLine, encoding: 'utf8' }).split(' ')[1];
    const asked: { message: string; detail: string; modal: boolean }[] = [];
    const stub = (async (message: string, options: vscode.MessageOptions, ...items: string[]) => {
      asked.push({ message, detail: options?.detail ?? '', modal: options?.modal === true });
      return items.includes('Trust') ? 'Trust' : undefined;
    }) as never;
    await withWindowStub('showWarningMessage', stub, async () => {
      await vscode.workspace.getConfiguration('matryoshka').update(
        'engines',
        [
          { name: 'suite-ssh', host: `ssh://${ssh.user}@127.0.0.1:${ssh.port}`, identityFile: ssh.identityFile },
          { name: 'suite-unverified', host: 'tcp://127.0.0.1:9', tls: { verify: false } },
        ],
        vscode.ConfigurationTarget.Global,
      );
      await vscode.commands.executeCommand('matryoshka.refresh');
      await waitFor('the ssh engine to connect', 120_000, async () =>
        matryoshka.engineService.snapshot().find((e) => e.name === 'suite-ssh')?.status.kind === 'connected' || undefined,
      );
    });
    assert.equal(asked.length, 1, 'every relay of the engine waited for the one question');
    assert.ok(asked[0].modal);
    assert.match(asked[0].message, new RegExp(`127\\.0\\.0\\.1:${ssh.port}`));
    assert.ok(asked[0].detail.includes(`ssh-ed25519 key fingerprint is ${fingerprint}`), asked[0].detail);
    const recorded = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${ssh.port}`, '-f', knownHosts], { encoding: 'utf8' });
    assert.ok(recorded.includes(ssh.knownHostsLine.split(' ').slice(1).join(' ')));
    assert.equal(fs.statSync(knownHosts).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(knownHosts)).mode & 0o777, 0o700);
  });

  it('an engine with TLS verification off says so on its row and in its tooltip', async () => {
    const provider = matryoshka.view.provider;
    const row = (await provider.getChildren(undefined)).find((node) => {
      const item = provider.getTreeItem(node);
      return (typeof item.label === 'string' ? item.label : item.label?.label) === 'suite-unverified';
    });
    assert.ok(row, 'the row is listed');
    assert.match(String(provider.getTreeItem(row).description), /TLS not verified/);
    const tooltip = provider.resolveTreeItem(provider.getTreeItem(row), row).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /TLS verification is off/);
    const verified = (await provider.getChildren(undefined)).find((node) => provider.getTreeItem(node).label === 'suite-ssh');
    assert.ok(verified);
    assert.doesNotMatch(String(provider.getTreeItem(verified).description), /TLS not verified/);
  });
});
