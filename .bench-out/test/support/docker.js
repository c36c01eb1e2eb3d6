"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.docker = docker;
exports.loadImageInto = loadImageInto;
exports.execChain = execChain;
exports.dockerIn = dockerIn;
exports.waitFor = waitFor;
const node_child_process_1 = require("node:child_process");
/**
 * The Docker CLI, used by tests only to build fixtures and to check what Matryoshka reports
 * against the engine's own word. Arguments go straight to the process: no shell.
 */
function docker(args, options = {}) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.execFile)('docker', args, { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
            if (error)
                reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`));
            else
                resolve(stdout.trim());
        });
        if (options.input !== undefined)
            child.stdin?.end(options.input);
    });
}
/** `docker save IMAGE | docker exec -i CONTAINER docker load`, through every container in `via`. */
function loadImageInto(image, path) {
    return new Promise((resolve, reject) => {
        const save = (0, node_child_process_1.spawn)('docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
        const load = (0, node_child_process_1.spawn)('docker', [...execChain(path, ['-i']), 'docker', 'load', '-q'], { stdio: ['pipe', 'ignore', 'pipe'] });
        let errors = '';
        load.stderr.on('data', (d) => (errors += d.toString()));
        save.stdout.pipe(load.stdin);
        load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loading ${image} into ${path.join(' › ')}: ${errors.trim()}`))));
    });
}
/** Arguments that run a command in the innermost container of `path` (exec through each level). */
function execChain(path, execFlags = []) {
    const args = [];
    path.forEach((container, index) => {
        if (index > 0)
            args.push('docker');
        args.push('exec', ...execFlags, container);
    });
    return args;
}
/** `docker ...` run inside the innermost container of `path` (path empty: the host). */
function dockerIn(path, args, timeoutMs) {
    if (path.length === 0)
        return docker(args, { timeoutMs });
    return docker([...execChain(path), 'docker', ...args], { timeoutMs });
}
async function waitFor(what, timeoutMs, probe, intervalMs = 200) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false)
                return value;
        }
        catch (error) {
            lastError = error;
        }
        await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}
//# sourceMappingURL=docker.js.map