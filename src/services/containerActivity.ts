import * as vscode from 'vscode';

/**
 * What Matryoshka is doing to a container right now ("stopping…"), shown on its row until the
 * engine has answered: a stop can take the container's whole grace period, ten seconds by default.
 */
export class ContainerActivity implements vscode.Disposable {
  private readonly doing = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** "stopping", "starting engine"…, or undefined. */
  of(engineKey: string, containerId: string): string | undefined {
    return this.doing.get(key(engineKey, containerId));
  }

  /** Shows `what` on the container's row while `work` runs; the last one started wins. */
  async during<T>(engineKey: string, containerId: string, what: string, work: () => Promise<T>): Promise<T> {
    const id = key(engineKey, containerId);
    this.doing.set(id, what);
    this.changed.fire();
    try {
      return await work();
    } finally {
      if (this.doing.get(id) === what) this.doing.delete(id);
      this.changed.fire();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function key(engineKey: string, containerId: string): string {
  return `${engineKey}\u0000${containerId}`;
}
