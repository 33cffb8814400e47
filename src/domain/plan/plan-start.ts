/**
 * Where the athlete is when the plan starts, which shapes its first days (see generate-plan.ts):
 * back from a long break (a return block) or deeply fatigued (easy days until form recovers).
 */
import { daysBetween } from '../calendar.js';
import type { PlanRules } from './periodization.js';
import { predictedPmc } from './predicted-pmc.js';
import type { CurrentFitness, PlanInput, PlanWeek } from './types.js';

/** A plan starting more than this many days after the latest ride opens with a return block. */
export const RETURN_BLOCK_AFTER_DAYS = 28;
/** Form (TSB) below which a plan opens with easy days... */
export const FATIGUED_TSB = -25;
/** ...until the predicted TSB is above this. */
export const RECOVERED_TSB = -10;

export interface PlanStart {
  /** The latest ride's date, when known. */
  lastRide: string | null;
  /** Days from the latest ride to the plan's start (0 when unknown). */
  daysOff: number;
  /** The first week is a return block: a recovery-phase week of easy rides only. */
  returnBlock: boolean;
  /** Form (TSB = CTL − ATL) at the start. */
  startTsb: number;
  /** Form is below FATIGUED_TSB (and no return block): easy days until it recovers. */
  fatigued: boolean;
}

export function planStart(input: PlanInput, rules: PlanRules): PlanStart {
  const lastRide = input.fitness.lastRideDate ?? null;
  const daysOff = lastRide === null ? 0 : daysBetween(lastRide, rules.startDate);
  const returnBlock = daysOff > RETURN_BLOCK_AFTER_DAYS;
  const startTsb = input.fitness.ctl - (input.fitness.atl ?? input.fitness.ctl);
  return { lastRide, daysOff, returnBlock, startTsb, fatigued: !returnBlock && startTsb < FATIGUED_TSB };
}

/**
 * The first plan day whose predicted form (TSB going into the day, from the plan's own daily TSS)
 * is above RECOVERED_TSB; null when no day of `weeks` gets there.
 */
export function recoveryDay(weeks: readonly PlanWeek[], fitness: CurrentFitness): string | null {
  return predictedPmc({ weeks: [...weeks] }, fitness).find((d) => d.tsb > RECOVERED_TSB)?.date ?? null;
}
