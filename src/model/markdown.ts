/** Control characters (C0, C1), bidi overrides and line separators: they can disguise text. */
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Spaces at either end of a paragraph or list item are dropped by Markdown, and a space next to
 * `**` stops it being bold: as character references they stay, as the text had them.
 */
function isEdgeSpace(code: number): boolean {
  // \p{Zs} (space separators, all in the BMP) and the byte order mark.
  return code === 0x20 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * `&#x20;` for each character of a run of edge space (all in the BMP). Written into bytes: a
 * megabyte of spaces from an engine is several megabytes of references, and a string per
 * character took a second. A long run of one character is one fill.
 */
function characterReferences(run: string): string {
  const out = Buffer.allocUnsafe(run.length * 8);
  let at = 0;
  for (let i = 0; i < run.length; ) {
    const code = run.charCodeAt(i);
    let next = i + 1;
    while (next < run.length && run.charCodeAt(next) === code) next++;
    if (next - i > 16) {
      const reference = `&#x${code.toString(16)};`;
      out.fill(reference, at, at + reference.length * (next - i), 'latin1');
      at += reference.length * (next - i);
      i = next;
      continue;
    }
    for (; i < next; i++) {
      out[at++] = 0x26; // &#x
      out[at++] = 0x23;
      out[at++] = 0x78;
      for (let shift = code < 0x10 ? 0 : code < 0x100 ? 4 : code < 0x1000 ? 8 : 12; shift >= 0; shift -= 4) out[at++] = HEX[(code >> shift) & 15];
      out[at++] = 0x3b;
    }
  }
  return out.toString('latin1', 0, at);
}

/** The runs of edge space at both ends as character references (loops: a pattern anchored at the end is retried at every position). */
export function keepEdgeSpace(text: string): string {
  let start = 0;
  while (start < text.length && isEdgeSpace(text.charCodeAt(start))) start++;
  let end = text.length;
  while (end > start && isEdgeSpace(text.charCodeAt(end - 1))) end--;
  return characterReferences(text.slice(0, start)) + text.slice(start, end) + characterReferences(text.slice(end));
}

function visibleEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Engine strings go into Markdown tooltips as literal text. CommonMark lets any ASCII punctuation be
 * backslash-escaped, so escaping all of it leaves nothing that can open a link, an image, code,
 * emphasis or HTML, whatever an inner engine returns. Line breaks would start new blocks, and bidi
 * controls or NUL could disguise the text, so they are shown as visible escapes.
 */
export function escapeMarkdown(text: string): string {
  return keepEdgeSpace(screenText(text)
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~"'=:;$%@^?,/]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, ' ⏎ ')
    .replace(INVISIBLE, visibleEscape));
}

/** Plain-text contexts (labels, descriptions): no markup, but no control characters either. */
export function plainText(text: string): string {
  return screenText(text).replace(/\r\n|\r|\n/g, ' ').replace(INVISIBLE, visibleEscape);
}

/**
 * Quick picks, notifications and terminal tabs draw `$(name)` as an icon; `\$(` shows it as typed.
 * Used for engine text in those places, after `plainText`.
 */
export function iconSafeText(text: string): string {
  return plainText(text).replace(/\$\((?=[A-Za-z0-9-]+(?:~[A-Za-z]+)?\))/g, '\\$(');
}

/**
 * Notifications (showErrorMessage and the like) turn `[label](command:…)`, `(https://…)` and
 * `(file:…)` into links that run or open something; engine text (a container's command in an
 * engine's error, an inner engine's name) must not. Breaking such a `](` pair with a backslash leaves
 * the text readable and links nothing; line breaks between our own lines are kept.
 */
export function notificationText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => iconSafeText(line).replace(/\]\((?=https?:\/\/|command:|file:)/gi, ']\\('))
    .join('\n');
}

/** Terminal tabs draw `$(name)` as an icon too; a title is one line. */
export function terminalTitle(text: string): string {
  return iconSafeText(text);
}

/**
 * The most characters of one engine string that reach the screen. A name, an image, a status or a
 * message is far shorter; longer text is an engine flooding a label, tooltip or notification.
 */
export const SCREEN_TEXT_MAX = 1000;

/** `text` cut to SCREEN_TEXT_MAX characters with an ellipsis, never inside a surrogate pair. */
export function screenText(text: string): string {
  if (text.length <= SCREEN_TEXT_MAX) return text;
  const end = /[\ud800-\udbff]/.test(text[SCREEN_TEXT_MAX - 1]) ? SCREEN_TEXT_MAX - 1 : SCREEN_TEXT_MAX;
  return `${text.slice(0, end)}…`;
}
