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
exports.LogsPty = void 0;
const vscode = __importStar(require("vscode"));
const logFollower_1 = require("../engine/logFollower");
/**
 * A read-only terminal following a container's logs. stderr is shown in red so the two streams
 * stay apart; the terminal says why it stopped following.
 */
class LogsPty {
    api;
    containerId;
    tty;
    where;
    writeEmitter = new vscode.EventEmitter();
    onDidWrite = this.writeEmitter.event;
    stop;
    transcript = '';
    constructor(api, containerId, tty, where) {
        this.api = api;
        this.containerId = containerId;
        this.tty = tty;
        this.where = where;
    }
    async open() {
        try {
            this.stop = await (0, logFollower_1.followLogs)(this.api, this.containerId, this.tty, 1000, {
                onText: (kind, text) => this.write(kind === 'stderr' ? `\x1b[31m${crlf(text)}\x1b[0m` : crlf(text)),
                onEnd: (reason) => this.write(`\r\n\x1b[2m[stopped following ${this.where}: ${reason}]\x1b[0m\r\n`),
            });
        }
        catch (error) {
            this.write(`\x1b[31mCould not read the logs of ${this.where}: ${error.message}\x1b[0m\r\n`);
        }
    }
    handleInput() {
        // Read-only: typing does nothing.
    }
    close() {
        this.stop?.();
        this.writeEmitter.dispose();
    }
    write(text) {
        this.transcript = (this.transcript + text).slice(-64 * 1024);
        this.writeEmitter.fire(text);
    }
}
exports.LogsPty = LogsPty;
/** Non-TTY logs use bare \n; a terminal needs \r\n to return to the first column. */
function crlf(text) {
    return text.replace(/\r?\n/g, '\r\n');
}
//# sourceMappingURL=logsPty.js.map