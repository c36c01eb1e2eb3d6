// A hostile engine beside the real one, configured in matryoshka.engines: for each way it misbehaves
// (test/support/hostileEngine.ts), the real engine keeps rendering and stays live (a container
// created during the case appears), the hostile row shows an error naming what was wrong within the
// request deadline, and the extension host's heap grows by less than 50 MB. The event-loop delay of
// each case is recorded for docs/RELIABILITY.md.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { docker, waitFor } from '../support/docker';
import { HOSTILE_MODES, startHostileEngine, type HostileEngine, type RowBreakingMode } from '../support/hostileEngine';
import { pause, recordFigures } from './figures';
import { api } from './matryoshkaApi';

const DEADLINE_SECONDS = 3;
/** The deadline, plus the render debounce and the settings change reaching the extension. */
const ERROR_SHOWN_WITHIN_MS = DEADLINE_SECONDS * 1000 + 1500;
const HEAP_GROWTH_MAX = 50 * 1024 * 1024;
const LABEL = 'dev.matryoshka.test=hostile';
const SUFFIX = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** What each case's error on the hostile row must say. */
const EXPECTED_REASON: Record<RowBreakingMode, RegExp> = {
  mountsObject: /GET \/containers\/json: \[0\]\.Mounts: expected array, got object$/,
  shapes: /GET \/containers\/json: \[0\]\.Mounts: expected array, got object/,
  huge: /GET \/containers\/json: the reply is larger than 16 MiB/,
  eventLine: /an event line is longer than 64 KiB/,
  drip: /GET \/containers\/json did not answer within 3 s/,
  silent: /GET \/version did not answer within 3 s/,
  invalidHttp: /GET \/version failed: HPE_/,
};

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

describe('Hostile engines beside the real one', function () {
  this.timeout(600_000);
  let matryoshka: MatryoshkaApi;
  let previousEngines: unknown;
  let previousTimeout: unknown;
  const created: string[] = [];
  const figures: Record<string, unknown> = { deadlineSeconds: DEADLINE_SECONDS, gcAvailable: typeof (globalThis as { gc?: unknown }).gc === 'function' };
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const provider = () => matryoshka.view.provider;
  const item = (node: TreeNode) => provider().getTreeItem(node);

  /** The root row named `name`, as VS Code would read it now. */
  async function row(name: string): Promise<TreeNode | undefined> {
    return (await provider().getChildren()).find((node) => labelOf(item(node)) === name);
  }

  /** The reason shown under a disconnected engine row, or undefined while it is not disconnected. */
  async function shownError(name: string): Promise<string | undefined> {
    const node = await row(name);
    if (!node || !/engine-disconnected/.test(item(node).contextValue ?? '')) return undefined;
    const note = (await provider().getChildren(node)).find((child) => child.id.endsWith(':disconnected'));
    const tooltip = note ? item(note).tooltip ?? note.resolveTooltip?.() : undefined;
    return typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '';
  }

  async function realEngineShows(container: string): Promise<boolean> {
    const node = await row('default');
    if (!node || /engine-disconnected/.test(item(node).contextValue ?? '')) return false;
    return (await provider().getChildren(node)).some((child) => labelOf(item(child)) === container);
  }

  before(async () => {
    process.on('unhandledRejection', onRejection);
    matryoshka = await api();
    const config = vscode.workspace.getConfiguration('matryoshka');
    previousEngines = config.inspect('engines')?.globalValue;
    previousTimeout = config.inspect('requestTimeoutSeconds')?.globalValue;
    await config.update('requestTimeoutSeconds', DEADLINE_SECONDS, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('matryoshka.refresh');
    await waitFor('the real engine listed', 30_000, async () => {
      const node = await row('default');
      return node && !/engine-disconnected/.test(item(node).contextValue ?? '');
    });
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    const config = vscode.workspace.getConfiguration('matryoshka');
    await config.update('engines', previousEngines, vscode.ConfigurationTarget.Global);
    await config.update('requestTimeoutSeconds', previousTimeout, vscode.ConfigurationTarget.Global);
    if (created.length) await docker(['rm', '-f', ...created]).catch(() => undefined);
    recordFigures('hostileEngines', figures);
  });

  afterEach(() => {
    assert.deepEqual(rejections.map(String), [], 'no unhandled promise rejection');
  });

  for (const mode of HOSTILE_MODES) {
    it(`${mode}: the real engine renders and stays live, the hostile row shows why, the heap stays bounded`, async () => {
      const name = `hostile-${mode}`;
      const container = `mhostile-${mode.toLowerCase()}-${SUFFIX}`;
      let hostile: HostileEngine | undefined;
      const lag = monitorEventLoopDelay({ resolution: 10 });
      const config = vscode.workspace.getConfiguration('matryoshka');
      try {
        hostile = await startHostileEngine(mode);
        const heapBefore = heapUsed();
        lag.enable();
        const configuredAt = Date.now();
        await config.update('engines', [{ name, host: hostile.host }], vscode.ConfigurationTarget.Global);

        const reason = await waitFor(`${name} shown with an error`, 30_000, () => shownError(name), 25);
        const errorShownMs = Date.now() - configuredAt;
        assert.match(reason, EXPECTED_REASON[mode]);
        assert.match(reason, new RegExp(`engine "${name}"`));
        assert.ok(errorShownMs <= ERROR_SHOWN_WITHIN_MS, `${name}: the error showed after ${errorShownMs} ms`);

        // Live: a container made on the real engine now shows up, while the hostile one keeps failing.
        const createdAt = Date.now();
        await docker(['run', '-d', '--name', container, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
        created.push(container);
        await waitFor(`${container} in the tree under the real engine`, 15_000, () => realEngineShows(container), 50);
        const liveMs = Date.now() - createdAt;
        // A few more seconds of the hostile engine's retries, for the heap and the event loop.
        await pause(5_000);
        assert.ok(await realEngineShows(container), 'the real engine still renders after the retries');
        lag.disable();
        const heapGrowth = heapUsed() - heapBefore;
        figures[mode] = {
          errorShownMs,
          newContainerShownMs: liveMs,
          heapGrowthMB: +(heapGrowth / 1024 / 1024).toFixed(1),
          eventLoopDelayMaxMs: +(lag.max / 1e6).toFixed(1),
          eventLoopDelayP99Ms: +(lag.percentile(99) / 1e6).toFixed(1),
          reason: reason.slice(0, 200),
        };
        assert.ok(heapGrowth < HEAP_GROWTH_MAX, `${name}: the heap grew by ${(heapGrowth / 1024 / 1024).toFixed(1)} MB`);
      } finally {
        lag.disable();
        await config.update('engines', previousEngines, vscode.ConfigurationTarget.Global);
        await waitFor(`${name} gone from the tree`, 15_000, async () => !(await row(name)));
        await docker(['rm', '-f', container]).catch(() => undefined);
        await hostile?.close();
      }
    });
  }
});
