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
exports.RefreshController = void 0;
exports.readSettings = readSettings;
const vscode = __importStar(require("vscode"));
const endpoints_1 = require("../engine/endpoints");
const engineGraph_1 = require("../engine/engineGraph");
/** Re-render the tree at most this often, however fast engines emit events. */
const RENDER_DEBOUNCE_MS = 100;
function readSettings() {
    const config = vscode.workspace.getConfiguration('matryoshka');
    return {
        engines: config.get('engines', []),
        sysboxRuntimes: config.get('sysbox.runtimes', ['sysbox-runc']),
        deadlineMs: Math.max(1, config.get('requestTimeoutSeconds', 10)) * 1000,
    };
}
/**
 * Owns the engine graph and decides when it works: not before a view or command needs it, not
 * while no Matryoshka view is visible, and re-rendering at a bounded rate. Merges engine events,
 * manual refreshes and settings changes into one stream of "the tree changed".
 */
class RefreshController {
    log;
    graph;
    firstListing;
    renderTimer;
    changed = new vscode.EventEmitter();
    disposables = [this.changed];
    visible = false;
    problems = [];
    onDidChange = this.changed.event;
    constructor(log) {
        this.log = log;
        this.disposables.push(vscode.workspace.onDidChangeConfiguration((event) => {
            if (event.affectsConfiguration('matryoshka') && this.graph) {
                this.configure(this.graph);
                void this.refresh();
            }
        }));
    }
    /** The graph, listed at least once. Commands call this; the first call connects to engines. */
    async ready() {
        const graph = this.ensureGraph();
        this.firstListing ??= graph.refreshAll();
        await this.firstListing;
        return graph;
    }
    /** Lists every engine at every depth again; resolves when all have answered or failed. */
    async refresh() {
        const graph = this.ensureGraph();
        this.firstListing ??= graph.refreshAll();
        await this.firstListing;
        await graph.refreshAll();
        this.renderNow();
    }
    async retryEngine(key) {
        await this.ensureGraph().refreshEngine(key);
        this.renderNow();
    }
    snapshot() {
        return this.graph?.snapshot() ?? [];
    }
    /** The API of a listed engine (inner ones included), for commands that act on its containers. */
    apiFor(engineKey) {
        return this.graph?.apiFor(engineKey);
    }
    /** Re-lists one engine now (after an action), without waiting for its events. */
    async relist(engineKey) {
        await this.graph?.refreshEngine(engineKey);
        this.renderNow();
    }
    /** Problems reading Docker contexts or the matryoshka.engines setting. */
    get configurationProblems() {
        return this.problems;
    }
    get started() {
        return this.graph !== undefined;
    }
    setVisible(visible) {
        this.visible = visible;
        if (!this.graph)
            return;
        void this.graph.setActive(visible).then(() => this.renderNow());
    }
    ensureGraph() {
        if (this.graph)
            return this.graph;
        const settings = readSettings();
        const graph = new engineGraph_1.EngineGraph({
            sysboxRuntimes: settings.sysboxRuntimes,
            deadlineMs: settings.deadlineMs,
            debounceMs: 150,
            reconnect: { initialMs: 1000, maxMs: 30_000 },
            log: (message) => this.log.info(message),
        });
        this.configure(graph);
        graph.onDidChange(() => this.scheduleRender());
        // Commands may start the graph while no view is open; it pauses once a view has been hidden.
        void graph.setActive(true);
        this.graph = graph;
        return graph;
    }
    configure(graph) {
        const settings = readSettings();
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: process.env, configured: settings.engines });
        this.problems = problems;
        for (const problem of problems)
            this.log.warn(problem);
        graph.setEndpoints(endpoints, settings.sysboxRuntimes);
    }
    scheduleRender() {
        if (this.renderTimer)
            return;
        this.renderTimer = setTimeout(() => this.renderNow(), RENDER_DEBOUNCE_MS);
    }
    renderNow() {
        if (this.renderTimer)
            clearTimeout(this.renderTimer);
        this.renderTimer = undefined;
        this.changed.fire();
    }
    dispose() {
        if (this.renderTimer)
            clearTimeout(this.renderTimer);
        this.graph?.dispose();
        for (const d of this.disposables)
            d.dispose();
    }
}
exports.RefreshController = RefreshController;
//# sourceMappingURL=refreshController.js.map