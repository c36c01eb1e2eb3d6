"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.escapeMarkdown = escapeMarkdown;
exports.plainText = plainText;
/** Control characters (C0, C1), bidi overrides and line separators: they can disguise text. */
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
function visibleEscape(c) {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
/**
 * Engine strings go into Markdown tooltips as literal text. CommonMark lets any ASCII punctuation be
 * backslash-escaped, so escaping all of it leaves nothing that can open a link, an image, code,
 * emphasis or HTML, whatever an inner engine returns. Line breaks would start new blocks, and bidi
 * controls or NUL could disguise the text, so they are shown as visible escapes.
 */
function escapeMarkdown(text) {
    return text
        .replace(/[\\`*_{}[\]()#+\-.!|<>&~"'=:;$%@^?,/]/g, (c) => `\\${c}`)
        .replace(/\r\n|\r|\n/g, ' ⏎ ')
        .replace(INVISIBLE, visibleEscape);
}
/** Plain-text contexts (labels, descriptions): no markup, but no control characters either. */
function plainText(text) {
    return text.replace(/\r\n|\r|\n/g, ' ').replace(INVISIBLE, visibleEscape);
}
//# sourceMappingURL=markdown.js.map