import * as vscode from 'vscode';
import { parseFilter, type TreeFilter } from '../model/treeFilter';

const FILTER_KEY = 'matryoshka.treeFilter';
const INFRASTRUCTURE_KEY = 'matryoshka.showInfrastructure';

/** How the tree is shown beyond the listing (the filter, pod sandboxes), kept per workspace. */
export class TreeViewState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  get filter(): TreeFilter | undefined {
    return parseFilter(this.memento.get<string>(FILTER_KEY));
  }

  get showInfrastructure(): boolean {
    return this.memento.get<boolean>(INFRASTRUCTURE_KEY) === true;
  }

  /** An empty or blank text clears the filter. */
  async setFilter(text: string): Promise<TreeFilter | undefined> {
    const filter = parseFilter(text);
    await this.memento.update(FILTER_KEY, filter?.text);
    this.changed.fire();
    return filter;
  }

  async setShowInfrastructure(show: boolean): Promise<void> {
    await this.memento.update(INFRASTRUCTURE_KEY, show || undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
