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
exports.activate = activate;
exports.deactivate = deactivate;
const vscode = __importStar(require("vscode"));
const commandTable_1 = require("./commands/commandTable");
const inspectDocuments_1 = require("./commands/inspectDocuments");
const enginesView_1 = require("./views/enginesView");
const refreshController_1 = require("./views/refreshController");
const containerTerminals_1 = require("./terminals/containerTerminals");
const containerCommands_1 = require("./commands/containerCommands");
function activate(context) {
    const started = performance.now();
    const log = vscode.window.createOutputChannel('Matryoshka', { log: true });
    const controller = new refreshController_1.RefreshController(log);
    const view = new enginesView_1.EnginesView(controller);
    const terminals = new containerTerminals_1.ContainerTerminals(controller);
    context.subscriptions.push(log, controller, view, terminals, vscode.workspace.registerTextDocumentContentProvider(inspectDocuments_1.INSPECT_SCHEME, new inspectDocuments_1.InspectDocuments(controller)), vscode.window.registerTerminalProfileProvider('matryoshka.containerShell', {
        provideTerminalProfile: async () => terminals.shellProfile(await (0, containerCommands_1.pickContainer)(controller, 'Open a shell in which container?', true)),
    }), ...(0, commandTable_1.registerCommands)({ controller, terminals, log, reveal: (target) => view.reveal(target) }));
    const activationMs = performance.now() - started;
    log.info(`activated in ${activationMs.toFixed(1)} ms`);
    return { controller, view, terminals, activationMs };
}
function deactivate() {
    // Everything is disposed through context.subscriptions.
}
//# sourceMappingURL=extension.js.map