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
exports.NoteNode = void 0;
const vscode = __importStar(require("vscode"));
const markdown_1 = require("../../model/markdown");
const ICONS = {
    dood: new vscode.ThemeIcon('references'),
    disconnected: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground')),
    connecting: new vscode.ThemeIcon('loading~spin'),
    empty: new vscode.ThemeIcon('circle-slash'),
};
/** A line of explanation in the tree: siblings under DooD, why an inner engine is unreachable. */
class NoteNode {
    note;
    parent;
    id;
    constructor(note, parent) {
        this.note = note;
        this.parent = parent;
        this.id = note.id;
    }
    get kind() {
        return this.note.kind;
    }
    treeItem() {
        const item = new vscode.TreeItem((0, markdown_1.plainText)(this.note.text), vscode.TreeItemCollapsibleState.None);
        item.id = this.id;
        item.iconPath = ICONS[this.note.kind];
        item.contextValue = `note-${this.note.kind}`;
        if (this.note.detail) {
            item.description = (0, markdown_1.plainText)(this.note.detail);
            // A plain-string tooltip is never rendered as Markdown.
            item.tooltip = (0, markdown_1.plainText)(this.note.detail);
        }
        return item;
    }
    children() {
        return [];
    }
}
exports.NoteNode = NoteNode;
//# sourceMappingURL=noteNode.js.map