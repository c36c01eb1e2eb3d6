/**
 * Natural order of names: runs of digits compare as numbers, so `build-2` comes before `build-10`
 * and `mbench-child-1-2` before `mbench-child-1-10`; a number sorts before any other character. Letters compare case-insensitively; names that
 * differ only in case or in leading zeros fall back to code-unit order, so the order is total and the
 * same on every machine (no locale) and across refreshes.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const aDigit = isDigit(a.charCodeAt(i));
    const bDigit = isDigit(b.charCodeAt(j));
    if (aDigit && bDigit) {
      const aEnd = digitsEnd(a, i);
      const bEnd = digitsEnd(b, j);
      const byNumber = compareDigits(a, i, aEnd, b, j, bEnd);
      if (byNumber !== 0) return byNumber;
      i = aEnd;
      j = bEnd;
      continue;
    }
    if (aDigit !== bDigit) return aDigit ? -1 : 1;
    const ac = lower(a.charCodeAt(i));
    const bc = lower(b.charCodeAt(j));
    if (ac !== bc) return ac < bc ? -1 : 1;
    i++;
    j++;
  }
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function digitsEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end;
}

/** Compares two digit runs as numbers without parsing them (they may be longer than any number type). */
function compareDigits(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  while (aStart < aEnd - 1 && a.charCodeAt(aStart) === 48) aStart++;
  while (bStart < bEnd - 1 && b.charCodeAt(bStart) === 48) bStart++;
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  if (aLength !== bLength) return aLength < bLength ? -1 : 1;
  for (let k = 0; k < aLength; k++) {
    const d = a.charCodeAt(aStart + k) - b.charCodeAt(bStart + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
