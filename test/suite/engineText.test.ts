// Engine names in notifications and quick picks: an engine named with a command link and an icon
// (a matryoshka.engines entry; a folder's settings can name one) must show as typed, linking and
// drawing nothing. The engine behind the name is the real one.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { docker } from '../support/docker';
import { api, withWindowStub } from './matryoshkaApi';

const HOSTILE = 'evil](command:workbench.action.quit) $(alert)';
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NAME = `it14-text-${RUN}`;

describe('Engine names in notifications and quick picks', function () {
  this.timeout(120_000);
  let matryoshka: MatryoshkaApi;
  const config = () => vscode.workspace.getConfiguration('matryoshka');

  before(async () => {
    matryoshka = await api();
    await config().update('engines', [{ name: HOSTILE, host: 'unix:///var/run/docker.sock' }], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('matryoshka.refresh');
  });

  after(async () => {
    await config().update('engines', undefined, vscode.ConfigurationTarget.Global);
    await docker(['volume', 'rm', '-f', `${NAME}-certs`]).catch(() => undefined);
    await matryoshka?.launches.end({ engine: HOSTILE, name: NAME });
  });

  it('the question about an interrupted launch shows the engine name as text', async () => {
    await docker(['volume', 'create', '--label', `dev.matryoshka.workspace=${NAME}`, `${NAME}-certs`]);
    await matryoshka.launches.begin({ engine: HOSTILE, name: NAME, startedAt: Date.now() });
    const asked: string[] = [];
    await withWindowStub('showWarningMessage', (async (message: string) => {
      asked.push(message);
      return 'Keep';
    }) as never, () => matryoshka.recoverInterruptedLaunches());
    assert.equal(asked.length, 1, `one question: ${JSON.stringify(asked)}`);
    assert.ok(asked[0].includes(`on evil]\\(command:workbench.action.quit) \\$(alert) was interrupted`), asked[0]);
    assert.ok(!asked[0].includes('](command:'), 'no command link');
  });

  it('the health check\'s quick pick shows the engine name as text', async () => {
    const labels: string[] = [];
    await withWindowStub('showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => {
      labels.push(...items.map((i) => `${i.label} | ${i.description ?? ''}`));
      return undefined;
    }) as never, async () => vscode.commands.executeCommand('matryoshka.engineHealth'));
    const hostile = labels.filter((l) => l.startsWith('evil]'));
    assert.deepEqual(hostile, ['evil](command:workbench.action.quit) \\$(alert) | engine · unix:///var/run/docker.sock'], labels.join('\n'));
  });
});
