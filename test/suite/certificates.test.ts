// Client certificates of published workspaces (<certRoot>/<engine>/<container>) go once the real
// engine lists their container gone, however it was removed; never under an engine that did not
// answer, and never while a launch may still be writing them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { docker, waitFor } from '../support/docker';
import { api } from './matryoshkaApi';

const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const LIVE = `it14-cert-live-${RUN}`;
const GONE = `it14-cert-gone-${RUN}`;
const YOUNG = `it14-cert-young-${RUN}`;
const OFFLINE = `it14-cert-offline-${RUN}`;

/** A certificate directory as a launch leaves it, last written `ageMs` ago. */
function certificates(dir: string, ageMs: number): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'ca.pem'), 'ca\n');
  const then = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(dir, 'ca.pem'), then, then);
  fs.utimesSync(dir, then, then);
  return dir;
}

describe('Client certificates of removed workspaces', function () {
  this.timeout(120_000);
  let matryoshka: MatryoshkaApi;
  const config = () => vscode.workspace.getConfiguration('matryoshka');
  const dirs: string[] = [];

  before(async () => {
    matryoshka = await api();
    await docker(['run', '-d', '--name', LIVE, '--label', `dev.matryoshka.test=certificates-${RUN}`, 'busybox:latest', 'sleep', '600']);
    // An engine that never answers: what is filed under it must stay.
    await config().update('engines', [{ name: OFFLINE, host: `unix:///tmp/${OFFLINE}.sock` }], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('engines', undefined, vscode.ConfigurationTarget.Global);
    await docker(['rm', '-f', LIVE]).catch(() => undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(matryoshka.certRoot, OFFLINE), { recursive: true, force: true });
  });

  it('deletes those of a container docker rm removed, keeps those of containers still there, of engines that did not answer, and fresh ones', async () => {
    const old = 5 * 60_000;
    const live = certificates(path.join(matryoshka.certRoot, 'default', LIVE), old);
    const gone = certificates(path.join(matryoshka.certRoot, 'default', GONE), old);
    const young = certificates(path.join(matryoshka.certRoot, 'default', YOUNG), 0);
    const offline = certificates(path.join(matryoshka.certRoot, OFFLINE, GONE), old);
    dirs.push(live, gone, young, offline);

    await vscode.commands.executeCommand('matryoshka.refresh');
    assert.equal(matryoshka.engineService.snapshot().find((e) => e.name === OFFLINE)?.status.kind, 'disconnected', 'the offline engine did not answer');
    await waitFor('the certificates of a container that is not on default deleted', 30_000, async () => !fs.existsSync(gone));
    assert.ok(fs.existsSync(live), 'a container that is still there keeps its certificates');
    assert.ok(fs.existsSync(young), 'certificates written less than a minute ago stay (a launch may not be listed yet)');
    assert.ok(fs.existsSync(offline), 'nothing is deleted under an engine that did not answer');

    await docker(['rm', '-f', LIVE]);
    await vscode.commands.executeCommand('matryoshka.refresh');
    await waitFor('the certificates of the container docker rm removed deleted', 30_000, async () => !fs.existsSync(live));
    assert.ok(fs.existsSync(offline));
  });
});
