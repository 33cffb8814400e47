/**
 * The grounding check for answers to questions: every figure in an answer must come from a tool
 * result of that conversation (or from the question itself). Rounding is allowed — "301 W"
 * matches 301.4, "3.8 W/kg" matches 3.79 — inventing is not.
 */

const DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const NUMBER = /(?<![\w.])[-−]?\d+(?:[.,]\d+)?(?![\w.]*\d)/g;

/** Durations a coach names without a source: the power-curve points and plan lengths. */
const DURATION =
  /\b(?:1|2|3|5|8|10|12|15|20|30|45|60|90)\s*(?:s|sec|secs|seconds?|min|mins|minutes?)\b|\b(?:[1-9]|1\d|2[0-4])\s*(?:weeks?|days?|months?)\b/gi;

/** A unit or metric right after a figure makes it a claim, however small ("8 W", "2 % of FTP"). */
const UNIT_AFTER = /^\s*(?:w\b|w\/kg|watts?|bpm|%|percent|tss|kj|kcal|km|mi\b|miles?|h\b|hours?|rpm|kg|ctl|atl|tsb)/i;
/** A metric right before a figure too ("TSB is 8", "IF of 0.9"). */
const METRIC_BEFORE =
  /\b(?:ftp|eftp|cp|ctl|atl|tsb|if|tss|np|hr|w′|w'|ramp(?:\s+rate)?|vi|ef)\b\W{0,3}(?:\b(?:is|was|of|at|to|by|now|about|around)\b\W{0,3}){0,2}$/i;

interface Figure {
  value: number;
  /** Written without a unit or metric: a small whole number here is a count ("3 rides"). */
  bare: boolean;
}

function figures(text: string): Figure[] {
  const cleaned = text.replace(DATE, ' ').replace(DURATION, ' ');
  const out: Figure[] = [];
  for (const m of cleaned.matchAll(NUMBER)) {
    const value = Number(m[0].replace('−', '-').replace(',', '.'));
    if (!Number.isFinite(value)) continue;
    const after = cleaned.slice(m.index + m[0].length, m.index + m[0].length + 8);
    const before = cleaned.slice(Math.max(0, m.index - 24), m.index);
    out.push({ value, bare: !UNIT_AFTER.test(after) && !METRIC_BEFORE.test(before) });
  }
  return out;
}

const numbers = (text: string): number[] => figures(text).map((f) => f.value);

/** Figures a human writes without a source: small counts ("3 rides", "2 hard days"). */
function trivial(f: Figure): boolean {
  return f.bare && Number.isInteger(f.value) && f.value >= 0 && f.value <= 10;
}

function matches(value: number, source: number): boolean {
  if (value === source) return true;
  const a = Math.abs(value);
  const s = Math.abs(source);
  // rounded to a whole number, or to one or two decimals, or a fraction written as a percentage
  return (
    (Math.abs(a - s) <= 0.5 + 1e-9 && Math.round(s) === a) ||
    Math.abs(a - Number(s.toFixed(1))) < 1e-9 ||
    Math.abs(a - Number(s.toFixed(2))) < 1e-9 ||
    (s <= 1 && Math.abs(a - Math.round(s * 100)) < 1e-9) ||
    (s <= 1 && Math.abs(a - Number((s * 100).toFixed(1))) < 1e-9) ||
    Math.abs(a - Number((s / 1000).toFixed(1))) < 1e-9 || // J → kJ
    (Math.abs(a - Number((s / 60).toFixed(0))) < 1e-9 && s >= 60) || // seconds → minutes
    (Math.abs(a - Number((s / 3600).toFixed(1))) < 1e-9 && s >= 360)
  ); // seconds → hours
}

/** Figures of the answer that no source supports (dates excluded, small bare counts allowed). */
export function ungroundedFigures(answer: string, sources: string[]): string[] {
  const known = sources.flatMap(numbers);
  const knownDates = new Set(sources.flatMap((s) => s.match(DATE) ?? []));
  const bad: string[] = [];
  for (const date of answer.match(DATE) ?? []) if (!knownDates.has(date)) bad.push(date);
  for (const figure of figures(answer)) {
    if (trivial(figure)) continue;
    if (!known.some((k) => matches(figure.value, k))) bad.push(String(figure.value));
  }
  return [...new Set(bad)];
}

/** The answer without the sentences that carry an unverified figure. */
export function removeFigures(answer: string, figures: string[]): string {
  const sentences = answer.split(/(?<=[.!?])\s+/);
  // with no sources, ungroundedFigures lists every figure of the sentence
  const kept = sentences.filter((s) => ungroundedFigures(s, []).every((x) => !figures.includes(x)));
  return kept.join(' ').trim();
}
