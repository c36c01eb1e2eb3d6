import * as vscode from 'vscode';
import { type ResolvedTarget, pathLabel } from '../model/targets';
import type { EngineService } from '../services/engineService';

export const INSPECT_SCHEME = 'matryoshka-inspect';

/**
 * `docker inspect` output as read-only JSON documents. The URI names the engine chain and the
 * container id; content is fetched from the engine when VS Code opens the document.
 */
export class InspectDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly engineService: EngineService) {}

  static uriFor(target: ResolvedTarget): vscode.Uri {
    const engineKey = target.container.engineKey;
    const query = new URLSearchParams({ engine: engineKey, id: target.container.id }).toString();
    const readable = pathLabel(target.at).replace(/[\\/]/g, '_');
    return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${readable}.json`, query });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const engineKey = params.get('engine') ?? '';
    const id = params.get('id') ?? '';
    const graph = await this.engineService.ready();
    const api = graph.apiFor(engineKey);
    if (!api) throw new Error(`${graph.labelOf(engineKey) ?? 'That engine'} is not connected; refresh the Matryoshka view and try again.`);
    return JSON.stringify(await api.inspectContainer(id), null, 2);
  }
}
