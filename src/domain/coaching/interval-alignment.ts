/**
 * Which stretch of a ride executed each planned work interval, and how it was ridden.
 *
 * `power` is the stored 1 Hz stream: one sample per second of moving time (timer stops are cut
 * out, short recording gaps interpolated, longer dropouts NaN — read here as 0 W), so an index is a
 * second of riding and a pause leaves no gap to explain, only the braking before it.
 *
 * The method, in three steps:
 * 1. Effort detection (effort-detection.ts): the planned intervals become blocks (over-unders are
 *    one effort), and for each block the ride's efforts above its detection level are found with a
 *    centred rolling mean, then scored on duration and intensity against the block.
 * 2. Sequence alignment by dynamic programming (an edit distance over blocks and candidates): the
 *    blocks, in plan order, are matched to non-overlapping candidates in time order, maximising
 *    the sum of the candidates' scores less a timing cost for each pair of consecutive matches —
 *    up to 0.8 when the time between them differs from the plan's (start to start or end to end,
 *    whichever agrees better) by twice max(30 s, 15 % of the planned time); runs of 0 W of a minute
 *    or more between them, a stop with the timer running, do not count as late — and a
 *    tie-breaking 0.1 × (start / ride length). A block left out is a skipped interval (no cost: a
 *    late start, a skipped repeat); an effort left out is an extra one (an extra repeat, a hill, a
 *    sprint for a sign). The first match may be anywhere; of equally good chains the earliest wins
 *    (an extra repeat at the end is the one left out).
 * 3. Boundary refinement (an offset search): within ± max(5 s, min(120 s, 25 % of the planned
 *    time)) of each matched candidate's edges (the end up to 130 % of the planned time; never into
 *    the neighbouring matches), the start, then the end, then both together (± 20 s) are moved to
 *    maximise Σ (power − midpoint) over the window, each second's power capped at the effort's
 *    mean (a sprint next to an interval does not pull an edge to it), the midpoint lying between
 *    the effort's mean and the mean of the riding around it (at most 60 s each side), less a length
 *    prior: each second beyond the planned length costs 0.5, each second short of it 0.1 of the
 *    contrast (effort mean − mean around). So an edge moves to where power crosses the midpoint,
 *    but riding near the target next to an interval (a warm-up up a hill) does not stretch it.
 *    Twice, the second time from the first's levels; not at all when the contrast is under 8 % of
 *    the effort's mean. Intervals within a block are placed at their planned offsets from its start.
 * The average is taken over exactly the found window (a 10 s sprint over its 10 s) and rounded to
 * the watt. Verdict: `missed` when not found, `short` when held for less than 80 % of the planned
 * seconds, else `under`, `hit` or `over` against the target range in whole watts.
 */
import { round } from '../numbers.js';
import type { IntervalResult } from './types.js';
import type { WorkInterval } from './work-intervals.js';
import {
  candidatesFor,
  detectEfforts,
  idleSeconds,
  meanPower,
  planBlocks,
  signalOf,
  type Block,
  type Candidate,
  type Signal,
} from './effort-detection.js';

/** Held for less than this share of the planned seconds: `short`. */
const SHORT_SHARE = 0.8;
const TIMING_COST = 0.8;
const EARLY_PREFERENCE = 0.1;
const OVERLAP_SECONDS = 5;

/** The (block, candidate) pairs of the dynamic programme, as parallel arrays (it runs over thousands of pairs). */
interface Nodes {
  block: Int32Array;
  candidate: Candidate[];
  best: Float64Array;
  prev: Int32Array;
  count: number;
}

/** How far `actual` misses `planned`, s; seconds standing still (`idle`) do not count as late. */
function lateness(actual: number, planned: number, idle: number): number {
  return actual > planned ? Math.max(0, actual - planned - idle) : planned - actual;
}

/** The timing cost of `c` for block `cur` right after `pc` for block `pb`. */
function timingCost(signal: Signal, pb: Block, pc: Candidate, cur: Block, c: Candidate): number {
  const plannedStart = cur.start - pb.start;
  const idle = idleSeconds(signal, pc.end, c.start);
  const miss = Math.min(lateness(c.start - pc.start, plannedStart, idle), lateness(c.end - pc.end, cur.extentEnd - pb.extentEnd, idle));
  return TIMING_COST * Math.min(1, miss / (2 * Math.max(30, 0.15 * plannedStart)));
}

/** The best value of a chain ending with block `b` matched to `c`, and the node before it (−1: none). */
function bestBefore(nodes: Nodes, blocks: readonly Block[], signal: Signal, b: number, c: Candidate): { best: number; prev: number } {
  const cur = blocks[b] as Block;
  let best = 0;
  let prev = -1;
  for (let i = 0; i < nodes.count; i++) {
    const chain = nodes.best[i] as number;
    if (chain <= best) continue; // the timing cost only lowers it
    const pc = nodes.candidate[i] as Candidate;
    if (pc.start >= c.start || pc.end > c.start + OVERLAP_SECONDS) continue;
    const value = chain - timingCost(signal, blocks[nodes.block[i] as number] as Block, pc, cur, c);
    if (value > best) {
      best = value;
      prev = i;
    }
  }
  return { best, prev };
}

/** Step 2: the best chain of (block, candidate) matches; the candidate of each block, or null. */
function alignBlocks(blocks: readonly Block[], candidates: readonly Candidate[][], signal: Signal): (Candidate | null)[] {
  const n = signal.power.length;
  const total = candidates.reduce((sum, list) => sum + list.length, 0);
  const nodes: Nodes = {
    block: new Int32Array(total),
    candidate: [],
    best: new Float64Array(total),
    prev: new Int32Array(total),
    count: 0,
  };
  blocks.forEach((_, b) => {
    const list = candidates[b] ?? [];
    const found = list.map((c) => bestBefore(nodes, blocks, signal, b, c));
    list.forEach((c, k) => {
      const i = nodes.count++;
      nodes.block[i] = b;
      nodes.candidate[i] = c;
      nodes.best[i] = (found[k] as { best: number }).best + c.score - EARLY_PREFERENCE * (c.start / Math.max(1, n));
      nodes.prev[i] = (found[k] as { prev: number }).prev;
    });
  });
  const matched: (Candidate | null)[] = blocks.map(() => null);
  let at = -1;
  for (let i = 0; i < nodes.count; i++)
    if ((nodes.best[i] as number) > 0 && (at < 0 || (nodes.best[i] as number) > (nodes.best[at] as number))) at = i;
  while (at >= 0) {
    matched[nodes.block[at] as number] = nodes.candidate[at] as Candidate;
    at = nodes.prev[at] as number;
  }
  return matched;
}

/** Seconds beyond the planned length cost this share of the effort's contrast each; seconds short of it, the other. */
const LONGER_COST = 0.5;
const SHORTER_COST = 0.1;
/** How far the final joint search moves both edges, s. */
const POLISH_SECONDS = 20;
/** Below this share of the effort's mean, the effort does not stand out from the riding around it. */
const MIN_CONTRAST = 0.08;

/** The stretch being refined: cumulative sums of (min(power, effort mean) − midpoint) from `from`, and the length prior. */
interface Fit {
  from: number;
  sums: Float64Array;
  /** Effort mean − mean around, W. */
  contrast: number;
  planned: number;
}

/**
 * The fit over [from, to): cumulative sums of power − mid over the region, each second's power
 * capped at the effort's mean, so that a spike next to the interval (a sprint for a sign) does not
 * drag an edge over to it.
 */
function fitOver(signal: Signal, from: number, to: number, inside: number, around: number, planned: number): Fit {
  const mid = (inside + around) / 2;
  const sums = new Float64Array(to - from + 1);
  for (let k = from; k < to; k++) sums[k - from + 1] = (sums[k - from] as number) + Math.min(signal.power[k] as number, inside) - mid;
  return { from, sums, contrast: inside - around, planned };
}

/** Σ (capped power − mid) over [start, end), less the length prior. */
function fitValue(fit: Fit, start: number, end: number): number {
  const length = end - start;
  const prior = length > fit.planned ? LONGER_COST * (length - fit.planned) : SHORTER_COST * (fit.planned - length);
  return (fit.sums[end - fit.from] as number) - (fit.sums[start - fit.from] as number) - prior * fit.contrast;
}

/** The start in [from, to] that fits best with `end` fixed (the earliest of equals). */
function bestStart(fit: Fit, from: number, to: number, end: number): number {
  let at = from;
  let best = -Infinity;
  for (let k = from; k <= Math.min(to, end - 1); k++) {
    const value = fitValue(fit, k, end);
    if (value > best) {
      best = value;
      at = k;
    }
  }
  return at;
}

/** The end in [from, to] that fits best with `start` fixed (the latest of equals). */
function bestEnd(fit: Fit, start: number, from: number, to: number): number {
  let at = to;
  let best = -Infinity;
  for (let k = to; k >= Math.max(from, start + 1); k--) {
    const value = fitValue(fit, start, k);
    if (value > best) {
      best = value;
      at = k;
    }
  }
  return at;
}

/** The best window with both edges within `r` of the given ones, inside the fit's region: moving one edge alone can stall. */
function polish(fit: Fit, start: number, end: number, r: number): { start: number; end: number } {
  const last = fit.from + fit.sums.length - 1;
  let best = { start, end };
  let value = fitValue(fit, start, end);
  for (let s = Math.max(fit.from, start - r); s <= Math.min(last - 1, start + r); s++) {
    for (let e = Math.max(s + 1, end - r); e <= Math.min(last, end + r); e++) {
      const v = fitValue(fit, s, e);
      if (v > value) {
        value = v;
        best = { start: s, end: e };
      }
    }
  }
  return best;
}

/** Step 3: the candidate's edges moved to the change points, within [lo, hi]. */
function refine(
  signal: Signal,
  block: Block,
  found: { start: number; end: number },
  lo: number,
  hi: number,
): { start: number; end: number } {
  const planned = block.extentEnd - block.start;
  const reach = Math.max(5, Math.min(120, Math.round(0.25 * planned)));
  const before = Math.max(5, Math.min(60, block.before));
  const after = Math.max(5, Math.min(60, block.after));
  let { start, end } = found;
  for (let pass = 0; pass < 2; pass++) {
    const inside = meanPower(signal, start, end);
    const around = (meanPower(signal, start - before, start) * before + meanPower(signal, end, end + after) * after) / (before + after);
    if (inside - around < MIN_CONTRAST * inside) break; // no edge to find: keep the window as it is
    const half = Math.floor((end - start) / 2);
    const from = Math.max(lo, start - reach);
    const to = Math.max(end, Math.min(hi, signal.power.length, Math.max(end + reach, start + Math.round(1.3 * planned))));
    const fit = fitOver(signal, from, to, inside, around, planned);
    start = bestStart(fit, from, start + half, end);
    end = bestEnd(fit, start, end - half, to);
    ({ start, end } = polish(fit, start, end, Math.min(reach, POLISH_SECONDS)));
  }
  return { start, end };
}

function missed(w: WorkInterval, ftp: number): IntervalResult {
  return {
    index: w.index,
    percentFtp: w.percentFtp,
    targetLowPercent: w.targetLowPercent,
    targetHighPercent: w.targetHighPercent,
    targetLow: Math.round((w.targetLowPercent * ftp) / 100),
    targetHigh: Math.round((w.targetHighPercent * ftp) / 100),
    plannedSeconds: w.seconds,
    startSeconds: null,
    seconds: 0,
    avgPower: null,
    avgPercentFtp: null,
    verdict: 'missed',
  };
}

/** The result of an interval found at [start, start + seconds). */
function judged(w: WorkInterval, ftp: number, signal: Signal, start: number, seconds: number): IntervalResult {
  const base = missed(w, ftp);
  if (seconds <= 0) return base;
  const avgPower = round(meanPower(signal, start, start + seconds));
  let verdict: IntervalResult['verdict'] = 'hit';
  if (seconds < SHORT_SHARE * w.seconds) verdict = 'short';
  else if (avgPower < base.targetLow) verdict = 'under';
  else if (avgPower > base.targetHigh) verdict = 'over';
  return { ...base, startSeconds: start, seconds, avgPower, avgPercentFtp: round((avgPower / ftp) * 100), verdict };
}

/**
 * Each planned work interval matched to the stretch of the 1 Hz power stream that executed it
 * (see the module's header for the method), with its average power and verdict at `ftp`.
 */
export function alignIntervals(power: ArrayLike<number>, intervals: readonly WorkInterval[], ftp: number): IntervalResult[] {
  if (intervals.length === 0) return [];
  if (power.length === 0 || !(ftp > 0)) return intervals.map((w) => missed(w, ftp));
  const signal = signalOf(power);
  const blocks = planBlocks(intervals);
  const efforts = new Map<string, { start: number; end: number }[]>();
  const candidates = blocks.map((block) => {
    const level = (block.levelPercent * ftp) / 100;
    const key = `${level}/${block.window}`;
    let found = efforts.get(key);
    if (!found) efforts.set(key, (found = detectEfforts(signal, level, block.window)));
    return candidatesFor(block, found, signal, ftp);
  });
  const matched = alignBlocks(blocks, candidates, signal);
  const results: IntervalResult[] = [];
  blocks.forEach((block, b) => {
    const candidate = matched[b];
    const lo = matched.slice(0, b).reduce((edge, c) => (c ? c.end : edge), 0);
    const hi = matched.slice(b + 1).find((c) => c !== null)?.start ?? signal.power.length;
    const found = candidate ? refine(signal, block, candidate, lo, hi) : null;
    for (let i = block.first; i <= block.last; i++) {
      const w = intervals[i] as WorkInterval;
      if (!found) {
        results.push(missed(w, ftp));
        continue;
      }
      const start = found.start + (w.plannedStart - block.start);
      const held = block.first === block.last && block.extentEnd === block.end ? found.end - start : Math.min(w.seconds, found.end - start);
      results.push(judged(w, ftp, signal, start, held));
    }
  });
  return results;
}
