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
exports.run = run;
// Entry point of the extension-host tests: VS Code loads this module (extensionTestsPath) inside
// the extension host and awaits run(). Same contract under @vscode/test-electron and under
// code-server (scripts/vscodeTests.mjs). Because code-server's extension host runs in a server
// process whose stdout nobody reads, the results also go to a JSON file when
// MATRYOSHKA_TEST_RESULTS names one.
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const mocha_1 = __importDefault(require("mocha"));
/** Every compiled *.test.js below this folder, sorted so runs are reproducible. */
function findTestFiles(dir) {
    const found = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory())
            found.push(...findTestFiles(full));
        else if (entry.isFile() && entry.name.endsWith('.test.js'))
            found.push(full);
    }
    return found.sort();
}
function describeError(err) {
    if (err instanceof Error)
        return err.stack ?? `${err.name}: ${err.message}`;
    return String(err);
}
/** Writes atomically (temp file, then rename) so a reader polling for the file never sees half of it. */
function writeResults(file, results) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
    fs.renameSync(tmp, file);
}
async function run() {
    const resultsFile = process.env.MATRYOSHKA_TEST_RESULTS;
    const results = { passed: 0, failed: 0, pending: 0, tests: [] };
    const finish = () => {
        if (resultsFile)
            writeResults(resultsFile, results);
    };
    const mocha = new mocha_1.default({ ui: 'bdd', timeout: 120_000, color: false });
    // MATRYOSHKA_TEST_GREP runs a subset, like mocha's --grep.
    if (process.env.MATRYOSHKA_TEST_GREP)
        mocha.grep(process.env.MATRYOSHKA_TEST_GREP);
    for (const file of findTestFiles(__dirname))
        mocha.addFile(file);
    let failures;
    try {
        failures = await new Promise((resolve) => {
            // run() requires the test files synchronously: a file that throws on load throws here.
            const runner = mocha.run(resolve);
            runner.on('pass', (test) => {
                results.passed++;
                results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
            });
            // Also fires for failing hooks (before/after), which are not counted as tests by mocha.
            runner.on('fail', (test, err) => {
                results.failed++;
                results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: describeError(err) });
            });
            runner.on('pending', (test) => {
                results.pending++;
                results.tests.push({ title: test.fullTitle(), state: 'pending' });
            });
        });
    }
    catch (err) {
        results.failed++;
        results.tests.push({ title: 'loading the test files', state: 'failed', error: describeError(err) });
        finish();
        throw err;
    }
    if (results.passed + results.failed === 0) {
        results.failed++;
        results.tests.push({ title: 'finding tests', state: 'failed', error: `no *.test.js ran under ${__dirname}` });
        failures = 1;
    }
    finish();
    if (failures > 0)
        throw new Error(`${failures} test(s) failed`);
}
//# sourceMappingURL=index.js.map