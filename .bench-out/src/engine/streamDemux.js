"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FrameDemuxer = exports.DemuxError = void 0;
exports.demuxStream = demuxStream;
const node_stream_1 = require("node:stream");
const KINDS = { 0: 'stdin', 1: 'stdout', 2: 'stderr', 3: 'system' };
const HEADER_BYTES = 8;
class DemuxError extends Error {
}
exports.DemuxError = DemuxError;
/** Incremental parser: feed chunks in any split, get whole payload pieces out in order. */
class FrameDemuxer {
    onPayload;
    pending = [];
    pendingBytes = 0;
    current;
    constructor(onPayload) {
        this.onPayload = onPayload;
    }
    push(chunk) {
        let offset = 0;
        while (offset < chunk.length) {
            if (this.current) {
                // Payload bytes can be handed on as they arrive: no need to wait for the whole frame.
                const take = Math.min(this.current.remaining, chunk.length - offset);
                const kind = this.current.kind;
                this.current.remaining -= take;
                if (this.current.remaining === 0)
                    this.current = undefined;
                if (take > 0)
                    this.onPayload(kind, chunk.subarray(offset, offset + take));
                offset += take;
                continue;
            }
            const need = HEADER_BYTES - this.pendingBytes;
            const take = Math.min(need, chunk.length - offset);
            this.pending.push(chunk.subarray(offset, offset + take));
            this.pendingBytes += take;
            offset += take;
            if (this.pendingBytes === HEADER_BYTES) {
                const header = Buffer.concat(this.pending, HEADER_BYTES);
                this.pending = [];
                this.pendingBytes = 0;
                const kind = KINDS[header[0]];
                if (!kind || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
                    throw new DemuxError(`not a multiplexed Docker stream (header ${header.toString('hex')})`);
                }
                const size = header.readUInt32BE(4);
                if (size > 0)
                    this.current = { kind, remaining: size };
            }
        }
    }
    /** True when the input stopped in the middle of a frame: the stream was cut. */
    get truncated() {
        return this.pendingBytes > 0 || this.current !== undefined;
    }
}
exports.FrameDemuxer = FrameDemuxer;
/**
 * Splits a multiplexed stream into stdout and stderr streams that END when the source ends
 * (or is destroyed); stdout carries the error when the source fails or is not multiplexed.
 */
function demuxStream(source) {
    const stdout = new node_stream_1.PassThrough();
    const stderr = new node_stream_1.PassThrough();
    const demuxer = new FrameDemuxer((kind, payload) => {
        if (kind === 'stderr' || kind === 'system')
            stderr.write(payload);
        else
            stdout.write(payload);
    });
    let finished = false;
    const finish = (error) => {
        if (finished)
            return;
        finished = true;
        if (error) {
            // The error is carried by stdout alone: a consumer that only reads stdout (a relay) must
            // still see it, and an 'error' on an unwatched stderr would crash the extension host.
            stdout.destroy(error);
            stderr.end();
        }
        else {
            stdout.end();
            stderr.end();
        }
    };
    source.on('data', (chunk) => {
        try {
            demuxer.push(chunk);
        }
        catch (error) {
            finish(error);
            source.destroy();
        }
    });
    source.once('end', () => finish());
    source.once('close', () => finish());
    source.once('error', (error) => finish(error));
    return { stdout, stderr };
}
//# sourceMappingURL=streamDemux.js.map