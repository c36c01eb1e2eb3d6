"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NoRelayError = exports.RELAYS = void 0;
exports.connectInnerEngine = connectInnerEngine;
const streamDemux_1 = require("./streamDemux");
const engineApi_1 = require("./engineApi");
const transports_1 = require("./transports");
const tunnelSocket_1 = require("./tunnelSocket");
/**
 * Programs that can carry the Engine API over an exec's stdin/stdout, tried in order. The Docker
 * CLI's dial-stdio is present in every docker:dind-like image; socat covers images that run
 * dockerd without the CLI.
 */
exports.RELAYS = [
    { name: 'docker system dial-stdio', cmd: ['docker', 'system', 'dial-stdio'] },
    { name: 'socat', cmd: ['socat', '-', 'UNIX-CONNECT:/var/run/docker.sock'] },
];
/** The container has no program that can relay to its engine: retrying will not help. */
class NoRelayError extends Error {
    permanent = true;
}
exports.NoRelayError = NoRelayError;
async function openRelay(parent, containerId, cmd, label) {
    const execId = await parent.createExec(containerId, {
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Cmd: cmd,
    });
    const raw = await parent.startExecHijacked(execId, false);
    const { stdout, stderr } = (0, streamDemux_1.demuxStream)(raw);
    return { socket: new tunnelSocket_1.TunnelSocket(raw, stdout, stderr, label), execId };
}
/**
 * Reaches the engine inside a container through the engine that runs it: an exec of a relay whose
 * stdin/stdout carry the Engine API. No port is published and the container need not be ours.
 * Works at any depth, because `parent` may itself be an inner engine's API.
 */
async function connectInnerEngine(parent, containerId, label, deadlineMs) {
    const failures = [];
    let anyRelayRan = false;
    for (const relay of exports.RELAYS) {
        let last;
        const transport = (0, transports_1.relayTransport)(async () => {
            last = await openRelay(parent, containerId, relay.cmd, `${relay.name} in ${label}`);
            return last.socket;
        }, `exec: ${relay.name}`);
        const api = new engineApi_1.EngineApi(transport.docker, { label, deadlineMs });
        try {
            const version = await api.negotiate();
            return { api, transport, version, relay: relay.name };
        }
        catch (error) {
            transport.dispose();
            const why = await explainFailure(parent, last, error);
            if (!why.missing)
                anyRelayRan = true;
            failures.push(`${relay.name}: ${why.text}`);
        }
    }
    const summary = failures.join('; ');
    if (!anyRelayRan) {
        throw new NoRelayError(`no relay to an engine inside ${label} (${summary}). Install the docker CLI or socat in the container.`);
    }
    throw new Error(`no engine answered inside ${label} (${summary})`);
}
async function explainFailure(parent, attempt, error) {
    if (!attempt)
        return { text: error.message, missing: false };
    let exitCode;
    try {
        // The relay has usually exited by now; its exit code tells "not installed" from "no engine".
        for (let i = 0; i < 5; i++) {
            const state = await parent.inspectExec(attempt.execId);
            exitCode = state.ExitCode;
            if (!state.Running)
                break;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
    catch {
        // The exec is gone with its container: the error we already have says enough.
    }
    const stderr = attempt.socket.stderrText;
    const missing = exitCode === 126 || exitCode === 127 || /executable file not found/i.test(stderr);
    const detail = stderr || (exitCode !== undefined && exitCode !== null ? `exited with ${exitCode}` : error.message);
    return { text: missing ? `not installed (${detail})` : detail, missing };
}
//# sourceMappingURL=innerEngine.js.map