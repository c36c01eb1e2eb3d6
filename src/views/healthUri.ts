import * as vscode from 'vscode';

/** The scheme of tree rows' resourceUri: HealthStore decorates these with the row's health badge. */
export const HEALTH_NODE_SCHEME = 'matryoshka-node';

export function healthNodeUri(nodeId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HEALTH_NODE_SCHEME, path: `/${encodeURIComponent(nodeId)}` });
}

/** The node id a row's URI names, or undefined for any other URI. */
export function nodeIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== HEALTH_NODE_SCHEME) return undefined;
  try {
    return decodeURIComponent(uri.path.slice(1));
  } catch {
    return undefined;
  }
}
