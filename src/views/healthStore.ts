import * as vscode from 'vscode';
import { healthBadge, type HealthBadge, type HealthResult } from '../model/health';
import type { Target } from '../model/targets';
import { healthDecoration, healthReportModel, type HealthReportModel } from '../model/healthReport';
import type { HealthPanel } from './healthPanel';
import { healthNodeUri, nodeIdOf } from './healthUri';

/** One check as last run: its report, and how to run it again (the command's argument). */
export interface HealthRecord {
  nodeId: string;
  report: HealthReportModel;
  results: readonly HealthResult[];
  argument: Target;
}

/**
 * The last health check of each engine and container, keyed by tree node id: the tree rows carry a
 * decoration (a count in the theme's warning or error colour) and the report view reads the
 * report from here. Kept for the session only: a check is something the user runs, not something
 * that polls.
 */
export class HealthStore implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly badges = new Map<string, HealthBadge>();
  private readonly records = new Map<string, HealthRecord>();
  private readonly badgesChanged = new vscode.EventEmitter<void>();
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeBadges = this.badgesChanged.event;
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  /** The open report views, by node id (HealthPanel adds and removes itself). */
  readonly panels = new Map<string, HealthPanel>();

  badgeFor(nodeId: string): HealthBadge | undefined {
    return this.badges.get(nodeId);
  }

  recordFor(nodeId: string): HealthRecord | undefined {
    return this.records.get(nodeId);
  }

  /** Records a check's results; returns what the report view shows. */
  record(nodeId: string, subject: string, results: readonly HealthResult[], argument: HealthRecord['argument']): HealthRecord {
    this.badges.set(nodeId, healthBadge(results));
    const record = { nodeId, report: healthReportModel(subject, results, new Date().toLocaleString()), results, argument };
    this.records.set(nodeId, record);
    this.badgesChanged.fire();
    this.decorationsChanged.fire([healthNodeUri(nodeId)]);
    return record;
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const nodeId = nodeIdOf(uri);
    const decoration = nodeId === undefined ? undefined : healthDecoration(this.badges.get(nodeId));
    if (!decoration) return undefined;
    const result = new vscode.FileDecoration(decoration.badge, decoration.tooltip, new vscode.ThemeColor(decoration.color));
    result.propagate = false;
    return result;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.badgesChanged.dispose();
    this.decorationsChanged.dispose();
  }
}
