"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeadlineError = void 0;
exports.withDeadline = withDeadline;
/** Thrown when an engine did not answer in time; says which engine and which call. */
class DeadlineError extends Error {
    what;
    ms;
    constructor(what, ms) {
        super(`${what} did not answer within ${formatMs(ms)}`);
        this.what = what;
        this.ms = ms;
        this.name = 'DeadlineError';
    }
}
exports.DeadlineError = DeadlineError;
function formatMs(ms) {
    return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`;
}
/**
 * Runs `work` with an AbortSignal that fires after `ms`. Unlike AbortSignal.timeout, the timer is
 * cleared as soon as the work settles, so a hijacked stream handed back is never aborted later.
 */
async function withDeadline(what, ms, work) {
    const controller = new AbortController();
    let timer;
    const expired = new Promise((_, reject) => {
        timer = setTimeout(() => {
            const error = new DeadlineError(what, ms);
            controller.abort(error);
            reject(error);
        }, ms);
    });
    try {
        return await Promise.race([work(controller.signal), expired]);
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=deadline.js.map