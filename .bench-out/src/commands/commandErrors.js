"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.UserFacingError = void 0;
exports.wrapCommand = wrapCommand;
const vscode = __importStar(require("vscode"));
/** An error whose message is already written for the user: no stack, no prefix. */
class UserFacingError extends Error {
}
exports.UserFacingError = UserFacingError;
/**
 * The one error wrapper for every command: the user sees what failed (which engine, which
 * container, what the engine said), the log keeps the details, and a programmatic caller gets the
 * same message as a rejection.
 */
function wrapCommand(id, log, handler) {
    return async (...args) => {
        try {
            return await handler(...args);
        }
        catch (error) {
            // Dismissing a picker is not an error worth a notification.
            if (error instanceof vscode.CancellationError)
                return undefined;
            const message = error instanceof Error ? error.message : String(error);
            log.error(`${id}: ${message}`);
            if (!(error instanceof UserFacingError) && error instanceof Error && error.stack)
                log.debug(error.stack);
            void vscode.window.showErrorMessage(message);
            throw error instanceof Error ? error : new Error(message);
        }
    };
}
//# sourceMappingURL=commandErrors.js.map