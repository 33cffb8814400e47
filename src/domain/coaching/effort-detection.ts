/**
 * The first half of interval alignment (see interval-alignment.ts): the planned work intervals
 * grouped into blocks (intervals with nothing easy between them, such as over-unders, are one
 * effort on the road), and for each block the candidate efforts of the ride, scored.
 *
 * An effort is a stretch where the centred rolling mean of power (window: a quarter of the block's
 * shortest interval, 3–30 s) stays at or above the block's detection level: the target's low bound
 * less max(12, 12 %) points, raised towards the midpoint between the low bound and the easier planned
 * level around the interval (never above low − 4). A candidate is one effort or a run of up to four
 * consecutive efforts with dips of at most max(15 s, min(90 s, 25 % of the planned time)) between
 * (a stop mid-interval), and when that is over 115 % of the planned length, its first and last
 * planned length too (an effort run together with a hard warm-up). Its score is
 *   1 − 0.6 · duration miss − 0.6 · intensity miss − 0.3 · open edges,
 * where the duration miss is |log2(duration / planned)| beyond a slack of 0.15 shorter or 0.32
 * longer (±11 % / +25 %); the intensity miss the shortfall below the low bound as a share of 25 % of
 * it, or the excess above the high bound as a share of 50 % of it; and an open edge one with the
 * 30 s beyond it at or above both the low bound and halfway from it to the stretch's mean (the edge
 * is inside a longer effort). Candidates scoring 0.25 or less are dropped.
 */
import type { WorkInterval } from './work-intervals.js';

/** Consecutive work intervals ridden as one effort. Times are seconds from the workout's start. */
export interface Block {
  /** Indexes into the interval list, inclusive. */
  first: number;
  last: number;
  start: number;
  /** End of the last interval. */
  end: number;
  /** End of the effort as ridden: `end`, or later when the part after the last interval is as hard (over-unders' last "over"). */
  extentEnd: number;
  lowPercent: number;
  highPercent: number;
  /** Detection level, % FTP. */
  levelPercent: number;
  /** Smoothing window, s. */
  window: number;
  /** Planned seconds of easier riding before and after the block (to the next block, else 120). */
  before: number;
  after: number;
}

/** A stretch of the ride [start, end) (stream seconds) that may have executed a block. */
export interface Candidate {
  start: number;
  end: number;
  score: number;
}

const EDGE_SECONDS = 120;
const MIN_SCORE = 0.25;
const MAX_RUN = 4;
const LONG_SHARE = 1.15;
/** Durations within ±11 % of the planned one fit equally well (log2 1.11 ≈ 0.15): detection is not that exact. */
const DURATION_SLACK = 0.15;
/** Longer ones, up to +25 % (log2 1.25 ≈ 0.32), too: an effort run together with a hard end of the warm-up. */
const LONGER_SLACK = 0.32;
/** Seconds looked at outside each edge of a candidate, and what an edge with riding as hard as the target beyond it costs. */
const EDGE_LOOK = 30;
const OPEN_EDGE_COST = 0.3;
/** A run of 0 W at least this long is a stop with the timer running, s. */
const IDLE_SECONDS = 60;
const MAX_CANDIDATES = 60;

/** The detection level of one interval, % FTP. */
function detectionLevel(w: WorkInterval): number {
  const low = w.targetLowPercent;
  const base = low - Math.max(12, 0.12 * low);
  const easier = [w.percentBefore, w.percentAfter].filter((p): p is number => p !== undefined && p < low);
  if (easier.length === 0) return base;
  return Math.min(low - 4, Math.max(base, (low + Math.min(...easier)) / 2));
}

const smoothingWindow = (seconds: number): number => Math.max(3, Math.min(30, Math.round(seconds / 4)));

/** The planned blocks: an interval joins the previous one when nothing between them is easier than its detection level. */
export function planBlocks(intervals: readonly WorkInterval[]): Block[] {
  const blocks: Block[] = [];
  intervals.forEach((w, i) => {
    const level = detectionLevel(w);
    const prev = blocks[blocks.length - 1];
    const gap = prev ? w.plannedStart - prev.end : Infinity;
    const joined = prev !== undefined && (gap <= 0 || (w.percentBefore ?? 0) >= Math.min(level, prev.levelPercent));
    if (prev && joined) {
      prev.last = i;
      prev.end = Math.max(prev.end, w.plannedStart + w.seconds);
      prev.lowPercent = Math.min(prev.lowPercent, w.targetLowPercent);
      prev.highPercent = Math.max(prev.highPercent, w.targetHighPercent);
      prev.levelPercent = Math.min(prev.levelPercent, level);
      prev.window = Math.min(prev.window, smoothingWindow(w.seconds));
      return;
    }
    blocks.push({
      first: i,
      last: i,
      start: w.plannedStart,
      end: w.plannedStart + w.seconds,
      extentEnd: w.plannedStart + w.seconds,
      lowPercent: w.targetLowPercent,
      highPercent: w.targetHighPercent,
      levelPercent: level,
      window: smoothingWindow(w.seconds),
      before: EDGE_SECONDS,
      after: EDGE_SECONDS,
    });
  });
  blocks.forEach((b, i) => {
    const last = intervals[b.last] as WorkInterval;
    const hardAfter = (last.percentAfter ?? 0) >= b.levelPercent ? (last.secondsAfter ?? 0) : 0;
    b.extentEnd = b.end + hardAfter;
    const prev = blocks[i - 1];
    const next = blocks[i + 1];
    if (prev) b.before = Math.max(0, b.start - prev.extentEnd);
    if (next) b.after = Math.max(0, next.start - b.extentEnd);
  });
  return blocks;
}

/** The power stream with missing samples as 0 W, and its prefix sums. */
export interface Signal {
  power: Float64Array;
  prefix: Float64Array;
  /** Prefix counts of seconds in runs of 0 W of a minute or more. */
  idle: Int32Array;
}

export function signalOf(power: ArrayLike<number>): Signal {
  const n = power.length;
  const clean = new Float64Array(n);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = power[i] as number;
    clean[i] = Number.isFinite(v) && v > 0 ? v : 0;
    prefix[i + 1] = (prefix[i] as number) + (clean[i] as number);
  }
  // Stops with the timer running: runs of 0 W of a minute or more (coasting down a hill is shorter).
  const idle = new Int32Array(n + 1);
  let run = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && clean[i] === 0) {
      run++;
      continue;
    }
    if (run >= IDLE_SECONDS) for (let k = i - run; k < i; k++) idle[k + 1] = 1;
    run = 0;
  }
  for (let i = 1; i <= n; i++) idle[i] = (idle[i] as number) + (idle[i - 1] as number);
  return { power: clean, prefix, idle };
}

/** Seconds in [from, to) standing still with the timer running (0 W for a minute or more). */
export function idleSeconds(signal: Signal, from: number, to: number): number {
  return to > from ? (signal.idle[to] as number) - (signal.idle[from] as number) : 0;
}

/** Mean power over [from, to), clamped to the stream; 0 when empty. */
export function meanPower(signal: Signal, from: number, to: number): number {
  const a = Math.max(0, Math.min(from, signal.power.length));
  const b = Math.max(a, Math.min(to, signal.power.length));
  return b > a ? ((signal.prefix[b] as number) - (signal.prefix[a] as number)) / (b - a) : 0;
}

/** Stretches [start, end) where the centred `window`-second mean stays at or above `level` watts. */
export function detectEfforts(signal: Signal, level: number, window: number): { start: number; end: number }[] {
  const n = signal.power.length;
  const half = Math.floor(window / 2);
  const out: { start: number; end: number }[] = [];
  let start = -1;
  for (let k = 0; k <= n; k++) {
    const above = k < n && meanPower(signal, k - half, k - half + window) >= level;
    if (above && start < 0) start = k;
    else if (!above && start >= 0) {
      if (k - start >= 2) out.push({ start, end: k });
      start = -1;
    }
  }
  return out;
}

/** How well a stretch fits a block: 1 is a perfect fit, ≤ 0 none. */
function fitScore(block: Block, signal: Signal, ftp: number, start: number, end: number): number {
  const planned = block.extentEnd - block.start;
  const inside = meanPower(signal, start, end);
  const percent = (inside / ftp) * 100;
  const ratio = Math.log2((end - start) / planned);
  const durationMiss = ratio > 0 ? Math.max(0, ratio - LONGER_SLACK) : Math.max(0, -ratio - DURATION_SLACK);
  let intensityMiss = 0;
  if (percent < block.lowPercent) intensityMiss = (block.lowPercent - percent) / (0.25 * block.lowPercent);
  else if (percent > block.highPercent) intensityMiss = (percent - block.highPercent) / (0.5 * block.highPercent);
  // An edge inside a longer effort (as hard just beyond it): not where the interval began or ended.
  const low = (block.lowPercent * ftp) / 100;
  const open = Math.max(low, (low + inside) / 2);
  const before = Math.max(5, Math.min(EDGE_LOOK, block.before));
  const after = Math.max(5, Math.min(EDGE_LOOK, block.after));
  const openEdges = Number(meanPower(signal, start - before, start) >= open) + Number(meanPower(signal, end, end + after) >= open);
  return 1 - 0.6 * durationMiss - 0.6 * intensityMiss - OPEN_EDGE_COST * openEdges;
}

/** The block's candidates (see the module's header), the 60 best, in time order. */
export function candidatesFor(block: Block, efforts: readonly { start: number; end: number }[], signal: Signal, ftp: number): Candidate[] {
  const planned = block.extentEnd - block.start;
  const maxDip = Math.max(15, Math.min(90, 0.25 * planned));
  const out: Candidate[] = [];
  for (let i = 0; i < efforts.length; i++) {
    const first = efforts[i] as { start: number; end: number };
    for (let j = i; j < efforts.length && j < i + MAX_RUN; j++) {
      const last = efforts[j] as { start: number; end: number };
      if (j > i && last.start - (efforts[j - 1] as { end: number }).end > maxDip) break;
      if (last.end - first.start > 2.5 * planned) break;
      const stretches = [{ start: first.start, end: last.end }];
      // An effort run together with a hard warm-up or cool-down: its planned length at either end too.
      if (last.end - first.start > LONG_SHARE * planned)
        stretches.push({ start: last.end - planned, end: last.end }, { start: first.start, end: first.start + planned });
      for (const { start, end } of stretches) {
        const score = fitScore(block, signal, ftp, start, end);
        if (score > MIN_SCORE) out.push({ start, end, score });
      }
    }
  }
  out.sort((a, b) => b.score - a.score || a.start - b.start);
  return out.slice(0, MAX_CANDIDATES).sort((a, b) => a.start - b.start || a.end - b.end);
}
