import * as vscode from 'vscode';
import { notificationText } from '../model/markdown';
import { UserFacingError } from '../model/userFacingError';


/** A tree row (or the multi-selection of rows) as VS Code passes it to a menu command. */
function isRow(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { treeItem?: unknown }).treeItem === 'function';
}

/** Called from a menu, the palette or a keybinding (no argument, or tree rows), rather than by code. */
export function fromUserInterface(args: readonly unknown[]): boolean {
  return args.every((arg) => arg === undefined || isRow(arg) || (Array.isArray(arg) && arg.every(isRow)));
}

/**
 * The one error wrapper for every command: the user sees what failed (which engine, which
 * container, what the engine said) once, the log keeps the details, and a programmatic caller
 * (one that passes a target or options) gets the same message as a rejection.
 */
export function wrapCommand<A extends unknown[], R>(
  id: string,
  log: vscode.LogOutputChannel,
  handler: (...args: A) => Promise<R> | R,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      // Dismissing a picker is not an error worth a notification.
      if (error instanceof vscode.CancellationError) return undefined as R;
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${id}: ${message}`);
      if (!(error instanceof UserFacingError) && error instanceof Error && error.stack) log.debug(error.stack);
      // The message carries engine text (names, commands, the engine's own error): shown as text only.
      const shown = notificationText(message);
      void vscode.window.showErrorMessage(shown);
      // VS Code would show a rejection from a menu, the palette or a keybinding a second time
      // ("Command … resulted in an error"): only code that called with arguments gets one.
      if (fromUserInterface(args)) return undefined as R;
      if (shown === message) throw error instanceof Error ? error : new Error(message);
      throw error instanceof UserFacingError ? new UserFacingError(shown) : new Error(shown);
    }
  };
}
