import * as vscode from 'vscode';
import { webviewOptions, webviewPage } from './webviewPage';
import { gatherComparison } from '../engine/compareData';
import type { Comparison } from '../model/compare';
import { comparisonAsText, copyNotice, parseFromWebview, refreshNotice, rowIn, type ToWebview } from '../model/compareProtocol';
import { isContainerTarget, resolveTarget, type ContainerTarget, type ResolvedTarget, pathLabel } from '../model/targets';
import type { EngineService } from '../services/engineService';

export const COMPARE_VIEW_TYPE = 'matryoshka.compare';
const REFRESH_DEBOUNCE_MS = 300;

/**
 * The host's `docker ps` beside the inner engine's, for one container. Re-gathered when either
 * engine reports a change while the panel is visible; restored after a reload from its target.
 */
export class ComparePanel implements vscode.Disposable {
  private comparison: Comparison | undefined;
  private labels = { title: '', outer: '', inner: '' };
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly target: ContainerTarget,
    private readonly engineService: EngineService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw).catch((error: Error) => this.log.warn(`compare: ${error.message}`))),
      engineService.onDidChange(() => this.scheduleUpdate()),
      panel.onDidChangeViewState(() => this.scheduleUpdate()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Restores a panel after a window reload, from the target the webview kept in its state. */
  static register(engineService: EngineService, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const target = (state as { target?: unknown } | undefined)?.target;
        if (!isContainerTarget(target)) return panel.dispose();
        const restored = new ComparePanel(panel, target, engineService, extensionUri, log);
        await restored.update().catch(() => undefined);
      },
    });
  }

  static open(target: ResolvedTarget, engineService: EngineService, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): ComparePanel {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, `docker ps: ${target.container.name}`, vscode.ViewColumn.Active, { enableScripts: true });
    return new ComparePanel(panel, { engine: target.at.engine, path: target.at.path }, engineService, extensionUri, log);
  }

  /**
   * Gathers both lists now and sends them to the webview; resolves to what it shows. `announce`
   * makes the page say so (after the person pressed Refresh; not after an engine event).
   */
  async update(announce = false): Promise<Comparison> {
    try {
      await this.engineService.ready();
      const resolved = resolveTarget(this.engineService.snapshot(), this.target);
      const comparison = await gatherComparison(this.graphOf(), resolved, this.engineService.requestDeadlineMs);
      const engineName = resolved.engines[resolved.engines.length - 1]?.name ?? resolved.at.engine;
      this.comparison = comparison;
      this.labels = {
        title: pathLabel(resolved.at),
        outer: `docker ps on ${engineName} (the engine running ${resolved.container.name})`,
        inner: `docker ps inside ${resolved.container.name} (what its Docker client sees)`,
      };
      const updated = new Date().toLocaleTimeString();
      this.post({
        type: 'comparison',
        target: this.target,
        title: this.labels.title,
        engineName,
        containerName: resolved.container.name,
        outerLabel: this.labels.outer,
        innerLabel: this.labels.inner,
        comparison,
        updated,
        ...(announce ? { notice: refreshNotice(comparison, updated) } : {}),
      });
      return comparison;
    } catch (error) {
      this.post({ type: 'problem', message: `Cannot compare ${this.target.path.join(' › ')}: ${(error as Error).message}` });
      throw error;
    }
  }

  private graphOf() {
    const graph = this.engineService.graphForViews();
    if (!graph) throw new Error('no engine has been listed yet');
    return graph;
  }

  private scheduleUpdate(): void {
    if (!this.panel.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update().catch((error: Error) => this.log.warn(`compare: ${error.message}`)), REFRESH_DEBOUNCE_MS);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) return this.log.warn('compare: ignored a malformed message from the webview');
    if (message.type === 'ready') {
      await this.update().catch(() => undefined);
    } else if (message.type === 'refresh') {
      await this.update(true).catch(() => undefined);
    } else if (message.type === 'copy' && this.comparison) {
      await vscode.env.clipboard.writeText(comparisonAsText(this.labels.title, this.labels.outer, this.labels.inner, this.comparison));
      this.post({ type: 'notice', text: copyNotice(this.comparison) });
    } else if (message.type === 'inspect') {
      // Only a container the panel showed on that side; the webview cannot name another one.
      const row = rowIn(this.comparison, message.side, message.id);
      if (!row) return this.log.warn(`compare: the webview asked for ${message.id}, which it was not shown`);
      const path = message.side === 'inner' ? [...this.target.path, row.names.split(',')[0]] : [...this.target.path.slice(0, -1), row.names.split(',')[0]];
      await vscode.commands.executeCommand('matryoshka.inspect', { engine: this.target.engine, path });
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    return webviewPage(this.panel.webview, this.extensionUri, { name: 'compare', title: 'docker ps compared', placeholder: 'Listing both engines…' });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
