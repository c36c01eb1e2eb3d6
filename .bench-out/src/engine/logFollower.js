"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.followLogs = followLogs;
const streamDemux_1 = require("./streamDemux");
/**
 * Follows a container's logs (with timestamps). A TTY container's log is one raw stream; any other
 * is multiplexed, and stdout and stderr stay apart even when frames split across chunks.
 */
async function followLogs(api, containerId, tty, tail, handlers) {
    const stream = await api.followLogs(containerId, tail);
    let closed = false;
    const end = (reason) => {
        if (closed)
            return;
        closed = true;
        handlers.onEnd(reason);
    };
    if (tty) {
        stream.on('data', (chunk) => handlers.onText('stdout', chunk.toString('utf8')));
    }
    else {
        const { stdout, stderr } = (0, streamDemux_1.demuxStream)(stream);
        stdout.on('data', (chunk) => handlers.onText('stdout', chunk.toString('utf8')));
        stderr.on('data', (chunk) => handlers.onText('stderr', chunk.toString('utf8')));
        stdout.on('error', (error) => end(error.message));
    }
    stream.once('end', () => end('the container stopped'));
    stream.once('error', (error) => end(error.message));
    stream.once('close', () => end('the connection to the engine closed'));
    return () => {
        closed = true;
        stream.destroy();
    };
}
//# sourceMappingURL=logFollower.js.map