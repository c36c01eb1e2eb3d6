import * as vscode from 'vscode';

/**
 * A Matryoshka setting as a trusted source gives it. In Restricted Mode the folder's own value
 * (which could name any image, engine, runtime or program) is ignored: only the user's or the
 * default counts, whatever VS Code itself does with restrictedConfigurations.
 */
export function trustedSetting<T>(key: string, fallback: T, config = vscode.workspace.getConfiguration('matryoshka')): T {
  if (vscode.workspace.isTrusted) return config.get<T>(key, fallback);
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}
