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
exports.InspectDocuments = exports.INSPECT_SCHEME = void 0;
const vscode = __importStar(require("vscode"));
const treeModel_1 = require("../model/treeModel");
exports.INSPECT_SCHEME = 'matryoshka-inspect';
/**
 * `docker inspect` output as read-only JSON documents. The URI names the engine chain and the
 * container id; content is fetched from the engine when VS Code opens the document.
 */
class InspectDocuments {
    controller;
    constructor(controller) {
        this.controller = controller;
    }
    static uriFor(target) {
        const engineKey = target.container.engineKey;
        const query = new URLSearchParams({ engine: engineKey, id: target.container.id }).toString();
        const readable = (0, treeModel_1.pathLabel)(target.path).replace(/[\\/]/g, '_');
        return vscode.Uri.from({ scheme: exports.INSPECT_SCHEME, path: `/${readable}.json`, query });
    }
    async provideTextDocumentContent(uri) {
        const params = new URLSearchParams(uri.query);
        const engineKey = params.get('engine') ?? '';
        const id = params.get('id') ?? '';
        const graph = await this.controller.ready();
        const api = graph.apiFor(engineKey);
        if (!api)
            throw new Error(`${graph.labelOf(engineKey) ?? 'That engine'} is not connected; refresh the Matryoshka view and try again.`);
        return JSON.stringify(await api.inspectContainer(id), null, 2);
    }
}
exports.InspectDocuments = InspectDocuments;
//# sourceMappingURL=inspectDocuments.js.map