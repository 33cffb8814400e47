/**
 * Building one week of a plan (see generate-plan.ts for the whole): its target from the phase,
 * the selection of its workouts within the target and the 7-day CTL ramp, easy days while the
 * athlete is deeply fatigued, and the notes that say why a target came down.
 */
import { addDays, longDate, WEEKDAYS } from '../calendar.js';
import { roundHalfUp } from '../numbers.js';
import { fill, restWeek, selectionTss, type Filled } from './fill-week.js';
import {
  PHASE_DENSITY,
  RECOVERY_FACTOR,
  RECOVERY_MAX_FACTOR,
  RECOVERY_MIN_FACTOR,
  TSS_TOLERANCE,
  type PlanEvent,
  type PlanRules,
} from './periodization.js';
import { B_EVENT_SHARE, eventLabel, weekEvents } from './plan-events.js';
import { RECOVERED_TSB, recoveryDay, type PlanStart } from './plan-start.js';
import { rampExcessChecker } from './predicted-pmc.js';
import type { Phase, PlanInput, PlanWeek, PlannedWorkout, Workout } from './types.js';
import type { WeekRequest } from './week-request.js';

/** What every week of one plan is planned from (generatePlan makes it once), with the weeks planned so far. */
export interface PlanContext {
  input: PlanInput;
  rules: PlanRules;
  /** Each week's phase, week 1 first. */
  phases: readonly Phase[];
  /** Weeks of the final taper (0 without an event). */
  taperWeeks: number;
  /** Each week of the final taper's share of the last load week's target. */
  taperFactors: readonly number[];
  /** Per week (week 1 first), a taper week's share of the last load week's target; 0 for other weeks. */
  taperShares: readonly number[];
  /** Training days as weekday indices (0 = Monday). */
  training: ReadonlySet<number>;
  start: PlanStart;
  /** The weeks planned so far, and the workout id of each of their days. */
  weeks: PlanWeek[];
  history: (string | null)[][];
}

/** A planned week and the workout id of each of its days. */
export interface PlannedWeek {
  week: PlanWeek;
  ids: (string | null)[];
}

/** A library workout as a plan entry (steps copied, so the plan is plain data). */
export function toPlannedWorkout(workout: Workout): PlannedWorkout {
  return {
    id: workout.id,
    name: workout.name,
    type: workout.type,
    intensity: workout.intensity,
    durationMinutes: workout.durationSeconds / 60,
    tss: roundHalfUp(workout.tss, 1),
    intensityFactor: roundHalfUp(workout.intensityFactor, 3),
    description: workout.description,
    steps: workout.steps.map((s) => (s.kind === 'intervals' ? { ...s, on: { ...s.on }, off: { ...s.off } } : { ...s })),
  };
}

const RECENT_WEEKS = 3;
const ALL_DAYS: readonly number[] = [0, 1, 2, 3, 4, 5, 6];
/** TSS that raise CTL by one point over a 7-day window: 1 / (1 − e^(−1/42)) ≈ 42.5 (a little more for loads early in the window). */
const TSS_PER_CTL_POINT = 1 / (1 - Math.exp(-1 / 42));
/** Target cuts tried before a week is left empty (never reached in the property tests). */
const MAX_RAMP_ATTEMPTS = 12;

export const isLoadPhase = (phase: Phase): boolean => phase === 'base' || phase === 'build' || phase === 'peak';

/** One week being planned: what does not change between the attempts at it. */
interface WeekFrame {
  week: number;
  phase: Phase;
  dates: string[];
  /** Weekday indices that may hold workouts (training days before the event). */
  available: number[];
  /** Shared by the attempts: their requests differ only in target and easy days. */
  request: Omit<WeekRequest, 'targetTss' | 'tssBand' | 'targetHours' | 'easyDays'>;
  /** The most a recovery week may plan (50 % of the week before's planned TSS), else Infinity. */
  recoveryCap: number;
  /** The least a recovery week may target, else 0. */
  recoveryFloor: number;
  /** Days that may hold easy rides only; grows while the athlete is fatigued. */
  easyDays: Set<number>;
  /** A B event in a load week: the week is planned at B_EVENT_SHARE of what it would hold. */
  lighter: PlanEvent | null;
  notes: string[];
}

/** The week's frame; `withEvents` false plans it as if it held no event (what a B event's week is measured against). */
function weekFrame(context: PlanContext, week: number, withEvents = true): WeekFrame {
  const { rules, weeks, history, input } = context;
  const phase = context.phases[week - 1]!;
  const monday = addDays(rules.startDate, 7 * (week - 1));
  const previous = weeks[week - 2];
  const dates = WEEKDAYS.map((_, i) => addDays(monday, i));
  const events = weekEvents(withEvents ? rules : { ...rules, events: [] }, dates);
  const available = [...context.training]
    .filter((d) => (rules.eventDate === null || dates[d]! < rules.eventDate) && !events.eventDays.includes(d))
    .sort((a, b) => a - b);
  const eventEasy = events.easyDays.filter((d) => available.includes(d));
  const recent = new Set(
    history
      .slice(-RECENT_WEEKS)
      .flat()
      .filter((id): id is string => id !== null),
  );
  return {
    week,
    phase,
    dates,
    available,
    request: {
      week,
      phase,
      maxHours: input.weeklyHours,
      availableDays: available,
      eventDay: events.eventDay,
      noLongDays: events.noLongDays,
      previousSundayHard: previous?.days[6]?.workouts.some((w) => w.intensity === 'hard') ?? false,
      previousWeekIds: history[week - 2] ?? [null, null, null, null, null, null, null],
      recentIds: recent,
      limiters: input.fitness.limiters ?? [],
      strengths: input.fitness.strengths ?? [],
      cache: new Map<string, unknown>(),
    },
    recoveryCap: phase === 'recovery' && previous ? RECOVERY_MAX_FACTOR * previous.plannedTss : Infinity,
    recoveryFloor: phase === 'recovery' && previous ? RECOVERY_MIN_FACTOR * previous.targetTss : 0,
    easyDays: new Set<number>(context.start.returnBlock && week === 1 ? ALL_DAYS : eventEasy),
    lighter: events.lighter !== null && isLoadPhase(phase) ? events.lighter : null,
    notes: eventNotes(events.events, phase),
  };
}

/** Notes on the week's B and C events (A events: the taper note; a B event in a load week: buildWeek's note). */
function eventNotes(events: readonly PlanEvent[], phase: Phase): string[] {
  const notes: string[] = [];
  for (const e of events) {
    if (e.priority === 'C') notes.push(`${eventLabel(e)} (C): trained through — nothing else that day, easy rides only the day after.`);
    else if (e.priority === 'B' && !isLoadPhase(phase) && !events.some((x) => x.priority === 'A'))
      notes.push(`${eventLabel(e)} (B): a light week already — easy rides only on the 2 days before.`);
  }
  return notes;
}

/** The week's target TSS from its phase; recovery and taper weeks also get their note. */
export function weekTarget(context: PlanContext, week: number, notes: string[]): number {
  const { phases, rules, weeks, start } = context;
  const phase = phases[week - 1]!;
  if (isLoadPhase(phase)) {
    const loadWeeks = phases.slice(0, week).filter(isLoadPhase).length;
    return Math.round(7 * (rules.rampBase + rules.rampCap * loadWeeks));
  }
  if (phase === 'recovery') {
    notes.push(
      start.returnBlock && week === 1
        ? `Return block: your latest ride was on ${longDate(start.lastRide!)}, ${start.daysOff} days before this plan starts — easy endurance rides only, about a third less than a first load week, to come back in.`
        : 'Recovery week: about a third lighter, no hard days — absorb the training.',
    );
    return Math.round(RECOVERY_FACTOR * (weeks[week - 2]?.targetTss ?? 7 * rules.rampBase));
  }
  const lastLoadTarget = [...weeks].reverse().find((w) => isLoadPhase(w.phase))?.targetTss ?? 7 * rules.rampBase;
  const event = rules.events.find((e) => e.priority === 'A' && e.week === week);
  notes.push(
    event
      ? `Event week: short openers, fresh legs for ${event.name === '' ? event.date : `${event.name} (${event.date})`}.`
      : 'Taper: less volume, some intensity to stay sharp.',
  );
  return Math.round((context.taperShares[week - 1] || 0.5) * lastLoadTarget);
}

function requestFor(context: PlanContext, frame: WeekFrame, tss: number): WeekRequest {
  return {
    ...frame.request,
    targetTss: tss,
    tssBand: [tss * (1 - TSS_TOLERANCE), Math.min(tss * (1 + TSS_TOLERANCE), frame.recoveryCap)],
    targetHours: Math.min(context.input.weeklyHours, tss / PHASE_DENSITY[frame.phase]),
    easyDays: [...frame.easyDays],
  };
}

/** The week as the plan holds it. */
function weekFrom(frame: WeekFrame, { selection, targetTss, plannedHoursTarget }: Filled): PlanWeek {
  const planned = selection.days.map((w) => (w === null ? null : toPlannedWorkout(w)));
  const minutes = planned.reduce((s, w) => s + (w?.durationMinutes ?? 0), 0);
  return {
    week: frame.week,
    phase: frame.phase,
    targetTss,
    plannedTss: roundHalfUp(
      planned.reduce((s, w) => s + (w?.tss ?? 0), 0),
      1,
    ),
    hours: roundHalfUp(minutes / 60, 2),
    targetHours: roundHalfUp(plannedHoursTarget, 2),
    notes: frame.notes,
    days: frame.dates.map((date, i) => ({ date, weekday: WEEKDAYS[i]!, workouts: planned[i] ? [planned[i]] : [] })),
  };
}

/** A week's filled selection and the target the ramp allowed. */
interface Chosen {
  filled: Filled;
  rampTarget: number;
}

/**
 * The week's selection, then — when it would raise CTL by more than the cap over some 7 days
 * ending this week (rolling, so the days of the week before count too) — lower the target until
 * it does not. Removing X TSS from a window lowers its CTL rise by about X·(1 − e^(−1/42)), so
 * the first cut is close; a week without rides never raises CTL faster than the week before did,
 * so the search always ends. Null when a recovery week would have to be more than 50 % lighter.
 */
function selectWithinRamp(context: PlanContext, frame: WeekFrame, startTarget: number, rampExcess: (w: PlanWeek) => number): Chosen | null {
  let rampTarget = startTarget;
  let filled = rampTarget > 0 ? fill(requestFor(context, frame, rampTarget)) : restWeek();
  let excess = rampExcess(weekFrom(frame, filled));
  for (let attempt = 0; excess > 0 && rampTarget > 0; attempt++) {
    const planned = selectionTss(filled.selection);
    const allowed = planned - excess * TSS_PER_CTL_POINT * (1 + 0.1 * attempt) - 1;
    rampTarget =
      attempt >= MAX_RAMP_ATTEMPTS ? 0 : Math.max(0, Math.min(rampTarget - 1, Math.floor((rampTarget * allowed) / Math.max(planned, 1))));
    if (rampTarget < frame.recoveryFloor - 0.5) return null;
    filled = rampTarget > 0 ? fill(requestFor(context, frame, rampTarget)) : restWeek();
    excess = rampExcess(weekFrom(frame, filled));
  }
  return { filled, rampTarget };
}

/**
 * Deep fatigue at the start: the days before the predicted TSB recovers above RECOVERED_TSB
 * become easy-only and the week is selected again. The easy days only grow, so this ends; their
 * load moves the recovery day, which the next round checks again.
 */
function easeFatiguedDays(context: PlanContext, frame: WeekFrame, first: Chosen, reselect: () => Chosen | null): Chosen | null {
  let chosen = first;
  let recoveredFrom: string | null = null;
  let eased = false;
  for (let round = 0; round <= ALL_DAYS.length; round++) {
    const candidate = weekFrom(frame, chosen.filled);
    recoveredFrom = recoveryDay([...context.weeks, candidate], context.input.fitness);
    const mustBeEasy = candidate.days.map((d, i) => (recoveredFrom === null || d.date < recoveredFrom ? i : -1)).filter((i) => i >= 0);
    const offending = mustBeEasy.filter((i) => !frame.easyDays.has(i) && candidate.days[i]!.workouts.some((w) => w.intensity !== 'easy'));
    for (const i of mustBeEasy) frame.easyDays.add(i);
    eased ||= mustBeEasy.length > 0;
    if (offending.length === 0) break;
    const again = reselect();
    if (again === null) return null;
    chosen = again;
  }
  if (eased) {
    const tsb = context.start.startTsb.toFixed(0);
    frame.notes.push(
      recoveredFrom !== null && recoveredFrom <= frame.dates[6]!
        ? `Form (TSB) ${tsb} when the plan starts: easy rides only until the predicted TSB is above ${RECOVERED_TSB} (from ${recoveredFrom}); harder sessions come after.`
        : `Form (TSB) ${tsb} when the plan starts: easy rides only this week — the predicted TSB is still ${RECOVERED_TSB} or below at its end.`,
    );
  }
  return chosen;
}

/** Notes for a target that came down: for the CTL ramp, then for the athlete's hours or days. */
function loweredTargetNotes(context: PlanContext, frame: WeekFrame, target: number, { filled, rampTarget }: Chosen): void {
  const { rules, input } = context;
  const { available } = frame;
  if (rampTarget < target) {
    frame.notes.push(
      `Target lowered from ${target} to ${rampTarget} TSS: more would raise fitness (CTL) by more than ${rules.rampCap} in 7 days.`,
    );
  }
  if (filled.lowered && filled.targetTss < rampTarget) {
    frame.notes.push(
      available.length === 0
        ? `No training days before the event on ${rules.eventDate}: this week is rest.`
        : `Target lowered from ${rampTarget} to ${filled.targetTss} TSS: ${input.weeklyHours} h on ${available.length} training day${available.length === 1 ? '' : 's'} cannot hold more without breaking a rule (hard days, rest days, hours${frame.easyDays.size > 0 ? ', easy days only' : ''}).`,
    );
  }
}

/**
 * Week `week` after `context.weeks`, with its target at most `maxTarget`; null when it is a
 * recovery week that could only keep the 7-day CTL ramp within the cap by being more than 50 %
 * lighter than the week before (the load week before it then has to give way).
 */
export function buildWeek(context: PlanContext, week: number, maxTarget: number): PlannedWeek | null {
  const frame = weekFrame(context, week);
  let target = weekTarget(context, week, frame.notes);
  const rampExcess = rampExcessChecker(context.weeks, context.input.fitness, context.rules.rampCap);
  const select = (): Chosen | null => selectWithinRamp(context, frame, Math.min(target, maxTarget), rampExcess);
  if (frame.lighter !== null) {
    // A B event's short taper: a share of what the week would hold without it (its target after the ramp and the athlete's hours).
    const held = selectWithinRamp(context, weekFrame(context, week, false), Math.min(target, maxTarget), rampExcess)?.filled.targetTss ?? 0;
    target = Math.round(B_EVENT_SHARE * held);
    frame.notes.push(
      `${eventLabel(frame.lighter)} (B): a short taper — ${target} TSS, ${Math.round(B_EVENT_SHARE * 100)} % of the ${held} this week would hold, and easy rides only on the 2 days before.`,
    );
  }
  let chosen = select();
  if (chosen !== null && context.start.fatigued) chosen = easeFatiguedDays(context, frame, chosen, select);
  if (chosen === null) return null;
  loweredTargetNotes(context, frame, target, chosen);
  return { week: weekFrom(frame, chosen.filled), ids: chosen.filled.selection.days.map((w) => w?.id ?? null) };
}
