import * as vscode from 'vscode';

/**
 * What Matryoshka is doing to a container right now ("stopping…"), shown on its row until the
 * engine has answered: a stop can take the container's whole grace period, ten seconds by default.
 */
export class ContainerActivity implements vscode.Disposable {
  /** One object per begin(): an earlier one's end leaves a later one shown. */
  private readonly marks = new Map<string, { what: string }>();
  private readonly changed = new vscode.EventEmitter<{ engineKey: string; containerId: string }>();
  readonly onDidChange = this.changed.event;

  /** "stopping", "starting"…, or undefined. */
  of(engineKey: string, containerId: string): string | undefined {
    return this.marks.get(key(engineKey, containerId))?.what;
  }

  /** Shows `what` on the container's row until the returned function is called; the last one begun wins. */
  begin(engineKey: string, containerId: string, what: string): () => void {
    const id = key(engineKey, containerId);
    const mark = { what };
    this.marks.set(id, mark);
    this.changed.fire({ engineKey, containerId });
    return () => {
      if (this.marks.get(id) !== mark) return;
      this.marks.delete(id);
      this.changed.fire({ engineKey, containerId });
    };
  }

  /** Shows `what` on the container's row while `work` runs. */
  async during<T>(engineKey: string, containerId: string, what: string, work: () => Promise<T>): Promise<T> {
    const end = this.begin(engineKey, containerId, what);
    try {
      return await work();
    } finally {
      end();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function key(engineKey: string, containerId: string): string {
  return `${engineKey}\u0000${containerId}`;
}
