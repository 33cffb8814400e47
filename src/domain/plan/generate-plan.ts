/**
 * The plan generator: periodization (periodization.ts) decides each week's phase and target TSS,
 * the selection (select-workouts.ts) fills the week, and when the athlete's hours or days cannot
 * hold the target, the target is lowered to what they hold and the week says so; likewise when the
 * week would raise CTL by more than the ramp cap over some rolling 7 days. Its output always
 * passes validatePlan (the property tests check thousands of random athletes).
 *
 * The first days respect where the athlete is now:
 * - Return block: when the latest ride was more than RETURN_BLOCK_AFTER_DAYS before the plan
 *   starts, week 1 is a recovery-phase week of easy rides only (recovery, endurance), 65 % of a
 *   first load week's target.
 * - Fatigue: when form (TSB = CTL − ATL) is below FATIGUED_TSB at the start, every day holds easy
 *   rides only until the predicted PMC of the plan's own daily TSS shows TSB (form going into the
 *   day) above RECOVERED_TSB; hard and moderate sessions move to the days after.
 */
import { addDays, daysBetween, longDate } from '../calendar.js';
import { WEEKDAYS } from '../profile.js';
import { err, ok, type Result } from '../result.js';
import {
  HOURS_TOLERANCE,
  PHASE_DENSITY,
  RECOVERY_FACTOR,
  RECOVERY_MAX_FACTOR,
  RECOVERY_MIN_FACTOR,
  TSS_TOLERANCE,
  phaseSequence,
  planRules,
  taperFactors,
} from './periodization.js';
import { checkPlanInput } from './plan-input.js';
import { performanceManagementChart } from '../metrics/pmc.js';
import { predictedPmc, RAMP_WINDOW_DAYS } from './predicted-pmc.js';
import { selectWeek, type WeekRequest, type WeekSelection } from './select-workouts.js';
import type { Phase, Plan, PlanInput, PlanViolation, PlanWeek, PlannedWorkout, Workout } from './types.js';

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** A library workout as a plan entry (steps copied, so the plan is plain data). */
export function toPlannedWorkout(workout: Workout): PlannedWorkout {
  return {
    id: workout.id,
    name: workout.name,
    type: workout.type,
    intensity: workout.intensity,
    durationMinutes: workout.durationSeconds / 60,
    tss: round1(workout.tss),
    intensityFactor: round3(workout.intensityFactor),
    description: workout.description,
    steps: workout.steps.map((s) => (s.kind === 'intervals' ? { ...s, on: { ...s.on }, off: { ...s.off } } : { ...s })),
  };
}

const RECENT_WEEKS = 3;

/** A plan starting more than this many days after the latest ride opens with a return block. */
export const RETURN_BLOCK_AFTER_DAYS = 28;
/** Form (TSB) below which a plan opens with easy days... */
export const FATIGUED_TSB = -25;
/** ...until the predicted TSB is above this. */
export const RECOVERED_TSB = -10;
const ALL_DAYS: readonly number[] = [0, 1, 2, 3, 4, 5, 6];

/** Generates the plan, or the input's problems. */
export function generatePlan(input: PlanInput): Result<Plan, PlanViolation[]> {
  const problems = checkPlanInput(input);
  if (problems.length > 0) return err(problems);
  const rules = planRules(input);
  const phases = phaseSequence(rules.weeks, rules.eventDate !== null, rules.recoveryEvery);
  const lastRide = input.fitness.lastRideDate ?? null;
  const daysOff = lastRide === null ? 0 : daysBetween(lastRide, rules.startDate);
  const returnBlock = daysOff > RETURN_BLOCK_AFTER_DAYS;
  // the return block is the first week, as a recovery-phase week (easy only, lighter); the rhythm after it is unchanged
  if (returnBlock) phases[0] = 'recovery';
  const startTsb = input.fitness.ctl - (input.fitness.atl ?? input.fitness.ctl);
  const fatigued = !returnBlock && startTsb < FATIGUED_TSB;
  const taperCount = phases.filter((p) => p === 'taper').length;
  const factors = taperFactors(taperCount);
  const training = new Set(input.trainingDays.map((d) => WEEKDAYS.indexOf(d)));
  const limiters = input.fitness.limiters ?? [];
  const strengths = input.fitness.strengths ?? [];

  const weeks: PlanWeek[] = [];
  const history: (string | null)[][] = [];
  const planNotes: string[] = [];
  if (rules.eventDate !== null && input.planWeeks !== rules.weeks) {
    planNotes.push(`The event on ${rules.eventDate} sets the plan to ${rules.weeks} weeks, from ${rules.startDate} to the event's week.`);
  }
  const isLoad = (phase: Phase): boolean => phase === 'base' || phase === 'build' || phase === 'peak';

  /**
   * Week `week` after `weeks`, with its target at most `maxTarget`; null when it is a recovery week
   * that could only keep the 7-day CTL ramp within the cap by being more than 50 % lighter than the
   * week before (the load week before it then has to give way).
   */
  const planWeek = (week: number, maxTarget: number): { week: PlanWeek; ids: (string | null)[] } | null => {
    const phase = phases[week - 1]!;
    const monday = addDays(rules.startDate, 7 * (week - 1));
    const previous = weeks[week - 2];
    const notes: string[] = [];
    let target: number;
    if (isLoad(phase)) {
      const loadWeeks = phases.slice(0, week).filter(isLoad).length;
      target = Math.round(7 * (rules.rampBase + rules.rampCap * loadWeeks));
    } else if (phase === 'recovery') {
      target = Math.round(RECOVERY_FACTOR * (previous?.targetTss ?? 7 * rules.rampBase));
      notes.push(
        returnBlock && week === 1
          ? `Return block: your latest ride was on ${longDate(lastRide!)}, ${daysOff} days before this plan starts — easy endurance rides only, about a third less than a first load week, to come back in.`
          : 'Recovery week: about a third lighter, no hard days — absorb the training.',
      );
    } else {
      const taperIndex = phases.slice(0, week - 1).filter((p) => p === 'taper').length;
      const lastLoadTarget = [...weeks].reverse().find((w) => isLoad(w.phase))?.targetTss ?? 0;
      target = Math.round((factors[taperIndex] ?? 0.5) * lastLoadTarget);
      notes.push(
        taperIndex + 1 === taperCount
          ? `Event week: short openers, fresh legs for ${rules.eventDate}.`
          : 'Taper: less volume, some intensity to stay sharp.',
      );
    }

    const dates = WEEKDAYS.map((_, i) => addDays(monday, i));
    const available = [...training].filter((d) => rules.eventDate === null || dates[d]! < rules.eventDate).sort((a, b) => a - b);
    const eventIndex = rules.eventDate !== null && week === rules.weeks ? dates.indexOf(rules.eventDate) : null;
    const recoveryCap = phase === 'recovery' && previous ? RECOVERY_MAX_FACTOR * previous.plannedTss : Infinity;
    const recoveryFloor = phase === 'recovery' && previous ? RECOVERY_MIN_FACTOR * previous.targetTss : 0;
    const previousIds = history[week - 2] ?? [null, null, null, null, null, null, null];
    const recent = new Set(
      history
        .slice(-RECENT_WEEKS)
        .flat()
        .filter((id): id is string => id !== null),
    );
    const previousSunday = previous?.days[6]?.workouts.some((w) => w.intensity === 'hard') ?? false;
    const cache = new Map<string, unknown>();
    const easyDays = new Set<number>(returnBlock && week === 1 ? ALL_DAYS : []);
    const requestFor = (tss: number): WeekRequest => ({
      week,
      phase,
      targetTss: tss,
      tssBand: [tss * (1 - TSS_TOLERANCE), Math.min(tss * (1 + TSS_TOLERANCE), recoveryCap)],
      targetHours: Math.min(input.weeklyHours, tss / PHASE_DENSITY[phase]),
      maxHours: input.weeklyHours,
      availableDays: available,
      eventDay: eventIndex,
      previousSundayHard: previousSunday,
      previousWeekIds: previousIds,
      recentIds: recent,
      limiters,
      strengths,
      cache,
      easyDays: [...easyDays],
    });
    const weekFrom = ({ selection, targetTss, plannedHoursTarget }: Filled): PlanWeek => {
      const planned = selection.days.map((w) => (w === null ? null : toPlannedWorkout(w)));
      const minutes = planned.reduce((s, w) => s + (w?.durationMinutes ?? 0), 0);
      return {
        week,
        phase,
        targetTss,
        plannedTss: round1(planned.reduce((s, w) => s + (w?.tss ?? 0), 0)),
        hours: round2(minutes / 60),
        targetHours: round2(plannedHoursTarget),
        notes,
        days: dates.map((date, i) => ({ date, weekday: WEEKDAYS[i]!, workouts: planned[i] ? [planned[i]] : [] })),
      };
    };

    // The week's selection, then — when it would raise CTL by more than the cap over some 7 days
    // ending this week (rolling, so the days of the week before count too) — lower the target until
    // it does not. Removing X TSS from a window lowers its CTL rise by about X·(1 − e^(−1/42)), so
    // the first cut is close; a week without rides never raises CTL faster than the week before did,
    // so the search always ends.
    const rampExcess = rampChecker(weeks, input.fitness, rules.rampCap);
    const selectWithinRamp = (): { filled: Filled; rampTarget: number } | null => {
      let rampTarget = Math.min(target, maxTarget);
      let filled = rampTarget > 0 ? fill(requestFor(rampTarget)) : restWeek();
      let excess = rampExcess(weekFrom(filled));
      for (let attempt = 0; excess > 0 && rampTarget > 0; attempt++) {
        const planned = filled.selection.days.reduce((s, w) => s + (w === null ? 0 : round1(w.tss)), 0);
        const allowed = planned - excess * TSS_PER_CTL_POINT * (1 + 0.1 * attempt) - 1;
        rampTarget =
          attempt >= MAX_RAMP_ATTEMPTS
            ? 0
            : Math.max(0, Math.min(rampTarget - 1, Math.floor((rampTarget * allowed) / Math.max(planned, 1))));
        if (rampTarget < recoveryFloor - 0.5) return null;
        filled = rampTarget > 0 ? fill(requestFor(rampTarget)) : restWeek();
        excess = rampExcess(weekFrom(filled));
      }
      return { filled, rampTarget };
    };
    let chosen = selectWithinRamp();
    if (chosen === null) return null;
    // Deep fatigue at the start: the days before the predicted TSB recovers above RECOVERED_TSB
    // become easy-only and the week is selected again. The easy days only grow, so this ends; their
    // load moves the recovery day, which the next round checks again.
    let recoveredFrom: string | null = null;
    if (fatigued) {
      for (let round = 0; round <= ALL_DAYS.length; round++) {
        const candidate = weekFrom(chosen.filled);
        recoveredFrom = recoveryDay([...weeks, candidate], input.fitness);
        const mustBeEasy = candidate.days.map((d, i) => (recoveredFrom === null || d.date < recoveredFrom ? i : -1)).filter((i) => i >= 0);
        const offending = mustBeEasy.filter((i) => !easyDays.has(i) && candidate.days[i]!.workouts.some((w) => w.intensity !== 'easy'));
        for (const i of mustBeEasy) easyDays.add(i);
        if (offending.length === 0) break;
        chosen = selectWithinRamp();
        if (chosen === null) return null;
      }
      const easyDates = [...easyDays].sort((a, b) => a - b).map((i) => dates[i]!);
      if (easyDates.length > 0) {
        notes.push(
          recoveredFrom !== null && recoveredFrom <= dates[6]!
            ? `Form (TSB) ${startTsb.toFixed(0)} when the plan starts: easy rides only until the predicted TSB is above ${RECOVERED_TSB} (from ${recoveredFrom}); harder sessions come after.`
            : `Form (TSB) ${startTsb.toFixed(0)} when the plan starts: easy rides only this week — the predicted TSB is still ${RECOVERED_TSB} or below at its end.`,
        );
      }
    }
    const { filled, rampTarget } = chosen;
    const { targetTss, lowered } = filled;
    if (rampTarget < target) {
      notes.push(
        `Target lowered from ${target} to ${rampTarget} TSS: more would raise fitness (CTL) by more than ${rules.rampCap} in 7 days.`,
      );
    }
    if (lowered && targetTss < rampTarget) {
      notes.push(
        available.length === 0
          ? `No training days before the event on ${rules.eventDate}: this week is rest.`
          : `Target lowered from ${rampTarget} to ${targetTss} TSS: ${input.weeklyHours} h on ${available.length} training day${available.length === 1 ? '' : 's'} cannot hold more without breaking a rule (hard days, rest days, hours${easyDays.size > 0 ? ', easy days only' : ''}).`,
      );
    }
    return { week: weekFrom(filled), ids: filled.selection.days.map((w) => w?.id ?? null) };
  };

  // Week by week; when a recovery week cannot keep the ramp (its first days fall in 7-day windows
  // with the heavy end of the load week before), that load week is planned again 10 % lighter.
  const maxTargets: number[] = [];
  for (let week = 1; week <= rules.weeks;) {
    const made = planWeek(week, maxTargets[week] ?? Infinity);
    if (made === null) {
      const before = weeks.pop()!;
      history.pop();
      maxTargets[week - 1] = Math.floor(before.targetTss * 0.9);
      week--;
      continue;
    }
    weeks.push(made.week);
    history.push(made.ids);
    week++;
  }
  return ok({ startDate: rules.startDate, eventDate: rules.eventDate, weeks, notes: planNotes });
}

/**
 * The first plan day whose predicted form (TSB going into the day, from the plan's own daily TSS)
 * is above RECOVERED_TSB; null when no day of `weeks` gets there.
 */
function recoveryDay(weeks: readonly PlanWeek[], fitness: PlanInput['fitness']): string | null {
  return predictedPmc({ weeks: [...weeks] }, fitness).find((d) => d.tsb > RECOVERED_TSB)?.date ?? null;
}

/** TSS that raise CTL by one point over a 7-day window: 1 / (1 − e^(−1/42)) ≈ 42.5 (a little more for loads early in the window). */
const TSS_PER_CTL_POINT = 1 / (1 - Math.exp(-1 / 42));
/** Target cuts tried before a week is left empty (never reached in the property tests). */
const MAX_RAMP_ATTEMPTS = 12;

/**
 * How far the steepest 7-day CTL ramp ending in a candidate week exceeds the cap (≤ 0: it does not):
 * the same PMC as rollingCtlRamps (and so the validator), continued from the CTL the weeks before
 * leave, against the CTL at the end of each of the 7 days before the week.
 */
function rampChecker(weeks: readonly PlanWeek[], fitness: PlanInput['fitness'], cap: number): (candidate: PlanWeek) => number {
  const before = predictedPmc({ weeks: [...weeks] }, fitness).map((d) => d.ctl);
  const start = Number.isFinite(fitness.ctl) ? fitness.ctl : 0;
  const lastWeek = [...Array<number>(RAMP_WINDOW_DAYS).fill(start), ...before].slice(-RAMP_WINDOW_DAYS);
  const initialCtl = before[before.length - 1] ?? start;
  return (candidate) => {
    const first = candidate.days[0]?.date;
    const last = candidate.days[candidate.days.length - 1]?.date;
    if (!first || !last) return -Infinity;
    const loads = candidate.days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
    const days = performanceManagementChart(loads, { start: first, end: last, initialCtl });
    return (
      Math.max(-Infinity, ...days.map((d, i) => d.ctl - (i < RAMP_WINDOW_DAYS ? lastWeek[i]! : days[i - RAMP_WINDOW_DAYS]!.ctl))) - cap
    );
  };
}

interface Filled {
  selection: WeekSelection;
  targetTss: number;
  plannedHoursTarget: number;
  lowered: boolean;
}

/** Selection with the fallbacks: time-crunched days, then free hours, then a lowered target. */
function fill(request: WeekRequest): Filled {
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
  // The hours (or days) cannot hold the target: take the most TSS that fits and lower the target to it.
  let candidates = [...attempts, ...free].filter((s) => s.minutes <= request.maxHours * 60 + 1e-9 && s.tss <= high);
  if (candidates.length === 0) {
    // Every attempt overshot (coarse options in a tiny week): aim lower, within the hours only.
    candidates = [selectWeek({ ...request, targetTss: low, tssBand: [0, high], ignoreHoursTarget: true })].filter((s) => s.tss <= high);
  }
  const best = candidates.length > 0 ? candidates.reduce((a, b) => (b.tss > a.tss ? b : a)) : emptySelection();
  const plannedTss = best.days.reduce((s, w) => s + (w === null ? 0 : round1(w.tss)), 0);
  const targetTss = Math.min(request.targetTss, Math.round(plannedTss));
  const hoursTarget =
    Math.abs(best.minutes / 60 - request.targetHours) <= HOURS_TOLERANCE * request.targetHours ? request.targetHours : best.minutes / 60;
  return { selection: best, targetTss, plannedHoursTarget: hoursTarget, lowered: targetTss < request.targetTss };
}

/** A week without rides. */
function restWeek(): Filled {
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
