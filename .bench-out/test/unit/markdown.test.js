"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const classify_1 = require("../../src/model/classify");
const markdown_1 = require("../../src/model/markdown");
const snapshot_1 = require("../../src/model/snapshot");
const treeModel_1 = require("../../src/model/treeModel");
const recorded_1 = require("../support/recorded");
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '"><script>alert(1)</script>';
const FENCE = '```\n[x](command:workbench.action.quit)';
const IMAGE_LINK = '![i](http://x/y.png)';
const BIDI_NUL = 'gpj.\u202eexe\u0000';
const NEWLINES = 'Up 3 days\n- fake item\r\n# heading\rend';
const BIG = '[x](command:workbench.action.quit)<b>`!'.repeat(300).slice(0, 10240);
/** The inverse of escapeMarkdown: backslash before ASCII punctuation, \uXXXX for controls, ⏎ for line breaks. */
function unescapeMarkdown(markdown) {
    return markdown.replace(/\\([!-/:-@[-`{-~])|\\u([0-9a-f]{4})| ⏎ /g, (_m, punct, hex) => punct ?? (hex ? String.fromCharCode(parseInt(hex, 16)) : '\n'));
}
/** Characters that open Markdown constructs, found in `markdown` without a backslash before them. */
function rawSpecials(markdown) {
    const counts = {};
    for (let i = 0; i < markdown.length; i++) {
        const c = markdown[i];
        if (c === '\\' && /[!-/:-@[-`{-~]/.test(markdown[i + 1] ?? '')) {
            i++;
            continue;
        }
        if ('<>[]()`!'.includes(c))
            counts[c] = (counts[c] ?? 0) + 1;
    }
    return counts;
}
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\r]/;
/** Deterministic pseudo-random strings over punctuation, controls, bidi marks, escapes and line breaks. */
function* fuzzStrings(count) {
    const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\n', '\t', '\u0000', '\u0001', '\u001b', '\u007f', '\u200e', '\u202e', '\u2066', '\u2069', 'é', '漢', '\\u', '\\u202e'];
    let seed = 0x2545f491;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < count; n++) {
        const length = Math.floor(next() * 40);
        yield Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    }
}
(0, node_test_1.describe)('escapeMarkdown', () => {
    (0, node_test_1.it)('escapes link, image, HTML and code syntax', () => {
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('[x](command:workbench.action.quit)'), '\\[x\\]\\(command\\:workbench\\.action\\.quit\\)');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)(IMAGE_LINK), '\\!\\[i\\]\\(http\\:\\/\\/x\\/y\\.png\\)');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('<b>`x`</b>'), '\\<b\\>\\`x\\`\\<\\/b\\>');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('a\\b'), 'a\\\\b');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('plain words 123 é'), 'plain words 123 é');
    });
    (0, node_test_1.it)('shows line breaks, bidi controls and NUL as visible escapes', () => {
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('a\r\nb\rc\nd'), 'a ⏎ b ⏎ c ⏎ d');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)(BIDI_NUL), 'gpj\\.\\u202eexe\\u0000');
        strict_1.default.equal((0, markdown_1.escapeMarkdown)('\u001b[31m'), '\\u001b\\[31m');
    });
    (0, node_test_1.it)('leaves no unescaped punctuation, control or line break, and unescapes back to the input', () => {
        let checked = 0;
        for (const input of fuzzStrings(400)) {
            const escaped = (0, markdown_1.escapeMarkdown)(input);
            const stripped = escaped.replace(/\\[!-/:-@[-`{-~]|\\u[0-9a-f]{4}/g, '');
            strict_1.default.doesNotMatch(stripped, /[!-/:-@[-`{-~]/, JSON.stringify(input));
            strict_1.default.doesNotMatch(escaped, CONTROLS, JSON.stringify(input));
            strict_1.default.ok(!escaped.includes('\n'), JSON.stringify(input));
            strict_1.default.equal(unescapeMarkdown(escaped), input, JSON.stringify(input));
            checked += input.length;
        }
        strict_1.default.ok(checked > 5000, 'the fuzz strings are not trivially short');
        for (const input of [IMG, SCRIPT, FENCE, IMAGE_LINK, BIDI_NUL, BIG])
            strict_1.default.equal(unescapeMarkdown((0, markdown_1.escapeMarkdown)(input)), input);
    });
});
(0, node_test_1.describe)('plainText', () => {
    (0, node_test_1.it)('leaves markup alone but no C0 control, DEL or bidi control', () => {
        const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
        const out = (0, markdown_1.plainText)(`x${all}y`);
        strict_1.default.doesNotMatch(out, /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        strict_1.default.ok(out.startsWith('x\\u0000\\u0001') && out.endsWith('\\u2069y'), out);
        strict_1.default.equal((0, markdown_1.plainText)('a\nb'), 'a b');
        strict_1.default.equal((0, markdown_1.plainText)('a\r\nb'), 'a b', 'a Windows line break is one space');
        strict_1.default.equal((0, markdown_1.plainText)(BIDI_NUL), 'gpj.\\u202eexe\\u0000');
        strict_1.default.equal((0, markdown_1.plainText)(`${IMG} ${IMAGE_LINK}`), `${IMG} ${IMAGE_LINK}`, 'labels are not Markdown');
    });
    (0, node_test_1.it)('leaves no C1 control or LRM/RLM mark either', () => {
        strict_1.default.doesNotMatch((0, markdown_1.plainText)('a\u0085b\u009bc\u200ed\u200fe'), /[\p{Cc}\u200e\u200f]/u);
    });
});
(0, node_test_1.describe)('hostile engine text in tooltips', () => {
    /** fx-dind-dood as recorded, with every string an inner engine controls replaced by hostile text. */
    function hostileContainer() {
        const summary = structuredClone((0, recorded_1.readJson)('host', 'containers.json').find((c) => c.Names?.[0] === '/fx-dind-dood'));
        const inspect = (0, recorded_1.readJson)('host', 'inspect', 'fx-dind-dood.json');
        strict_1.default.ok(summary && inspect.Mounts?.length === 2 && inspect.Config);
        const snapshot = (s, i) => ({
            engineKey: 'default',
            id: s.Id,
            name: (0, snapshot_1.containerName)(s),
            summary: s,
            inspect: i,
            classification: (0, classify_1.classify)({ summary: s, inspect: i, engineSocketPaths: ['/var/run/docker.sock'], sysboxRuntimes: ['sysbox-runc'] }),
        });
        const original = snapshot(structuredClone(summary), structuredClone(inspect));
        summary.Names = [`/fx${IMG}${BIDI_NUL}`];
        summary.Image = inspect.Config.Image = `evil/dind:${SCRIPT}`;
        summary.State = IMAGE_LINK;
        summary.Status = `${FENCE}${NEWLINES}`;
        summary.Labels = { [IMG]: IMAGE_LINK, 'dev.matryoshka.mode': SCRIPT };
        inspect.Mounts[0].Source = BIG;
        inspect.Mounts[1].Name = `${IMAGE_LINK}\n${IMG}`;
        return { container: snapshot(summary, inspect), original };
    }
    const { container, original } = hostileContainer();
    const path = { rootEngine: 'default', containers: ['fx-dind', container.name] };
    const md = (0, treeModel_1.containerTooltipMarkdown)(container, path);
    (0, node_test_1.it)('the hostile strings reach the tooltip (as evidence, name, state and mounts)', () => {
        strict_1.default.equal(container.classification.mode, 'dind');
        strict_1.default.equal(container.classification.dood, true);
        strict_1.default.ok(container.classification.evidence.some((e) => e.includes(SCRIPT)), 'image evidence');
        strict_1.default.ok(container.classification.evidence.some((e) => e.includes(BIG)), 'socket mount evidence');
        const shown = unescapeMarkdown(md);
        for (const text of [`fx${IMG}${BIDI_NUL}`, `evil/dind:${SCRIPT}`, IMAGE_LINK, `${FENCE}${NEWLINES.replace(/\r\n|\r/g, '\n')}`, BIG, `${IMAGE_LINK}\n${IMG}`]) {
            strict_1.default.ok(shown.includes(text), `the tooltip shows ${JSON.stringify(text.slice(0, 60))}`);
        }
    });
    (0, node_test_1.it)('every Markdown-opening character from the engine is escaped', () => {
        strict_1.default.deepEqual(rawSpecials(md), { '(': 1, ')': 1 }, 'only the parentheses around the status are Markdown');
        strict_1.default.deepEqual(rawSpecials((0, treeModel_1.containerTooltipMarkdown)(original, path)), { '(': 1, ')': 1 });
        strict_1.default.doesNotMatch(md, /(?<!\\)(<img|<script|<b>|```|\]\(|!\[)/);
        strict_1.default.ok(md.includes('\\<img src\\=x onerror\\=alert\\(1\\)\\>') && md.includes('\\`\\`\\`'));
    });
    (0, node_test_1.it)('no line break, bidi control or NUL from the engine survives', () => {
        strict_1.default.doesNotMatch(md, CONTROLS);
        strict_1.default.ok(md.includes('\\u202e') && md.includes('\\u0000'));
        const lines = md.split('\n');
        strict_1.default.equal(lines.length, (0, treeModel_1.containerTooltipMarkdown)(original, path).split('\n').length, 'same lines as the recorded container');
        for (const line of lines)
            strict_1.default.ok(line === '' || line.startsWith('- ') || /^\*\*[^*]+\*\*/.test(line), line.slice(0, 80));
        strict_1.default.ok(lines.some((line) => line.startsWith('- State: ') && line.includes(' ⏎ \\- fake item ⏎ \\# heading ⏎ end')));
    });
    (0, node_test_1.it)('hostile engine names, versions and disconnect reasons are escaped too', () => {
        const host = (0, recorded_1.recordedSnapshot)();
        const engine = {
            ...host,
            name: `${IMG}\n# x`,
            endpoint: `ssh://${IMAGE_LINK}`,
            current: false,
            version: { ...host.version, Version: SCRIPT, Os: FENCE, Arch: BIDI_NUL },
            status: { kind: 'disconnected', reason: `${BIG}\n${IMG}`, permanent: false },
        };
        const tooltip = (0, treeModel_1.engineTooltipMarkdown)(engine);
        strict_1.default.deepEqual(rawSpecials(tooltip), {});
        strict_1.default.doesNotMatch(tooltip, CONTROLS);
        strict_1.default.equal(tooltip.split('\n').length, 6);
        strict_1.default.ok(unescapeMarkdown(tooltip).includes(`- **Disconnected**: ${BIG}\n${IMG}`));
    });
});
//# sourceMappingURL=markdown.test.js.map