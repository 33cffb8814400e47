/**
 * Cell values of a Strava activities.csv: numbers in any locale's notation, booleans, and text cut
 * to a length. Each reader is one linear pass (no regular expression here can backtrack).
 */

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Digits from `i` on: the index after the last one. */
function skipDigits(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/**
 * `/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)` as one pass: that expression backtracks
 * quadratically on a long run of digits that does not match (45 s for 256 K digits).
 */
function isDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (i < n && (s[i] === '+' || s[i] === '-')) i++;
  const intStart = i;
  i = skipDigits(s, i);
  const intDigits = i - intStart;
  let fracDigits = 0;
  if (i < n && s[i] === '.') {
    i++;
    const fracStart = i;
    i = skipDigits(s, i);
    fracDigits = i - fracStart;
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  if (i < n && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    const expStart = i;
    i = skipDigits(s, i);
    if (i === expStart) return false;
  }
  return i === n;
}

/** Like `parseNumber`, but a number too large for a double comes back as ±Infinity, not null. */
export function readNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let s = raw.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const comma = s.lastIndexOf(',');
  if (comma !== -1) {
    const dot = s.lastIndexOf('.');
    if (dot > comma) s = s.replace(/,/g, '');
    else s = s.replace(/\./g, '').replace(',', '.');
    if (s.includes(',')) return null;
  }
  if (!isDecimal(s)) return null;
  return Number(s);
}

/** Empty or non-numeric → null; `12,5` → 12.5; `1.234,5` → 1234.5; `1,234.5` → 1234.5. */
export function parseNumber(raw: string | undefined): number | null {
  const n = readNumber(raw);
  return n !== null && Number.isFinite(n) ? n : null;
}

export function parseBoolean(raw: string | undefined): boolean | null {
  if (raw === undefined) return null;
  const s = raw.trim().toLowerCase();
  if (s === 'true' || s === 'yes') return true;
  if (s === 'false' || s === 'no') return false;
  const n = parseNumber(s);
  return n === null ? null : n !== 0;
}

/** At most `max` characters, the last one "…" when cut; never splits a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
