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
exports.EngineNode = void 0;
const vscode = __importStar(require("vscode"));
const markdown_1 = require("../../model/markdown");
const treeModel_1 = require("../../model/treeModel");
const containerNode_1 = require("./containerNode");
const treeNode_1 = require("./treeNode");
class EngineNode {
    engine;
    id;
    parent = undefined;
    constructor(engine) {
        this.engine = engine;
        this.id = (0, treeModel_1.engineNodeId)(engine);
    }
    treeItem() {
        const e = this.engine;
        const item = new vscode.TreeItem((0, markdown_1.plainText)(e.name), e.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id;
        item.description = (0, markdown_1.plainText)((0, treeModel_1.engineDescription)(e));
        item.contextValue = `engine engine-${e.status.kind}`;
        item.iconPath =
            e.status.kind === 'disconnected'
                ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground'))
                : new vscode.ThemeIcon('server-environment');
        return item;
    }
    children() {
        return (0, containerNode_1.childNodes)((0, treeModel_1.engineChildren)(this.engine, { rootEngine: this.engine.name, containers: [] }), this, `engine ${this.engine.name}`);
    }
    resolveTooltip() {
        return (0, treeNode_1.untrustedMarkdown)((0, treeModel_1.engineTooltipMarkdown)(this.engine));
    }
}
exports.EngineNode = EngineNode;
//# sourceMappingURL=engineNode.js.map