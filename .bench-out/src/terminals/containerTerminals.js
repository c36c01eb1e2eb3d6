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
exports.ContainerTerminals = void 0;
const vscode = __importStar(require("vscode"));
const treeModel_1 = require("../model/treeModel");
const commandErrors_1 = require("../commands/commandErrors");
const containerPty_1 = require("./containerPty");
const logsPty_1 = require("./logsPty");
const KEEP_CLOSED = 10;
/** Creates shell and log terminals for containers at any depth, and remembers which is which. */
class ContainerTerminals {
    controller;
    ptys = new Map();
    closed = new Map();
    subscription;
    constructor(controller) {
        this.controller = controller;
        // A closed terminal's transcript stays readable for a while (its last words say why it ended).
        this.subscription = vscode.window.onDidCloseTerminal((terminal) => {
            const pty = this.ptys.get(terminal);
            if (!pty)
                return;
            this.ptys.delete(terminal);
            this.closed.set(terminal, pty);
            for (const old of [...this.closed.keys()].slice(0, Math.max(0, this.closed.size - KEEP_CLOSED)))
                this.closed.delete(old);
        });
    }
    /** A terminal profile (for the terminal's "+" menu) with a shell in the target. */
    shellProfile(target) {
        return new vscode.TerminalProfile(this.shellOptions(target));
    }
    openShell(target) {
        const options = this.shellOptions(target);
        const terminal = vscode.window.createTerminal(options);
        this.ptys.set(terminal, options.pty);
        terminal.show();
        return terminal;
    }
    openLogs(target) {
        const where = (0, treeModel_1.pathLabel)(target.path);
        const pty = new logsPty_1.LogsPty(this.apiFor(target), target.container.id, target.container.inspect?.Config?.Tty === true, where);
        const terminal = vscode.window.createTerminal({ name: `Logs: ${target.container.name}`, pty, iconPath: new vscode.ThemeIcon('output') });
        this.ptys.set(terminal, pty);
        terminal.show();
        return terminal;
    }
    /** What a Matryoshka terminal has shown so far (bounded); undefined for other terminals. */
    transcript(terminal) {
        return (this.ptys.get(terminal) ?? this.closed.get(terminal))?.transcript;
    }
    shellOptions(target) {
        if (target.container.summary.State !== 'running') {
            throw new commandErrors_1.UserFacingError(`${(0, treeModel_1.pathLabel)(target.path)} is ${target.container.summary.State ?? 'not running'}: start it first.`);
        }
        const where = (0, treeModel_1.pathLabel)(target.path);
        const shell = vscode.workspace.getConfiguration('matryoshka').get('terminal.shell') || undefined;
        const pty = new containerPty_1.ContainerPty(this.apiFor(target), target.container.id, where, shell);
        return { name: `${target.container.name} (${where})`, pty, iconPath: new vscode.ThemeIcon('terminal') };
    }
    apiFor(target) {
        const api = this.controller.apiFor(target.container.engineKey);
        if (!api)
            throw new commandErrors_1.UserFacingError(`The engine running ${(0, treeModel_1.pathLabel)(target.path)} is not connected; refresh and try again.`);
        return api;
    }
    dispose() {
        this.subscription.dispose();
    }
}
exports.ContainerTerminals = ContainerTerminals;
//# sourceMappingURL=containerTerminals.js.map