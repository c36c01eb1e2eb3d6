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
exports.StreamAgent = void 0;
const http = __importStar(require("node:http"));
/**
 * A keep-alive HTTP Agent whose connections are streams we open ourselves (exec or ssh relays).
 * At rest it keeps one idle connection (maxFreeSockets: 1), so an inner engine costs at most two
 * relay processes: the event stream and one kept-alive request connection.
 */
class StreamAgent extends http.Agent {
    openSocket;
    constructor(openSocket, options = {}) {
        super({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: options.maxSockets ?? 4, maxFreeSockets: 1 });
        this.openSocket = openSocket;
    }
    createConnection(_options, callback) {
        this.openSocket().then((socket) => callback?.(null, socket), (error) => callback?.(error, undefined));
        return undefined;
    }
    /**
     * Relay connections this engine holds: in use (including its event stream) or idle. Connections
     * upgraded for an exec leave the pool: they carry an inner engine's relay and count there.
     */
    get openConnections() {
        const count = (sockets) => Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
        return count(this.sockets) + count(this.freeSockets);
    }
}
exports.StreamAgent = StreamAgent;
//# sourceMappingURL=streamAgent.js.map