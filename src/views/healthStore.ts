import * as vscode from 'vscode';
import { healthBadge, healthReport, type HealthBadge, type HealthResult } from '../model/health';

export const HEALTH_SCHEME = 'matryoshka-health';

/**
 * The last health check of each engine and container, keyed by tree node id: the tree reads the
 * badges, and the report documents (plain text, read-only) are served from here. Kept for the
 * session only: a check is something the user runs, not something that polls.
 */
export class HealthStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly badges = new Map<string, HealthBadge>();
  private readonly reports = new Map<string, string>();
  private readonly badgesChanged = new vscode.EventEmitter<void>();
  private readonly documentsChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeBadges = this.badgesChanged.event;
  readonly onDidChange = this.documentsChanged.event;

  badgeFor(nodeId: string): HealthBadge | undefined {
    return this.badges.get(nodeId);
  }

  /** Records a check's results and returns the URI of its report document. */
  record(nodeId: string, subject: string, results: readonly HealthResult[]): vscode.Uri {
    this.badges.set(nodeId, healthBadge(results));
    const uri = vscode.Uri.from({ scheme: HEALTH_SCHEME, path: `/Health of ${subject.replace(/[\\/]/g, '_')}.txt`, query: new URLSearchParams({ node: nodeId }).toString() });
    this.reports.set(uri.toString(), healthReport(subject, results, new Date().toLocaleString()));
    this.badgesChanged.fire();
    this.documentsChanged.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? 'This health report is gone (reports are kept until the window reloads). Run Matryoshka: Check Engine Health again.';
  }

  dispose(): void {
    this.badgesChanged.dispose();
    this.documentsChanged.dispose();
  }
}
