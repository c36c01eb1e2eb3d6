import * as vscode from 'vscode';
import { notificationText } from '../model/markdown';

/** An error whose message is already written for the user: no stack, no prefix. */
export class UserFacingError extends Error {}

/**
 * The one error wrapper for every command: the user sees what failed (which engine, which
 * container, what the engine said), the log keeps the details, and a programmatic caller gets the
 * same message as a rejection.
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
      // VS Code shows a rejection from a menu or keybinding once more ("Error running command …"),
      // through the same link-making renderer: the rejection carries the shown text too.
      if (shown === message) throw error instanceof Error ? error : new Error(message);
      throw error instanceof UserFacingError ? new UserFacingError(shown) : new Error(shown);
    }
  };
}
