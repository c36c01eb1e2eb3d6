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
exports.EnginesView = exports.VIEW_ID = void 0;
const vscode = __importStar(require("vscode"));
const treeModel_1 = require("../model/treeModel");
const enginesTreeProvider_1 = require("./enginesTreeProvider");
const engineNode_1 = require("./nodes/engineNode");
exports.VIEW_ID = 'matryoshka.engines';
/** The tree view itself: visibility drives the controller, and reveal finds nodes at any depth. */
class EnginesView {
    controller;
    provider;
    treeView;
    disposables = [];
    constructor(controller) {
        this.controller = controller;
        this.provider = new enginesTreeProvider_1.EnginesTreeProvider(controller, (roots) => this.describe(roots));
        this.treeView = vscode.window.createTreeView(exports.VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
        this.disposables.push(this.provider, this.treeView, this.treeView.onDidChangeVisibility((e) => controller.setVisible(e.visible)));
        if (this.treeView.visible)
            controller.setVisible(true);
    }
    /** Selects and shows a container, expanding every engine above it. */
    async reveal(target) {
        const root = this.controller.snapshot().find((e) => e.name === target.path.rootEngine);
        if (!root)
            return;
        let node = new engineNode_1.EngineNode(root);
        for (const engine of [...target.engines.slice(1), undefined]) {
            const wantedId = engine ? engine.key.slice(engine.key.lastIndexOf('/') + 1) : target.container.id;
            const next = node.children().find((child) => child.id.endsWith(`/${wantedId}`));
            if (!next)
                throw new Error(`${(0, treeModel_1.pathLabel)(target.path)} is not in the tree yet; refresh and try again.`);
            node = next;
        }
        await this.treeView.reveal(node, { select: true, focus: true, expand: true });
    }
    describe(roots) {
        const down = roots.filter((r) => r.status.kind === 'disconnected');
        void vscode.commands.executeCommand('setContext', 'matryoshka.noEngineAnswers', roots.length > 0 && down.length === roots.length);
        const problems = this.controller.configurationProblems;
        const messages = [
            ...(down.length === roots.length ? down.map((r) => `${r.name}: ${r.status.kind === 'disconnected' ? r.status.reason : ''}`) : []),
            ...problems,
        ];
        this.treeView.message = messages.length ? messages.join(' — ') : undefined;
    }
    dispose() {
        for (const d of this.disposables)
            d.dispose();
    }
}
exports.EnginesView = EnginesView;
//# sourceMappingURL=enginesView.js.map