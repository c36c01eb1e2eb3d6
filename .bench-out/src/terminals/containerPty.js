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
exports.ContainerPty = void 0;
const vscode = __importStar(require("vscode"));
const containerExec_1 = require("../engine/containerExec");
const TRANSCRIPT_LIMIT = 64 * 1024;
/**
 * A VS Code terminal bridged to a TTY exec in a container at any depth. One set of emitters per
 * terminal; resizing the panel resizes the TTY; the exit code or the reason the engine went away
 * is written before the terminal ends, so nothing hangs silently.
 */
class ContainerPty {
    api;
    containerId;
    where;
    configuredShell;
    writeEmitter = new vscode.EventEmitter();
    closeEmitter = new vscode.EventEmitter();
    onDidWrite = this.writeEmitter.event;
    onDidClose = this.closeEmitter.event;
    session;
    closed = false;
    pendingSize;
    /** What the terminal showed (bounded): for "copy output" and for tests. */
    transcript = '';
    constructor(api, containerId, where, configuredShell) {
        this.api = api;
        this.containerId = containerId;
        this.where = where;
        this.configuredShell = configuredShell;
    }
    async open(initial) {
        const size = initial ?? { rows: 24, columns: 80 };
        try {
            const shell = await (0, containerExec_1.chooseShell)(this.api, this.containerId, this.configuredShell);
            if (this.closed)
                return;
            const session = await containerExec_1.ShellSession.open(this.api, this.containerId, shell, { rows: size.rows, cols: size.columns });
            this.session = session;
            if (this.closed)
                return session.close();
            session.on('data', (chunk) => this.write(chunk.toString('utf8')));
            session.once('exit', (exit) => this.ended(exit));
            if (this.pendingSize)
                this.setDimensions(this.pendingSize);
        }
        catch (error) {
            this.write(`\r\n\x1b[31mCould not open a shell in ${this.where}: ${error.message}\x1b[0m\r\n`);
            this.closeEmitter.fire(1);
        }
    }
    handleInput(data) {
        this.session?.write(data);
    }
    setDimensions(size) {
        if (!this.session) {
            this.pendingSize = size;
            return;
        }
        this.session.resize(size.rows, size.columns).catch(() => undefined);
    }
    close() {
        this.closed = true;
        this.session?.close();
        this.dispose();
    }
    ended(exit) {
        if (this.closed)
            return;
        if (exit.code !== undefined) {
            this.write(`\r\n\x1b[2m[the shell in ${this.where} exited with code ${exit.code}]\x1b[0m\r\n`);
            this.closeEmitter.fire(exit.code);
        }
        else {
            this.write(`\r\n\x1b[31m[disconnected from ${this.where}: ${exit.reason ?? 'unknown reason'}]\x1b[0m\r\n`);
            this.closeEmitter.fire(1);
        }
    }
    write(text) {
        this.transcript = (this.transcript + text).slice(-TRANSCRIPT_LIMIT);
        this.writeEmitter.fire(text);
    }
    dispose() {
        this.writeEmitter.dispose();
        this.closeEmitter.dispose();
    }
}
exports.ContainerPty = ContainerPty;
//# sourceMappingURL=containerPty.js.map