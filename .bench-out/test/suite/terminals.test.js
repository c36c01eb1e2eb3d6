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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// Terminals, logs and actions through VS Code's own API, on a container two engines deep.
const strict_1 = __importDefault(require("node:assert/strict"));
const vscode = __importStar(require("vscode"));
const docker_1 = require("../support/docker");
const nestedFixture_1 = require("../support/nestedFixture");
const DEPTH2 = [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner];
async function api() {
    const extension = vscode.extensions.getExtension('matryoshka-dev.matryoshka');
    strict_1.default.ok(extension);
    return extension.activate();
}
describe('Terminals and actions in VS Code', function () {
    this.timeout(300_000);
    let matryoshka;
    before(async () => {
        await (0, nestedFixture_1.ensureNestedFixture)();
        matryoshka = await api();
        await vscode.commands.executeCommand('matryoshka.refresh');
    });
    it('attaches a terminal to a container two engines deep and reads back what it writes', async () => {
        const terminal = await vscode.commands.executeCommand('matryoshka.attachTerminal', { path: [...DEPTH2, nestedFixture_1.NAMES.grandchild] });
        strict_1.default.ok(terminal, 'the command resolves to the terminal');
        strict_1.default.match(terminal.name, /it-grandchild \(default › it-dind › it-dind-inner › it-grandchild\)/);
        await (0, docker_1.waitFor)('a prompt', 15_000, async () => /#\s/.test(matryoshka.terminals.transcript(terminal) ?? ''));
        terminal.sendText('echo matryoshka-$((6*7))');
        await (0, docker_1.waitFor)('the command output', 15_000, async () => /matryoshka-42/.test(matryoshka.terminals.transcript(terminal) ?? ''));
        terminal.dispose();
        await (0, docker_1.waitFor)('no shell left in it-grandchild', 15_000, async () => {
            const top = await (0, docker_1.dockerIn)(DEPTH2, ['top', nestedFixture_1.NAMES.grandchild, '-eo', 'pid,args']);
            return !top.split('\n').slice(1).some((line) => /\bsh$/.test(line.trim()));
        });
    });
    it('shows the exit code when the shell exits', async () => {
        const terminal = await vscode.commands.executeCommand('matryoshka.attachTerminal', { path: [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.child] });
        await (0, docker_1.waitFor)('a prompt', 15_000, async () => /#\s/.test(matryoshka.terminals.transcript(terminal) ?? ''));
        const closed = new Promise((resolve) => vscode.window.onDidCloseTerminal((t) => t === terminal && resolve(t)));
        terminal.sendText('exit 5');
        await (0, docker_1.waitFor)('the exit message', 15_000, async () => /exited with code 5/.test(matryoshka.terminals.transcript(terminal) ?? ''));
        strict_1.default.equal((await closed).exitStatus?.code, 5);
    });
    it('follows logs with stdout and stderr apart, and stops, starts and removes at depth 2', async () => {
        await (0, docker_1.dockerIn)(DEPTH2, ['run', '-d', '--name', 'it-vscode-logs', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sh', '-c', 'echo to-stdout; echo to-stderr >&2; sleep 600']);
        try {
            await vscode.commands.executeCommand('matryoshka.refresh');
            const target = { path: [...DEPTH2, 'it-vscode-logs'] };
            const logs = await vscode.commands.executeCommand('matryoshka.showLogs', target);
            await (0, docker_1.waitFor)('both lines', 15_000, async () => /to-stderr/.test(matryoshka.terminals.transcript(logs) ?? '') && /to-stdout/.test(matryoshka.terminals.transcript(logs) ?? ''));
            strict_1.default.match(matryoshka.terminals.transcript(logs) ?? '', /\x1b\[31m[^\x1b]*to-stderr/, 'stderr is shown in red');
            strict_1.default.doesNotMatch(matryoshka.terminals.transcript(logs) ?? '', /\x1b\[31m[^\x1b]*to-stdout/);
            logs.dispose();
            const state = () => (0, docker_1.dockerIn)(DEPTH2, ['inspect', '--format', '{{.State.Status}}', 'it-vscode-logs']);
            await vscode.commands.executeCommand('matryoshka.stop', target);
            strict_1.default.equal(await state(), 'exited');
            await vscode.commands.executeCommand('matryoshka.start', target);
            strict_1.default.equal(await state(), 'running');
            await vscode.commands.executeCommand('matryoshka.remove', { ...target, skipConfirmation: true });
            strict_1.default.doesNotMatch(await (0, docker_1.dockerIn)(DEPTH2, ['ps', '-a', '--format', '{{.Names}}']), /it-vscode-logs/);
        }
        finally {
            await (0, docker_1.dockerIn)(DEPTH2, ['rm', '-f', 'it-vscode-logs']).catch(() => undefined);
        }
    });
    it('says which container and what to do when it cannot attach', async () => {
        await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind], ['create', '--name', 'it-stopped', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'true']);
        try {
            await vscode.commands.executeCommand('matryoshka.refresh');
            await strict_1.default.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.attachTerminal', { path: [nestedFixture_1.NAMES.dind, 'it-stopped'] })), /default › it-dind › it-stopped is created: start it first/);
        }
        finally {
            await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind], ['rm', '-f', 'it-stopped']);
        }
    });
});
//# sourceMappingURL=terminals.test.js.map