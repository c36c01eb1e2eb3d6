"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TunnelSocket = void 0;
const node_stream_1 = require("node:stream");
const STDERR_KEEP_BYTES = 4096;
/**
 * A socket-like Duplex over a process's stdin/stdout (an exec of `docker system dial-stdio`,
 * locally or over ssh). Node's HTTP client and keep-alive Agent call net.Socket methods on
 * whatever createConnection returns (setKeepAlive, setNoDelay, setTimeout, ref, unref), so a
 * plain Duplex is not enough. The process's stderr is kept (bounded) to explain failures.
 */
class TunnelSocket extends node_stream_1.Duplex {
    raw;
    stderrTail = '';
    idleTimer;
    idleMs = 0;
    remoteAddress;
    constructor(raw, stdout, stderr, label) {
        // When the relay's stdout ends the tunnel is dead: end our writable side too so that the
        // socket closes and the Agent drops it from its pool instead of reusing a corpse.
        super({ allowHalfOpen: false });
        this.raw = raw;
        this.remoteAddress = label;
        stdout.on('data', (chunk) => {
            this.touch();
            if (!this.push(chunk))
                stdout.pause();
        });
        stdout.once('end', () => this.push(null));
        stdout.once('error', (error) => this.destroy(error));
        this.on('resume', () => stdout.resume());
        stderr?.on('data', (chunk) => {
            this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
        });
        raw.once('error', (error) => this.destroy(error));
        raw.once('close', () => {
            if (!this.readableEnded)
                this.push(null);
            this.destroy();
        });
    }
    /** What the relay process wrote to stderr (for example "Cannot connect to the Docker daemon"). */
    get stderrText() {
        return this.stderrTail.trim();
    }
    _read() {
        this.emit('resume');
    }
    _write(chunk, encoding, callback) {
        this.touch();
        this.raw.write(chunk, encoding, callback);
    }
    /** Half-close: the relay sees EOF on stdin and closes its side once the engine has answered. */
    _final(callback) {
        this.raw.end(callback);
    }
    _destroy(error, callback) {
        this.clearIdle();
        this.raw.destroy();
        callback(error);
    }
    setKeepAlive() {
        return this;
    }
    setNoDelay() {
        return this;
    }
    ref() {
        return this;
    }
    unref() {
        return this;
    }
    /** net.Socket semantics: emit 'timeout' after `ms` without traffic; 0 turns it off. */
    setTimeout(ms, callback) {
        this.idleMs = ms;
        if (callback)
            this.once('timeout', callback);
        this.touch();
        return this;
    }
    touch() {
        this.clearIdle();
        if (this.idleMs > 0 && !this.destroyed) {
            this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
        }
    }
    clearIdle() {
        if (this.idleTimer)
            clearTimeout(this.idleTimer);
        this.idleTimer = undefined;
    }
}
exports.TunnelSocket = TunnelSocket;
//# sourceMappingURL=tunnelSocket.js.map