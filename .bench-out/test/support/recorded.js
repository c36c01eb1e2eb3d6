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
exports.RECORDED = void 0;
exports.readJson = readJson;
exports.recordedEngine = recordedEngine;
exports.recordedSnapshot = recordedSnapshot;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const classify_1 = require("../../src/model/classify");
const snapshot_1 = require("../../src/model/snapshot");
/** The recordings of a real engine made by scripts/recordFixtures.sh (see test/fixtures/recorded/README.md). */
exports.RECORDED = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'recorded');
function readJson(...parts) {
    return JSON.parse(fs.readFileSync(path.join(exports.RECORDED, ...parts), 'utf8'));
}
function recordedEngine(engine) {
    const containers = readJson(engine, 'containers.json');
    const inspect = new Map();
    for (const file of fs.readdirSync(path.join(exports.RECORDED, engine, 'inspect'))) {
        const data = readJson(engine, 'inspect', file);
        inspect.set(data.Id, data);
    }
    return { containers, inspect, version: readJson(engine, 'version.json') };
}
/**
 * Builds the engine graph the way the engine layer does, from recordings: each recorded engine
 * folder named after a container is that container's inner engine (probe answered).
 */
function recordedSnapshot(engineFolder = 'host', key = 'default', name = 'default', depth = 0) {
    const { containers, inspect, version } = recordedEngine(engineFolder);
    const snapshots = containers.map((summary) => {
        const folder = (0, snapshot_1.containerName)(summary);
        const hasInner = fs.existsSync(path.join(exports.RECORDED, folder, 'containers.json'));
        const inner = hasInner ? recordedSnapshot(folder, (0, snapshot_1.innerEngineKey)(key, summary.Id), folder, depth + 1) : undefined;
        return {
            engineKey: key,
            id: summary.Id,
            name: folder,
            summary,
            inspect: inspect.get(summary.Id),
            classification: (0, classify_1.classify)({
                summary,
                inspect: inspect.get(summary.Id),
                engineSocketPaths: ['/var/run/docker.sock'],
                sysboxRuntimes: ['sysbox-runc'],
                probe: hasInner ? { answered: true } : undefined,
            }),
            inner,
        };
    });
    return {
        key,
        name,
        endpoint: depth === 0 ? 'unix:///var/run/docker.sock' : 'exec: docker system dial-stdio',
        origin: depth === 0 ? 'default' : 'inner',
        current: depth === 0,
        depth,
        status: { kind: 'connected' },
        version,
        containers: snapshots,
    };
}
//# sourceMappingURL=recorded.js.map