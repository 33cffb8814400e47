/**
 * The plan generator: periodization (periodization.ts) decides each week's phase and target TSS,
 * the selection (select-workouts.ts) fills the week, and when the athlete's hours or days cannot
 * hold the target, the target is lowered to what they hold and the week says so. Its output always
 * passes validatePlan (the property tests check thousands of random athletes).
 */
import { addDays } from '../metrics/dates.js';
import { WEEKDAYS } from '../profile.js';
import { err, ok, type Result } from '../result.js';
import {
  HOURS_TOLERANCE,
  PHASE_DENSITY,
  RECOVERY_FACTOR,
  RECOVERY_MAX_FACTOR,
  TSS_TOLERANCE,
  phaseSequence,
  planRules,
  taperFactors,
} from './periodization.js';
import { checkPlanInput } from './plan-input.js';
import { selectWeek, type WeekRequest, type WeekSelection } from './select-workouts.js';
import type { Plan, PlanInput, PlanViolation, PlanWeek, PlannedWorkout, Workout } from './types.js';

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

/** Generates the plan, or the input's problems. */
export function generatePlan(input: PlanInput): Result<Plan, PlanViolation[]> {
  const problems = checkPlanInput(input);
  if (problems.length > 0) return err(problems);
  const rules = planRules(input);
  const phases = phaseSequence(rules.weeks, rules.eventDate !== null, rules.recoveryEvery);
  const taperCount = phases.filter((p) => p === 'taper').length;
  const factors = taperFactors(taperCount);
  const training = new Set(input.trainingDays.map((d) => WEEKDAYS.indexOf(d)));
  const limiters = input.fitness.limiters ?? [];
  const strengths = input.fitness.strengths ?? [];

  const weeks: PlanWeek[] = [];
  const history: (string | null)[][] = [];
  let loadWeeks = 0;
  let lastLoadTarget = 0;
  let taperIndex = 0;
  const planNotes: string[] = [];
  if (rules.eventDate !== null && input.planWeeks !== rules.weeks) {
    planNotes.push(`The event on ${rules.eventDate} sets the plan to ${rules.weeks} weeks, from ${rules.startDate} to the event's week.`);
  }

  for (let week = 1; week <= rules.weeks; week++) {
    const phase = phases[week - 1]!;
    const monday = addDays(rules.startDate, 7 * (week - 1));
    const previous = weeks[week - 2];
    const notes: string[] = [];
    let target: number;
    if (phase === 'base' || phase === 'build' || phase === 'peak') {
      loadWeeks++;
      target = Math.round(7 * (rules.rampBase + rules.rampCap * loadWeeks));
    } else if (phase === 'recovery') {
      target = Math.round(RECOVERY_FACTOR * (previous?.targetTss ?? 7 * rules.rampBase));
      notes.push('Recovery week: about a third lighter, no hard days — absorb the training.');
    } else {
      target = Math.round((factors[taperIndex] ?? 0.5) * lastLoadTarget);
      taperIndex++;
      notes.push(taperIndex === taperCount ? `Event week: short openers, fresh legs for ${rules.eventDate}.` : 'Taper: less volume, some intensity to stay sharp.');
    }

    const dates = WEEKDAYS.map((_, i) => addDays(monday, i));
    const available = [...training].filter((d) => rules.eventDate === null || dates[d]! < rules.eventDate).sort((a, b) => a - b);
    const eventIndex = rules.eventDate !== null && week === rules.weeks ? dates.indexOf(rules.eventDate) : null;
    let high = target * (1 + TSS_TOLERANCE);
    if (phase === 'recovery' && previous) high = Math.min(high, RECOVERY_MAX_FACTOR * previous.plannedTss);
    const targetHours = Math.min(input.weeklyHours, target / PHASE_DENSITY[phase]);
    const previousIds = history[week - 2] ?? [null, null, null, null, null, null, null];
    const recent = new Set(history.slice(-RECENT_WEEKS).flat().filter((id): id is string => id !== null));
    const previousSunday = previous?.days[6]?.workouts.some((w) => w.intensity === 'hard') ?? false;
    const request: WeekRequest = {
      week, phase, targetTss: target, tssBand: [target * (1 - TSS_TOLERANCE), high], targetHours, maxHours: input.weeklyHours,
      availableDays: available, eventDay: eventIndex, previousSundayHard: previousSunday, previousWeekIds: previousIds, recentIds: recent, limiters, strengths,
      cache: new Map(),
    };

    const { selection, targetTss, plannedHoursTarget, lowered } = fill(request);
    if (lowered) {
      notes.push(available.length === 0
        ? `No training days before the event on ${rules.eventDate}: this week is rest.`
        : `Target lowered from ${target} to ${targetTss} TSS: ${input.weeklyHours} h on ${available.length} training day${available.length === 1 ? '' : 's'} cannot hold more without breaking a rule (hard days, rest days, hours).`);
    }
    if (phase === 'base' || phase === 'build' || phase === 'peak') lastLoadTarget = targetTss;

    const planned = selection.days.map((w) => (w === null ? null : toPlannedWorkout(w)));
    const plannedTss = round1(planned.reduce((s, w) => s + (w?.tss ?? 0), 0));
    const minutes = planned.reduce((s, w) => s + (w?.durationMinutes ?? 0), 0);
    weeks.push({
      week,
      phase,
      targetTss,
      plannedTss,
      hours: round2(minutes / 60),
      targetHours: round2(plannedHoursTarget),
      notes,
      days: dates.map((date, i) => ({ date, weekday: WEEKDAYS[i]!, workouts: planned[i] ? [planned[i]] : [] })),
    });
    history.push(selection.days.map((w) => w?.id ?? null));
  }
  return ok({ startDate: rules.startDate, eventDate: rules.eventDate, weeks, notes: planNotes });
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
  const hoursTarget = Math.abs(best.minutes / 60 - request.targetHours) <= HOURS_TOLERANCE * request.targetHours ? request.targetHours : best.minutes / 60;
  return { selection: best, targetTss, plannedHoursTarget: hoursTarget, lowered: targetTss < request.targetTss };
}

function emptySelection(): WeekSelection {
  return { days: [null, null, null, null, null, null, null], roles: [null, null, null, null, null, null, null], tss: 0, minutes: 0, feasible: false };
}
