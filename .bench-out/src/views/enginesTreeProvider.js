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
exports.EnginesTreeProvider = void 0;
const vscode = __importStar(require("vscode"));
const engineNode_1 = require("./nodes/engineNode");
/**
 * The engines tree. Nodes are rebuilt from the latest snapshot on each render; their ids come from
 * the engine chain, so VS Code keeps expansion and selection, and `reveal` works at any depth.
 */
class EnginesTreeProvider {
    controller;
    onRoots;
    changed = new vscode.EventEmitter();
    onDidChangeTreeData = this.changed.event;
    known = new Map();
    subscription;
    constructor(controller, onRoots) {
        this.controller = controller;
        this.onRoots = onRoots;
        this.subscription = controller.onDidChange(() => this.changed.fire(undefined));
    }
    getTreeItem(node) {
        return node.treeItem();
    }
    async getChildren(node) {
        if (!node) {
            await this.controller.ready();
            const roots = this.controller.snapshot();
            this.onRoots(roots);
            this.known.clear();
            // With no engine answering, the welcome view explains how to start one.
            if (roots.every((r) => r.status.kind === 'disconnected'))
                return [];
            return this.remember(roots.map((engine) => new engineNode_1.EngineNode(engine)));
        }
        return this.remember(node.children());
    }
    getParent(node) {
        return node.parent;
    }
    resolveTreeItem(item, node) {
        if (node.resolveTooltip)
            item.tooltip = node.resolveTooltip();
        return item;
    }
    /** The node with this id from the last render, for reveal and for commands given an id. */
    nodeById(id) {
        return this.known.get(id);
    }
    remember(nodes) {
        for (const node of nodes)
            this.known.set(node.id, node);
        return nodes;
    }
    dispose() {
        this.subscription.dispose();
        this.changed.dispose();
    }
}
exports.EnginesTreeProvider = EnginesTreeProvider;
//# sourceMappingURL=enginesTreeProvider.js.map