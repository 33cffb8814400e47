/**
 * Fills one week with workouts from the library.
 *
 * 1. Days: only the athlete's training days (before the event, in the event week). With all
 *    7 days available, Monday stays a rest day. The long ride goes on Sunday, else Saturday, else
 *    the last training day.
 * 2. Hard days (threshold and above): as many as the phase asks (base 1, build and peak 2 — 3 with
 *    6 or more riding days —, taper 1, recovery 0), never two in a row, nor on Monday after a hard
 *    Sunday; among the allowed sets the most evenly spread one wins. Moderate days (tempo, sweet
 *    spot): base 2, build and peak 1. The rest are easy.
 * 3. Workout types: the hard days train the athlete's limiters first (the first hard day of the
 *    week rotates through them), then the phase's usual work; strengths come last.
 * 4. Workouts: a coordinate descent over the days picks, for each day, the library workout (or
 *    none) that brings the week's TSS and hours closest to their targets; staying inside the
 *    ±10 % bands and the athlete's hours outweighs everything else. When single changes cannot
 *    get inside the bands, a pair search changes two days at once. Small penalties keep sessions
 *    in (dropping the long ride or a hard day costs most), prefer unextended sessions and recent
 *    variety. Never: the workout ridden on the same weekday last week, the same structured session
 *    twice in a week, or a day harder than its role (a day may be made easier, only to fit a
 *    small target).
 * 5. Time-crunched weeks (the caller's fallback): easy days become tempo / sweet spot days (one
 *    day in a recovery week, none in a taper).
 * 6. Days the caller marks easy (`easyDays`: a return block, or the first days while form is
 *    deep in the red) hold only easy rides (recovery, endurance; the long ride stays): no hard or
 *    moderate role, and no crunch, lands on them.
 */
import { assignRoles } from './day-roles.js';
import type { Workout } from './types.js';
import type { DayRole, WeekRequest, WeekSelection } from './week-request.js';
import { extensionHours, MIN_LONG_MINUTES, weekCandidates, type Candidate } from './workout-candidates.js';
import { WORKOUT_LIBRARY } from './workout-library.js';

const INFEASIBLE_WEIGHT = 1000;
const PAIR_SEARCH_MISS = 0.2;

/** The week's targets, and the bands the selection must stay inside (with inner margins). */
interface Targets {
  tss: number;
  minutes: number;
  /** 0 when the hours target is ignored. */
  hoursWeight: number;
  tLow: number;
  tHigh: number;
  mLow: number;
  mHigh: number;
}

function targetsOf(request: WeekRequest): Targets {
  const [tssLow, tssHigh] = request.tssBand;
  const T = Math.max(request.targetTss, 1);
  const maxMinutes = request.maxHours * 60;
  const targetMinutes = Math.max(request.targetHours * 60, 1);
  const hoursLow = request.ignoreHoursTarget ? 0 : targetMinutes * 0.9;
  const hoursHigh = request.ignoreHoursTarget ? maxMinutes : Math.min(targetMinutes * 1.1, maxMinutes);
  // Inner margins so that rounding the reported numbers never crosses a band edge.
  return {
    tss: T,
    minutes: targetMinutes,
    hoursWeight: request.ignoreHoursTarget ? 0 : 1,
    tLow: tssLow + 0.005 * T,
    tHigh: tssHigh - 0.005 * T,
    mLow: hoursLow > 0 ? hoursLow + 0.005 * targetMinutes : 0,
    mHigh: hoursHigh - 0.005 * targetMinutes,
  };
}

/** Start: the first candidate of structured days, a natural long ride, an hour on easy days. */
function startingChoice(candidates: readonly Candidate[][], roles: readonly DayRole[], targetMinutes: number): number[] {
  const longMinutes = Math.max(MIN_LONG_MINUTES, Math.min(240, targetMinutes * 0.3));
  const started = new Set<number>();
  return candidates.map((list, i) => {
    const role = roles[i]!;
    if (role === 'long' || role === 'easy') {
      const want = role === 'long' ? longMinutes : 60;
      let best = 0;
      list.forEach((c, j) => {
        if (c.workout && Math.abs(c.minutes - want) < Math.abs(list[best]!.minutes - want)) best = j;
      });
      return best;
    }
    const unextended = list.findIndex((c) => c.workout !== null && extensionHours(c.workout) === 0 && !started.has(c.structured));
    const j = unextended >= 0 ? unextended : list.length - 1;
    started.add(list[j]!.structured);
    return j;
  });
}

/**
 * The search over the days' options: `choice[i]` is the option chosen for day slot i, with the
 * week's running TSS, minutes and penalties, and how many days hold each structured workout (the
 * start may repeat one, the search never adds a repeat).
 */
class WeekSearch {
  tss = 0;
  minutes = 0;
  private penalties = 0;
  private readonly uses = new Int32Array(WORKOUT_LIBRARY.length);
  /** Per slot, its options' indices sorted by TSS (for the pair search; made on first use). */
  private byTss: number[][] | null = null;

  constructor(
    readonly candidates: readonly Candidate[][],
    private readonly targets: Targets,
    readonly choice: number[],
  ) {
    choice.forEach((j, i) => {
      const c = candidates[i]![j]!;
      this.tss += c.tss;
      this.minutes += c.minutes;
      this.penalties += c.penalty;
      if (c.structured >= 0) this.uses[c.structured]!++;
    });
  }

  /** How far a week of `t` TSS and `m` minutes lies outside the bands, relative to the targets (0: inside). */
  private outsideAt(t: number, m: number): number {
    const { tss: T, minutes: targetMinutes, tLow, tHigh, mLow, mHigh } = this.targets;
    return (Math.max(0, tLow - t) + Math.max(0, t - tHigh)) / T + (Math.max(0, mLow - m) + Math.max(0, m - mHigh)) / targetMinutes;
  }

  outside(): number {
    return this.outsideAt(this.tss, this.minutes);
  }

  private cost(t: number, m: number, penalty: number): number {
    const { tss: T, minutes: targetMinutes, hoursWeight } = this.targets;
    const eT = (t - T) / T;
    const eH = (hoursWeight * (m - targetMinutes)) / targetMinutes;
    return INFEASIBLE_WEIGHT * this.outsideAt(t, m) + eT * eT + eH * eH + penalty;
  }

  private chosen(i: number): Candidate {
    return this.candidates[i]![this.choice[i]!]!;
  }

  private apply(i: number, j: number): void {
    const current = this.chosen(i);
    const next = this.candidates[i]![j]!;
    if (current.structured >= 0) this.uses[current.structured]!--;
    if (next.structured >= 0) this.uses[next.structured]!++;
    this.choice[i] = j;
    this.tss += next.tss - current.tss;
    this.minutes += next.minutes - current.minutes;
    this.penalties += next.penalty - current.penalty;
  }

  /** Whether option c may go on day i: the same structured session twice in a week is not an option. */
  private allowed(i: number, c: Candidate, alsoLeaving = -1): boolean {
    if (c.structured < 0) return true;
    const current = this.chosen(i);
    const leaving = alsoLeaving >= 0 ? this.chosen(alsoLeaving) : null;
    return (
      this.uses[c.structured]! -
        (c.structured === current.structured ? 1 : 0) -
        (leaving !== null && c.structured === leaving.structured ? 1 : 0) <=
      0
    );
  }

  /** Coordinate descent: each day in turn takes its best option given the others, until none moves. */
  descend(): void {
    for (let pass = 0; pass < 12; pass++) {
      let changed = false;
      for (let i = 0; i < this.candidates.length; i++) {
        const bestJ = this.bestOption(i);
        if (bestJ !== this.choice[i]) {
          this.apply(i, bestJ);
          changed = true;
        }
      }
      if (!changed) break;
    }
  }

  private bestOption(i: number): number {
    const list = this.candidates[i]!;
    const current = this.chosen(i);
    const baseTss = this.tss - current.tss;
    const baseMinutes = this.minutes - current.minutes;
    const basePenalty = this.penalties - current.penalty;
    let bestJ = this.choice[i]!;
    let bestCost = this.cost(this.tss, this.minutes, this.penalties);
    for (let j = 0; j < list.length; j++) {
      if (j === this.choice[i]) continue;
      const c = list[j]!;
      if (!this.allowed(i, c)) continue;
      const cost = this.cost(baseTss + c.tss, baseMinutes + c.minutes, basePenalty + c.penalty);
      if (cost < bestCost - 1e-12) {
        bestCost = cost;
        bestJ = j;
      }
    }
    return bestJ;
  }

  /**
   * A miss may need two days to change at once (one ride longer, another shorter): the best change
   * of two days that lands the week inside both bands is applied; false when there is none.
   */
  changePair(): boolean {
    this.byTss ??= this.candidates.map((list) => list.map((_, j) => j).sort((x, y) => list[x]!.tss - list[y]!.tss));
    const best: PairChange = { cost: Infinity, move: null };
    for (let i = 0; i < this.candidates.length; i++) {
      for (let k = i + 1; k < this.candidates.length; k++) this.bestPairOf(i, k, this.byTss[k]!, best);
    }
    if (best.move === null) return false;
    const [i, a, k, b] = best.move;
    this.apply(i, a);
    this.apply(k, b);
    return true;
  }

  /**
   * For every option a of day i, only the options b of day k whose TSS lands the week inside the
   * band are looked at (binary search in `order`, k's options by TSS), and only combinations
   * inside both bands count.
   */
  private bestPairOf(i: number, k: number, order: readonly number[], best: PairChange): void {
    const { tLow, tHigh, mLow, mHigh } = this.targets;
    const ci = this.chosen(i);
    const ck = this.chosen(k);
    const listK = this.candidates[k]!;
    const baseTss = this.tss - ci.tss - ck.tss;
    const baseMinutes = this.minutes - ci.minutes - ck.minutes;
    const basePenalty = this.penalties - ci.penalty - ck.penalty;
    for (let a = 0; a < this.candidates[i]!.length; a++) {
      const ca = this.candidates[i]![a]!;
      if (!this.allowed(i, ca, k)) continue;
      const lo = tLow - baseTss - ca.tss;
      const hi = tHigh - baseTss - ca.tss;
      for (let p = firstAtLeast(order, (j) => listK[j]!.tss, lo); p < order.length; p++) {
        const b = order[p]!;
        const cb = listK[b]!;
        if (cb.tss > hi) break;
        const m = baseMinutes + ca.minutes + cb.minutes;
        if (m < mLow || m > mHigh) continue;
        if ((cb.structured >= 0 && cb.structured === ca.structured) || !this.allowed(k, cb, i)) continue;
        const cost = this.cost(baseTss + ca.tss + cb.tss, m, basePenalty + ca.penalty + cb.penalty);
        if (cost < best.cost) {
          best.cost = cost;
          best.move = [i, a, k, b];
        }
      }
    }
  }
}

/** The best two-day change found so far: slot i to option a, slot k to option b. */
interface PairChange {
  cost: number;
  move: [i: number, a: number, k: number, b: number] | null;
}

/** The first position in `order` whose value is at least `min` (values ascending along `order`). */
function firstAtLeast(order: readonly number[], value: (j: number) => number, min: number): number {
  let from = 0;
  let to = order.length;
  while (from < to) {
    const mid = (from + to) >> 1;
    if (value(order[mid]!) < min) from = mid + 1;
    else to = mid;
  }
  return from;
}

/** Picks the week's workouts; see the module comment. */
export function selectWeek(request: WeekRequest): WeekSelection {
  const roles = assignRoles(request);
  const slotDays: number[] = [];
  roles.forEach((r, d) => {
    if (r !== null) slotDays.push(d);
  });
  const candidates = weekCandidates(request, roles, slotDays);
  const targets = targetsOf(request);
  const start = startingChoice(
    candidates,
    slotDays.map((d) => roles[d]!),
    targets.minutes,
  );
  const search = new WeekSearch(candidates, targets, start);
  search.descend();
  // Far misses (more than PAIR_SEARCH_MISS outside the bands) are the hours' limit, not the search's.
  for (let round = 0; round < 3 && search.outside() > 0 && search.outside() <= PAIR_SEARCH_MISS; round++) {
    if (!search.changePair()) break;
    search.descend();
  }
  const days: (Workout | null)[] = [null, null, null, null, null, null, null];
  search.choice.forEach((j, i) => (days[slotDays[i]!] = candidates[i]![j]!.workout));
  const finalRoles = roles.map((r, d) => (days[d] === null ? null : r));
  return { days, roles: finalRoles, tss: search.tss, minutes: search.minutes, feasible: search.outside() === 0 };
}
