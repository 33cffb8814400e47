/**
 * One week's selection with the fallbacks, when the first try does not fit the bands:
 * time-crunched days, then free hours, then a lowered target (see generate-plan.ts).
 */
import { roundHalfUp } from '../numbers.js';
import { HOURS_TOLERANCE } from './periodization.js';
import { selectWeek } from './select-workouts.js';
import type { WeekRequest, WeekSelection } from './week-request.js';

/** A week's selection with the targets it ends up planned for. */
export interface Filled {
  selection: WeekSelection;
  targetTss: number;
  plannedHoursTarget: number;
  /** The target had to come down to what the athlete's hours or days hold. */
  lowered: boolean;
}

/** The selection's TSS as the plan states it: each workout's TSS to 0.1, summed. */
export function selectionTss(selection: WeekSelection): number {
  return selection.days.reduce((s, w) => s + (w === null ? 0 : roundHalfUp(w.tss, 1)), 0);
}

/** Selection with the fallbacks: time-crunched days, then free hours, then a lowered target. */
export function fill(request: WeekRequest): Filled {
  const first = selectWeek(request);
  if (first.feasible) return { selection: first, targetTss: request.targetTss, plannedHoursTarget: request.targetHours, lowered: false };
  const [low, high] = request.tssBand;
  // Time-crunched weeks may turn easy days into tempo or sweet spot (a recovery week one day at
  // most: its 35 % cut must still come from less load, not from going below it); taper weeks stay easy.
  const mayCrunch = first.tss < low && request.phase !== 'taper';
  const attempts: WeekSelection[] = [first];
  if (mayCrunch) attempts.push(selectWeek({ ...request, crunch: true }));
  const feasible = attempts.find((s) => s.feasible);
  if (feasible) return { selection: feasible, targetTss: request.targetTss, plannedHoursTarget: request.targetHours, lowered: false };
  // The hours target is derived from the TSS target; when the library cannot meet both, the TSS
  // target wins and the week is planned for the hours its workouts take.
  const free = [selectWeek({ ...request, ignoreHoursTarget: true, crunch: mayCrunch })];
  const inBand = free.filter((s) => s.tss >= low && s.tss <= high && s.feasible);
  if (inBand.length > 0) {
    const best = inBand.reduce((a, b) => (Math.abs(a.tss - request.targetTss) <= Math.abs(b.tss - request.targetTss) ? a : b));
    return { selection: best, targetTss: request.targetTss, plannedHoursTarget: best.minutes / 60, lowered: false };
  }
  return lowered(request, [...attempts, ...free]);
}

/** The hours (or days) cannot hold the target: take the most TSS that fits and lower the target to it. */
function lowered(request: WeekRequest, attempts: readonly WeekSelection[]): Filled {
  const high = request.tssBand[1];
  let candidates = attempts.filter((s) => s.minutes <= request.maxHours * 60 + 1e-9 && s.tss <= high);
  if (candidates.length === 0) {
    // Every attempt overshot (coarse options in a tiny week): aim lower, within the hours only.
    const low = request.tssBand[0];
    candidates = [selectWeek({ ...request, targetTss: low, tssBand: [0, high], ignoreHoursTarget: true })].filter((s) => s.tss <= high);
  }
  const best = candidates.length > 0 ? candidates.reduce((a, b) => (b.tss > a.tss ? b : a)) : emptySelection();
  const targetTss = Math.min(request.targetTss, Math.round(selectionTss(best)));
  const hoursTarget =
    Math.abs(best.minutes / 60 - request.targetHours) <= HOURS_TOLERANCE * request.targetHours ? request.targetHours : best.minutes / 60;
  return { selection: best, targetTss, plannedHoursTarget: hoursTarget, lowered: targetTss < request.targetTss };
}

/** A week without rides. */
export function restWeek(): Filled {
  return { selection: emptySelection(), targetTss: 0, plannedHoursTarget: 0, lowered: true };
}

function emptySelection(): WeekSelection {
  return {
    days: [null, null, null, null, null, null, null],
    roles: [null, null, null, null, null, null, null],
    tss: 0,
    minutes: 0,
    feasible: false,
  };
}
