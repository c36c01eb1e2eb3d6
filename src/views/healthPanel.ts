import * as vscode from 'vscode';
import { webviewOptions, webviewPage } from './webviewPage';
import { reportAction } from '../model/healthReport';
import { parseFromHealthWebview, type ToHealthWebview } from '../model/healthProtocol';
import type { HealthRecord, HealthStore } from './healthStore';

export const HEALTH_VIEW_TYPE = 'matryoshka.health';

/**
 * The health report of one engine or container: problems first, each with what to do and its safe
 * actions (copy the advice, open a setting), and Run again. One panel per checked node: a new check
 * of the same node updates it.
 */
export class HealthPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pendingNotice: string | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private record: HealthRecord,
    private readonly store: HealthStore,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.receive(raw).catch((error: Error) => this.log.warn(`health report: ${error.message}`))),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows the record's report, in the panel of the same node if one is open. */
  static show(store: HealthStore, record: HealthRecord, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): HealthPanel {
    const open = store.panels.get(record.nodeId);
    if (open) {
      open.update(record, `Checked again at ${new Date().toLocaleTimeString()}.`);
      open.panel.reveal(undefined, false);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(HEALTH_VIEW_TYPE, `Health of ${record.report.subject}`, vscode.ViewColumn.Active, { enableScripts: true });
    const created = new HealthPanel(panel, record, store, extensionUri, log);
    store.panels.set(record.nodeId, created);
    return created;
  }

  private update(record: HealthRecord, notice: string): void {
    this.record = record;
    this.pendingNotice = notice;
    this.post({ type: 'report', report: record.report, notice });
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromHealthWebview(raw);
    if (!message) return this.log.warn('health report: ignored a malformed message from the webview');
    if (message.type === 'ready') {
      this.post({ type: 'report', report: this.record.report, ...(this.pendingNotice ? { notice: this.pendingNotice } : {}) });
    } else if (message.type === 'runAgain') {
      this.post({ type: 'notice', text: 'Checking again…' });
      try {
        await vscode.commands.executeCommand('matryoshka.engineHealth', this.record.argument);
      } catch (error) {
        this.post({ type: 'notice', text: `The check did not finish: ${(error as Error).message}` });
      }
    } else {
      const action = reportAction(this.record.report, message.item, message.action);
      if (!action) return this.log.warn('health report: the webview named an action it was not shown');
      if (action.kind === 'copy') {
        await vscode.env.clipboard.writeText(action.text);
        this.post({ type: 'notice', text: 'Copied what to do to the clipboard.' });
      } else {
        await vscode.commands.executeCommand('workbench.action.openSettings', action.setting);
        this.post({ type: 'notice', text: `Opened the setting ${action.setting}.` });
      }
    }
  }

  private post(message: ToHealthWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    return webviewPage(this.panel.webview, this.extensionUri, { name: 'health', title: 'Health report', placeholder: 'Reading the report…' });
  }

  dispose(): void {
    if (this.store.panels.get(this.record.nodeId) === this) this.store.panels.delete(this.record.nodeId);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
