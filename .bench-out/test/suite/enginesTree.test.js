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
// Runs inside VS Code's extension host (code-server here, desktop VS Code under test-electron):
// the tree, the commands and the programmatic targets as VS Code itself drives them.
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const vscode = __importStar(require("vscode"));
const docker_1 = require("../support/docker");
const nestedFixture_1 = require("../support/nestedFixture");
const EXTENSION_ID = 'matryoshka-dev.matryoshka';
const DEEP = [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner, nestedFixture_1.NAMES.grandchild];
async function api() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    strict_1.default.ok(extension, `${EXTENSION_ID} is installed`);
    return extension.activate();
}
function label(item) {
    return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}
async function render(matryoshka, node, depth = 0) {
    const provider = matryoshka.view.provider;
    const nodes = await provider.getChildren(node);
    return Promise.all(nodes.map(async (child) => {
        const item = provider.getTreeItem(child);
        const expandable = item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
        return {
            label: label(item),
            description: String(item.description ?? ''),
            id: item.id ?? '',
            contextValue: item.contextValue ?? '',
            node: child,
            children: expandable && depth < 8 ? await render(matryoshka, child, depth + 1) : [],
        };
    }));
}
function child(rows, name) {
    const found = rows.find((r) => r.label === name);
    strict_1.default.ok(found, `"${name}" is shown; the rows are: ${rows.map((r) => r.label).join(', ')}`);
    return found;
}
function allIds(rows) {
    return rows.flatMap((r) => [r.id, ...allIds(r.children)]);
}
describe('Engines tree in VS Code', function () {
    this.timeout(300_000);
    let matryoshka;
    before(async () => {
        await (0, nestedFixture_1.ensureNestedFixture)();
        matryoshka = await api();
        await vscode.commands.executeCommand('matryoshka.refresh');
    });
    it('shows the host engine with every container nested under the one that runs its engine', async () => {
        const roots = await render(matryoshka);
        const host = roots.find((r) => r.contextValue.includes('engine-connected'));
        strict_1.default.ok(host, 'a connected engine is shown');
        const dind = child(host.children, nestedFixture_1.NAMES.dind);
        strict_1.default.match(dind.description, /docker:dind · running · dind/);
        strict_1.default.match(child(dind.children, nestedFixture_1.NAMES.child).description, /busybox:latest · running · plain/);
        const inner = child(dind.children, nestedFixture_1.NAMES.dindInner);
        strict_1.default.match(inner.description, /dind/);
        child(inner.children, nestedFixture_1.NAMES.grandchild);
        const sysbox = child(host.children, nestedFixture_1.NAMES.sysbox);
        strict_1.default.match(sysbox.description, /sysbox/);
        child(sysbox.children, nestedFixture_1.NAMES.sysboxChild);
        const dood = child(host.children, nestedFixture_1.NAMES.dood);
        strict_1.default.match(dood.description, /dood/);
        strict_1.default.equal(dood.children.length, 1);
        strict_1.default.match(dood.children[0].label, /siblings/);
        strict_1.default.equal(child(host.children, nestedFixture_1.NAMES.plain).children.length, 0);
        strict_1.default.ok(!host.children.some((r) => r.label === nestedFixture_1.NAMES.child), 'children of an inner engine are not listed on the host');
    });
    it('gives every node a unique id that survives a refresh', async () => {
        const before = allIds(await render(matryoshka));
        strict_1.default.equal(new Set(before).size, before.length, 'ids are unique');
        await vscode.commands.executeCommand('matryoshka.refresh');
        const after = allIds(await render(matryoshka));
        for (const id of before.filter((i) => i.startsWith('container:')))
            strict_1.default.ok(after.includes(id), `${id} is still there`);
    });
    it('puts mode and state in contextValue for menus', async () => {
        const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected'));
        strict_1.default.match(child(host.children, nestedFixture_1.NAMES.dind).contextValue, /^container .*mode-dind.*state-running.*hosts-engine/);
        strict_1.default.match(child(host.children, nestedFixture_1.NAMES.dood).contextValue, /mode-dood.*\bdood\b/);
    });
    it('resolves tooltips lazily as untrusted Markdown with the evidence and what it means', async () => {
        const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected'));
        const dind = child(host.children, nestedFixture_1.NAMES.dind);
        const item = matryoshka.view.provider.getTreeItem(dind.node);
        strict_1.default.equal(item.tooltip, undefined, 'no tooltip before hover');
        const resolved = matryoshka.view.provider.resolveTreeItem(item, dind.node);
        const tooltip = resolved.tooltip;
        strict_1.default.ok(tooltip instanceof vscode.MarkdownString);
        strict_1.default.equal(tooltip.isTrusted, false);
        strict_1.default.equal(tooltip.supportHtml, false);
        strict_1.default.match(tooltip.value, /root on the host/);
        strict_1.default.match(tooltip.value, /an engine answers inside/);
    });
    it('copies the id of a container two engines deep, named by its path', async () => {
        const copied = await vscode.commands.executeCommand('matryoshka.copyId', { path: DEEP });
        const expected = await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner], ['inspect', '--format', '{{.Id}}', nestedFixture_1.NAMES.grandchild]);
        strict_1.default.equal(copied, expected);
        strict_1.default.equal(await vscode.env.clipboard.readText(), expected);
    });
    it('opens inspect output as a read-only JSON document at any depth', async () => {
        const uri = await vscode.commands.executeCommand('matryoshka.inspect', { engine: 'default', path: DEEP });
        const editor = vscode.window.activeTextEditor;
        strict_1.default.ok(editor);
        strict_1.default.equal(editor.document.uri.toString(), uri);
        strict_1.default.equal(editor.document.uri.scheme, 'matryoshka-inspect');
        strict_1.default.equal(editor.document.languageId, 'json');
        strict_1.default.equal(JSON.parse(editor.document.getText()).Name, `/${nestedFixture_1.NAMES.grandchild}`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
    it('reveals and selects a container at depth 2', async () => {
        await vscode.commands.executeCommand('matryoshka.engines.focus');
        const revealed = await vscode.commands.executeCommand('matryoshka.reveal', { path: DEEP });
        const selection = matryoshka.view.treeView.selection;
        strict_1.default.equal(selection.length, 1);
        strict_1.default.ok(selection[0].id.endsWith(`/${revealed.id}`), selection[0].id);
    });
    it('rejects a target that does not exist with a message that says where it looked', async () => {
        await strict_1.default.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.copyId', { path: [nestedFixture_1.NAMES.dind, 'no-such-container'] })), (error) => /No container "no-such-container" on default › it-dind \(containers: .*it-child/.test(error.message));
        await strict_1.default.rejects(Promise.resolve(vscode.commands.executeCommand('matryoshka.copyId', { engine: 'nowhere', path: ['x'] })), /No engine named "nowhere"/);
    });
    it('reports how long activation took', async () => {
        strict_1.default.ok(matryoshka.activationMs > 0 && matryoshka.activationMs < 5_000, `${matryoshka.activationMs} ms`);
        const figures = process.env.MATRYOSHKA_FIGURES;
        if (figures)
            fs.writeFileSync(figures, JSON.stringify({ activationMs: matryoshka.activationMs }));
    });
    it('shows a container created on the host without a manual refresh', async () => {
        await (0, docker_1.docker)(['run', '-d', '--name', 'it-live', '--label', 'dev.matryoshka.test=nested', 'busybox:latest', 'sleep', '600']);
        try {
            const deadline = Date.now() + 15_000;
            let seen = false;
            while (!seen && Date.now() < deadline) {
                const host = (await render(matryoshka)).find((r) => r.contextValue.includes('engine-connected'));
                seen = host?.children.some((r) => r.label === 'it-live') ?? false;
                if (!seen)
                    await new Promise((r) => setTimeout(r, 200));
            }
            strict_1.default.ok(seen, 'it-live appeared from the engine event');
        }
        finally {
            await (0, docker_1.docker)(['rm', '-f', 'it-live']);
        }
    });
});
//# sourceMappingURL=enginesTree.test.js.map