/**
 * Periodization and load rules, shared by the generator and the validator so that both apply the
 * same numbers.
 *
 * Weeks and phases
 * - With an event, the plan runs from the start Monday to the week holding the event (which must
 *   be week 4–24); without one it runs `planWeeks` weeks. With several events (plan-events.ts) it
 *   runs to the last A event in weeks 4–24, and the phases below apply to the block before the
 *   first A event; plan-events.ts lays out the weeks after it.
 * - Taper (event only): the last 2 weeks when the plan has 10 or more weeks, else the last week;
 *   the taper ends on the event week. Without an event there is no taper: nothing to be fresh for.
 * - Recovery weeks: every 4th week (3 load weeks : 1 easy), every 3rd for athletes aged 50 and
 *   over. Before a taper, a recovery week never directly precedes the taper; if the rhythm would put
 *   one there (or leave 4 load weeks in a row) it moves one week earlier. So no more than
 *   3 load weeks ever follow each other.
 * - Peak (event only): the last 2 load weeks before the taper when the plan has 12 or more weeks,
 *   else the last one. The other load weeks split into base (first half, rounded up) then build.
 *
 * Load
 * - Ramp: load week number j (1-based count of load weeks so far) targets
 *   weekly TSS = 7 × (rampBase + cap × j), where rampBase = max(current CTL, 15) (below ~2 h of easy
 *   riding a week is not a plan) and cap = 5 CTL/week, or 3 when current CTL < 30. Weekly TSS ≈ 7 ×
 *   CTL is the load a CTL holds steady, so this is the CTL the week would sustain, rising by at
 *   most `cap` per week. The validator checks every week k against 7 × (rampBase + cap × k).
 * - Rolling ramp: the CTL predicted from the planned daily TSS (the 42-day PMC from the current CTL)
 *   may rise by at most `cap` over any 7 consecutive days, not only per calendar week (a heavy
 *   weekend followed by a heavy Tuesday and Thursday can break it while each week is within its
 *   target). The generator lowers a week's target until it holds (and says so in the week's notes);
 *   when a recovery week could only hold it by being more than 50 % lighter than the load week
 *   before, that load week is planned again 10 % lighter.
 * - Recovery week: 65 % of the previous week's target (35 % lower). The validator requires at least
 *   30 % less than the previous week (target and planned) and at most 50 % less: 30–40 % is the
 *   design, and a recovery week lowered further by tight hours (with a note) is still a recovery.
 * - Taper: 2 weeks at 75 % then 50 % of the last load week, or 1 week at 60 %.
 * - Hours: a week is planned for targetTss / density(phase) hours, capped by the athlete's weekly
 *   hours; density (TSS per hour) is 50 in base, 54 in build, 55 in peak, 50 in taper, 43 in recovery
 *   (endurance riding is about 45 TSS/h, structured sessions 55–75).
 */
import { addDays, daysBetween, isDate, WEEKDAYS, weekdayOf } from '../calendar.js';
import type { PlanInput, Phase } from './types.js';

export const MIN_PLAN_WEEKS = 4;
export const MAX_PLAN_WEEKS = 24;
/** CTL below which the ramp cap is lower. */
export const LOW_FITNESS_CTL = 30;
export const RAMP_CAP = 5;
export const LOW_FITNESS_RAMP_CAP = 3;
/** The ramp starts from at least this CTL. */
export const MIN_RAMP_BASE_CTL = 15;
/** Age from which recovery comes every 3rd week. */
export const MASTERS_AGE = 50;
export const RECOVERY_FACTOR = 0.65;
/** Lowest recovery target the validator accepts, as a fraction of the previous week's. */
export const RECOVERY_MIN_FACTOR = 0.5;
export const RECOVERY_MAX_FACTOR = 0.7;
/** Most load weeks in a row. */
export const MAX_LOAD_WEEKS_IN_A_ROW = 3;
export const TSS_TOLERANCE = 0.1;
export const HOURS_TOLERANCE = 0.1;
export const MAX_HARD_DAYS = 3;

export const PHASE_DENSITY: Readonly<Record<Phase, number>> = { base: 50, build: 54, peak: 55, taper: 50, recovery: 43 };

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date: string): number {
  return WEEKDAYS.indexOf(weekdayOf(date));
}

/** The date itself when it is a Monday, else the next Monday. */
export function snapToMonday(date: string): string {
  const index = weekdayIndex(date);
  return index === 0 ? date : addDays(date, 7 - index);
}

/** An event within the plan, with the plan week that holds it. */
export interface PlanEvent {
  date: string;
  priority: 'A' | 'B' | 'C';
  /** Empty for the input's `eventDate`. */
  name: string;
  week: number;
}

export interface PlanRules {
  startDate: string;
  weeks: number;
  /** The last A event: the plan ends with its week. */
  eventDate: string | null;
  /** Every event the plan holds (the final A event included), in date order. */
  events: readonly PlanEvent[];
  rampBase: number;
  rampCap: number;
  /** A recovery week every `recoveryEvery` weeks. */
  recoveryEvery: number;
}

/** 1-based week of the plan that holds `date`. */
export function weekOfDate(startMonday: string, date: string): number {
  return Math.floor(daysBetween(startMonday, date) / 7) + 1;
}

const PRIORITY_RANK: Readonly<Record<PlanEvent['priority'], number>> = { A: 0, B: 1, C: 2 };
const isPriority = (p: unknown): p is PlanEvent['priority'] => p === 'A' || p === 'B' || p === 'C';

/**
 * The input's events (`eventDate` as one more, unnamed A event) from the start Monday to week
 * MAX_PLAN_WEEKS, one per date (the highest priority, a named one before the unnamed), in date
 * order; `eventDate` is always kept (checkPlanInput bounds it).
 */
function inputEvents(input: PlanInput, startDate: string): PlanEvent[] {
  const byDate = new Map<string, PlanEvent>();
  const given = (input.events ?? []).filter((e) => isDate(e?.date) && isPriority(e.priority));
  const withWeeks = given
    .map((e): PlanEvent => ({ date: e.date, priority: e.priority, name: typeof e.name === 'string' ? e.name.trim() : '', week: 0 }))
    .map((e) => ({ ...e, week: weekOfDate(startDate, e.date) }))
    .filter((e) => e.date >= startDate && e.week <= MAX_PLAN_WEEKS);
  const eventDate = input.eventDate ?? null;
  if (eventDate !== null) withWeeks.push({ date: eventDate, priority: 'A', name: '', week: weekOfDate(startDate, eventDate) });
  for (const e of withWeeks) {
    const kept = byDate.get(e.date);
    if (!kept || PRIORITY_RANK[e.priority] < PRIORITY_RANK[kept.priority] || (e.priority === kept.priority && kept.name === ''))
      byDate.set(e.date, e);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The last A event the plan can end with: `eventDate`, or an A event in weeks MIN_PLAN_WEEKS–MAX_PLAN_WEEKS. */
function finalEvent(events: readonly PlanEvent[], eventDate: string | null): PlanEvent | null {
  const last = events.filter((e) => e.priority === 'A' && (e.date === eventDate || e.week >= MIN_PLAN_WEEKS)).at(-1);
  return last ?? null;
}

/** The date of the A event the plan ends with, null when it runs `planWeeks` weeks. */
export function finalEventDate(input: PlanInput): string | null {
  const startDate = snapToMonday(input.startDate);
  return finalEvent(inputEvents(input, startDate), input.eventDate ?? null)?.date ?? null;
}

export function planRules(input: PlanInput): PlanRules {
  const startDate = snapToMonday(input.startDate);
  const all = inputEvents(input, startDate);
  const final = finalEvent(all, input.eventDate ?? null);
  const eventDate = final?.date ?? null;
  const weeks = final === null ? input.planWeeks : final.week;
  const lastDay = eventDate ?? addDays(startDate, 7 * weeks - 1);
  const ctl = Math.max(0, input.fitness.ctl);
  return {
    startDate,
    weeks,
    eventDate,
    events: all.filter((e) => e.date <= lastDay),
    rampBase: Math.max(ctl, MIN_RAMP_BASE_CTL),
    rampCap: ctl < LOW_FITNESS_CTL ? LOW_FITNESS_RAMP_CAP : RAMP_CAP,
    recoveryEvery: (input.age ?? 0) >= MASTERS_AGE ? 3 : 4,
  };
}

/** Highest target TSS week `week` (1-based) may have: 7 × (rampBase + cap × week). */
export function rampCeiling(rules: PlanRules, week: number): number {
  return 7 * (rules.rampBase + rules.rampCap * week);
}

/** The phase of every week, in order. */
export function phaseSequence(weeks: number, hasEvent: boolean, recoveryEvery: number): Phase[] {
  const taper = hasEvent ? (weeks >= 10 ? 2 : 1) : 0;
  const beforeTaper = weeks - taper;
  const recovery = new Set<number>();
  for (let w = recoveryEvery; w <= beforeTaper; w += recoveryEvery) {
    if (!hasEvent || w < beforeTaper) recovery.add(w);
  }
  if (hasEvent) {
    const last = Math.max(0, ...recovery);
    if (beforeTaper - last > MAX_LOAD_WEEKS_IN_A_ROW && beforeTaper - 1 > last + 1) recovery.add(beforeTaper - 1);
  }
  const loadWeeks: number[] = [];
  for (let w = 1; w <= beforeTaper; w++) if (!recovery.has(w)) loadWeeks.push(w);
  const peak = hasEvent ? Math.min(weeks >= 12 ? 2 : 1, loadWeeks.length) : 0;
  const early = loadWeeks.slice(0, loadWeeks.length - peak);
  const baseCount = Math.ceil(early.length / 2);
  const phases: Phase[] = [];
  for (let w = 1; w <= weeks; w++) {
    if (w > beforeTaper) phases.push('taper');
    else if (recovery.has(w)) phases.push('recovery');
    else {
      const index = loadWeeks.indexOf(w);
      phases.push(index >= loadWeeks.length - peak ? 'peak' : index < baseCount ? 'base' : 'build');
    }
  }
  return phases;
}

/** Taper targets as fractions of the last load week's target, first taper week first. */
export function taperFactors(taperWeeks: number): number[] {
  return taperWeeks >= 2 ? [0.75, 0.5] : [0.6];
}
