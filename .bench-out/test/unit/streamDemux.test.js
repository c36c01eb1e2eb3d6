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
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_stream_1 = require("node:stream");
const node_test_1 = require("node:test");
const streamDemux_1 = require("../../src/engine/streamDemux");
const recorded_1 = require("../support/recorded");
const body = fs.readFileSync(path.join(recorded_1.RECORDED, 'streams', 'logs-multiplexed.bin'));
const expected = (0, recorded_1.readJson)('streams', 'logs-multiplexed.expected.json');
function collect(chunks) {
    const out = { stdout: [], stderr: [] };
    const demuxer = new streamDemux_1.FrameDemuxer((kind, payload) => out[kind === 'stderr' ? 'stderr' : 'stdout'].push(Buffer.from(payload)));
    for (const chunk of chunks)
        demuxer.push(chunk);
    return { stdout: Buffer.concat(out.stdout).toString(), stderr: Buffer.concat(out.stderr).toString(), truncated: demuxer.truncated };
}
async function readAll(stream) {
    const parts = [];
    for await (const chunk of stream)
        parts.push(chunk);
    return Buffer.concat(parts).toString();
}
(0, node_test_1.describe)('demultiplexing a recorded logs stream', () => {
    (0, node_test_1.it)('whole body in one chunk', () => {
        const result = collect([body]);
        strict_1.default.equal(result.stdout, expected.stdout);
        strict_1.default.equal(result.stderr, expected.stderr);
        strict_1.default.equal(result.truncated, false);
    });
    (0, node_test_1.it)('split into two chunks at every possible position (inside headers and payloads)', () => {
        for (let cut = 1; cut < body.length; cut++) {
            const result = collect([body.subarray(0, cut), body.subarray(cut)]);
            strict_1.default.equal(result.stdout, expected.stdout, `cut at ${cut}`);
            strict_1.default.equal(result.stderr, expected.stderr, `cut at ${cut}`);
        }
    });
    (0, node_test_1.it)('one byte at a time', () => {
        const result = collect([...body].map((b) => Buffer.from([b])));
        strict_1.default.equal(result.stdout, expected.stdout);
        strict_1.default.equal(result.stderr, expected.stderr);
    });
    (0, node_test_1.it)('says when the stream was cut in the middle of a frame', () => {
        strict_1.default.equal(collect([body.subarray(0, body.length - 3)]).truncated, true);
        strict_1.default.equal(collect([body.subarray(0, 4)]).truncated, true);
    });
    (0, node_test_1.it)('rejects a stream that is not multiplexed (a TTY stream) instead of printing garbage', () => {
        strict_1.default.throws(() => collect([Buffer.from('hello from a tty\r\n')]), streamDemux_1.DemuxError);
    });
    (0, node_test_1.it)('demuxStream ends both outputs when the source ends', async () => {
        const source = new node_stream_1.PassThrough();
        const { stdout, stderr } = (0, streamDemux_1.demuxStream)(source);
        const reading = Promise.all([readAll(stdout), readAll(stderr)]);
        for (let i = 0; i < body.length; i += 7)
            source.write(body.subarray(i, i + 7));
        source.end();
        const [out, err] = await reading;
        strict_1.default.equal(out, expected.stdout);
        strict_1.default.equal(err, expected.stderr);
    });
    (0, node_test_1.it)('demuxStream fails stdout and ends stderr when the source is not multiplexed', async () => {
        const source = new node_stream_1.PassThrough();
        const { stdout, stderr } = (0, streamDemux_1.demuxStream)(source);
        source.end(Buffer.from('plain text'));
        await strict_1.default.rejects(readAll(stdout), /not a multiplexed Docker stream/);
        strict_1.default.equal(await readAll(stderr), '');
    });
});
//# sourceMappingURL=streamDemux.test.js.map