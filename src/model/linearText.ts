// Text operations on engine strings that take time linear in the text's length. A backtracking
// regular expression such as /\/+$/ retries its run at every starting position (quadratic: a
// megabyte of "/" took minutes); an engine chooses the text, so these loops replace such patterns.

/** `text` without the run of `char` (one UTF-16 unit) at its end: what `replace(/c+$/, '')` gives. */
export function trimTrailing(text: string, char: string): string {
  const code = char.charCodeAt(0);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === code) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Where the line that holds `from` ends: at a line terminator (where `.` in a pattern stops), or the end. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return i;
  }
  return text.length;
}

/**
 * `text` with ASCII letters lowercased, as the `i` flag without `u` compares them. The only other
 * characters that lowercase to ASCII (U+0130, U+212A) would match a letter that flag does not
 * match, so they become NUL first.
 */
function asciiFolded(text: string): string {
  return text.replace(/[\u0130\u212a]/g, '\0').toLowerCase();
}

/**
 * Whether some line of `text` contains `first` and, after it, one of `then` (ASCII letters compared
 * without case): what /first.*(then1|then2)/i tests. Each line is searched from its first `first`
 * (which leaves the longest rest), and an occurrence of a `then` found beyond one line is kept for
 * the next lines, so no part of the text is searched twice.
 */
export function followsInLine(text: string, first: string, then: readonly string[]): boolean {
  const folded = asciiFolded(text);
  const head = first.toLowerCase();
  const tails = then.map((t) => ({ text: t.toLowerCase(), next: -1 }));
  let from = 0;
  for (;;) {
    const at = folded.indexOf(head, from);
    if (at < 0) return false;
    const rest = at + head.length;
    const end = lineEnd(folded, rest);
    for (const tail of tails) {
      if (tail.next >= 0 && tail.next < rest) tail.next = -1;
      if (tail.next < 0) tail.next = folded.indexOf(tail.text, rest);
      if (tail.next < 0) tail.next = Infinity;
      if (tail.next + tail.text.length <= end) return true;
    }
    from = end + 1;
  }
}

/**
 * `text` split at each match of `separators` (one character each), with the white space on either
 * side of each separator dropped: what a split at "white space, separator, white space" gives, where
 * such a pattern retried its white space run at every position.
 */
export function splitTrimmed(text: string, separators: RegExp): string[] {
  const parts = text.split(separators);
  return parts.map((part, i) => {
    const left = i > 0 ? part.trimStart() : part;
    return i < parts.length - 1 ? left.trimEnd() : left;
  });
}
