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
exports.ContainerNode = void 0;
exports.childNodes = childNodes;
const vscode = __importStar(require("vscode"));
const classify_1 = require("../../model/classify");
const markdown_1 = require("../../model/markdown");
const treeModel_1 = require("../../model/treeModel");
const noteNode_1 = require("./noteNode");
const treeNode_1 = require("./treeNode");
const MODE_ICONS = { dind: 'layers', sysbox: 'shield', dood: 'plug', plain: 'package' };
function stateColor(state) {
    if (state === 'running')
        return new vscode.ThemeColor('charts.green');
    if (state === 'paused' || state === 'restarting')
        return new vscode.ThemeColor('charts.yellow');
    if (state === 'dead')
        return new vscode.ThemeColor('errorForeground');
    return new vscode.ThemeColor('disabledForeground');
}
class ContainerNode {
    container;
    path;
    engineName;
    parent;
    id;
    constructor(container, path, engineName, parent) {
        this.container = container;
        this.path = path;
        this.engineName = engineName;
        this.parent = parent;
        this.id = (0, treeModel_1.containerNodeId)(container);
    }
    /** The programmatic form of this node, as other commands accept it. */
    get target() {
        return { engine: this.path.rootEngine, path: [...this.path.containers] };
    }
    treeItem() {
        const c = this.container;
        const expandable = (0, treeModel_1.hasChildren)(c);
        // The state goes into contextValue (menus match on it): only a plain word from the engine.
        const state = /^[a-z]+$/.test(c.summary.State ?? '') ? c.summary.State : 'unknown';
        const item = new vscode.TreeItem((0, markdown_1.plainText)(c.name), !expandable
            ? vscode.TreeItemCollapsibleState.None
            : c.inner
                ? vscode.TreeItemCollapsibleState.Expanded
                : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = (0, markdown_1.plainText)((0, treeModel_1.containerDescription)(c));
        item.iconPath = new vscode.ThemeIcon(MODE_ICONS[c.classification.mode], stateColor(state));
        const flags = [`mode-${c.classification.mode}`, `state-${state}`, c.classification.dood ? 'dood' : '', c.inner ? 'hosts-engine' : '']
            .filter(Boolean)
            .join(' ');
        item.contextValue = `container ${flags}`;
        item.accessibilityInformation = { label: `${(0, markdown_1.plainText)(c.name)}, ${item.description}`, role: 'treeitem' };
        if (!(0, classify_1.isRunning)(c.summary) && expandable)
            item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        return item;
    }
    children() {
        const models = (0, treeModel_1.containerChildren)(this.container, this.path, this.engineName);
        return childNodes(models, this, `the engine inside ${this.container.name}`);
    }
    resolveTooltip() {
        return (0, treeNode_1.untrustedMarkdown)((0, treeModel_1.containerTooltipMarkdown)(this.container, this.path));
    }
}
exports.ContainerNode = ContainerNode;
/** Node objects for child models; `engineName` names the engine that runs these children. */
function childNodes(models, parent, engineName) {
    return models.map((model) => model.kind === 'container'
        ? new ContainerNode(model.container, model.path, engineName, parent)
        : new noteNode_1.NoteNode(model.note, parent));
}
//# sourceMappingURL=containerNode.js.map