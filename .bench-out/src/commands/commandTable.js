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
exports.COMMANDS = void 0;
exports.registerCommands = registerCommands;
const vscode = __importStar(require("vscode"));
const engineNode_1 = require("../views/nodes/engineNode");
const commandErrors_1 = require("./commandErrors");
const containerArgument_1 = require("./containerArgument");
const inspectDocuments_1 = require("./inspectDocuments");
const containerCommands_1 = require("./containerCommands");
/** Every command Matryoshka contributes, in one table (package.json lists the same ids). */
exports.COMMANDS = {
    'matryoshka.refresh': ({ controller }) => controller.refresh(),
    'matryoshka.retryEngine': ({ controller }, node) => {
        if (!(node instanceof engineNode_1.EngineNode))
            throw new commandErrors_1.UserFacingError('Pick an engine in the Matryoshka view to retry.');
        return controller.retryEngine(node.engine.key);
    },
    'matryoshka.copyId': async ({ controller }, argument) => {
        const target = await (0, containerArgument_1.resolveContainerArgument)(controller, argument);
        await vscode.env.clipboard.writeText(target.container.id);
        vscode.window.setStatusBarMessage(`Copied the id of ${target.container.name}`, 3000);
        return target.container.id;
    },
    'matryoshka.inspect': async ({ controller }, argument) => {
        const target = await (0, containerArgument_1.resolveContainerArgument)(controller, argument);
        const document = await vscode.workspace.openTextDocument(inspectDocuments_1.InspectDocuments.uriFor(target));
        await vscode.languages.setTextDocumentLanguage(document, 'json');
        await vscode.window.showTextDocument(document, { preview: true });
        return document.uri.toString();
    },
    'matryoshka.attachTerminal': async ({ controller, terminals }, argument) => terminals.openShell(await (0, containerCommands_1.targetOrPick)(controller, argument, 'Open a shell in which container?', true)),
    'matryoshka.showLogs': async ({ controller, terminals }, argument) => terminals.openLogs(await (0, containerCommands_1.targetOrPick)(controller, argument, 'Follow the logs of which container?', false)),
    'matryoshka.start': ({ controller }, clicked, selected) => (0, containerCommands_1.runContainerAction)(controller, 'start', clicked, selected),
    'matryoshka.stop': ({ controller }, clicked, selected) => (0, containerCommands_1.runContainerAction)(controller, 'stop', clicked, selected),
    'matryoshka.restart': ({ controller }, clicked, selected) => (0, containerCommands_1.runContainerAction)(controller, 'restart', clicked, selected),
    'matryoshka.remove': ({ controller }, clicked, selected) => (0, containerCommands_1.runContainerAction)(controller, 'remove', clicked, selected),
    'matryoshka.reveal': async ({ controller, reveal }, argument) => {
        const target = await (0, containerArgument_1.resolveContainerArgument)(controller, argument);
        await reveal(target);
        return { engine: target.path.rootEngine, path: target.path.containers, id: target.container.id };
    },
};
function registerCommands(context) {
    return Object.entries(exports.COMMANDS).map(([id, handler]) => vscode.commands.registerCommand(id, (0, commandErrors_1.wrapCommand)(id, context.log, (...args) => handler(context, ...args))));
}
//# sourceMappingURL=commandTable.js.map