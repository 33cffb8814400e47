/**
 * The one place the plan rules are checked, for generated plans and for plans proposed or edited
 * elsewhere (an LLM's tool call): every violation is returned, each naming its week and day.
 */
import { addDays } from '../calendar.js';
import { WEEKDAYS, type Weekday } from '../profile.js';
import {
  HOURS_TOLERANCE,
  MAX_HARD_DAYS,
  MAX_LOAD_WEEKS_IN_A_ROW,
  MAX_PLAN_WEEKS,
  MIN_PLAN_WEEKS,
  RECOVERY_MAX_FACTOR,
  RECOVERY_FACTOR,
  RECOVERY_MIN_FACTOR,
  TSS_TOLERANCE,
  planRules,
  rampCeiling,
} from './periodization.js';
import { checkPlanInput } from './plan-input.js';
import { rollingCtlRamps, type CtlRampWindow } from './predicted-pmc.js';
import type {
  Phase,
  Plan,
  PlanDay,
  PlanInput,
  PlanViolation,
  PlanWeek,
  PlannedWorkout,
  WorkoutMetrics,
  WorkoutStep,
  WorkoutType,
} from './types.js';
import { workoutById } from './workout-library.js';
import { classifyIntensity, workoutMetrics } from './workout-metrics.js';

const DAY_NAMES: Readonly<Record<Weekday, string>> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const PHASE_RANK: Readonly<Record<Exclude<Phase, 'recovery'>, number>> = { base: 0, build: 1, peak: 2, taper: 3 };
const LOAD_PHASES: ReadonlySet<Phase> = new Set(['base', 'build', 'peak']);

/** Rounding slack on reported numbers: TSS to 0.1, hours to 0.01. */
const TSS_SLACK = 0.5;
const HOURS_SLACK = 0.011;

const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

function weekLabel(week: PlanWeek): string {
  const first = week.days[0]?.date;
  const last = week.days[week.days.length - 1]?.date;
  return first && last ? `Week ${week.week} (${first} to ${last})` : `Week ${week.week}`;
}

function dayLabel(week: PlanWeek, day: PlanDay): string {
  return `Week ${week.week}, ${DAY_NAMES[day.weekday] ?? day.weekday} ${day.date}`;
}

/** Intensity from type and IF (never trusting the declared class). */
export function workoutIntensity(workout: Pick<PlannedWorkout, 'type' | 'intensityFactor'>): ReturnType<typeof classifyIntensity> {
  return classifyIntensity(workout.type, workout.intensityFactor);
}

/** Metrics by step list: a plan repeats few distinct workouts, and a 1 Hz trace per workout is not free. */
const metricsCache = new Map<string, WorkoutMetrics>();
function cachedMetrics(steps: readonly WorkoutStep[], type: WorkoutType): WorkoutMetrics {
  const key = `${type}:${JSON.stringify(steps)}`;
  let metrics = metricsCache.get(key);
  if (!metrics) {
    if (metricsCache.size > 2000) metricsCache.clear();
    metrics = workoutMetrics(steps, type);
    metricsCache.set(key, metrics);
  }
  return metrics;
}

const isHardDay = (day: PlanDay): boolean => day.workouts.some((w) => workoutIntensity(w) === 'hard');

function listDays(days: readonly Weekday[]): string {
  return WEEKDAYS.filter((d) => days.includes(d))
    .map((d) => DAY_NAMES[d])
    .join(', ');
}

/**
 * Checks every rule and returns all violations (empty: the plan is acceptable):
 * structure (weeks of 7 consecutive days from the start Monday, 4–24 weeks), declared workout
 * numbers against their steps, week totals, hours (never above the athlete's weekly hours, within
 * ±10 % of the week's planned hours), training days only, a rest day every week, at most 3 hard
 * days and never two in a row (Sunday→Monday too), the CTL ramp (each week's target against the
 * ramp ceiling, and the predicted CTL over every rolling 7 days rising by at most the ramp cap, 5 or
 * 3 below CTL 30), TSS within ±10 % of target,
 * recovery weeks 30–50 % lighter (30–40 % by design) and no more than 3 load weeks in a row, phase order, the taper
 * ending on the event week, nothing after the event, and no workout repeated on the same weekday
 * in consecutive weeks.
 */
export function validatePlan(plan: Plan, input: PlanInput): PlanViolation[] {
  const inputProblems = checkPlanInput(input);
  if (inputProblems.length > 0) return inputProblems;
  const rules = planRules(input);
  const out: PlanViolation[] = [];
  const add = (code: PlanViolation['code'], message: string, week?: PlanWeek, date?: string): void => {
    out.push({ code, message, ...(week ? { week: week.week } : {}), ...(date ? { date } : {}) });
  };
  const weeks = plan.weeks;

  // Structure.
  if (weeks.length < MIN_PLAN_WEEKS || weeks.length > MAX_PLAN_WEEKS)
    add('structure', `The plan has ${weeks.length} weeks; it must have ${MIN_PLAN_WEEKS}–${MAX_PLAN_WEEKS}.`);
  if (plan.startDate !== undefined && plan.startDate !== rules.startDate)
    add('structure', `The plan starts on ${plan.startDate}; it must start on ${rules.startDate} (the Monday of the start date).`);
  weeks.forEach((week, index) => {
    if (week.week !== index + 1) add('structure', `Week ${index + 1} is numbered ${week.week}; number weeks 1, 2, 3 … in order.`, week);
    if (week.days.length !== 7)
      add(
        'structure',
        `${weekLabel(week)} has ${week.days.length} days; list all 7 days, Monday to Sunday (a rest day has no workouts).`,
        week,
      );
    week.days.forEach((day, i) => {
      const expected = addDays(rules.startDate, 7 * index + i);
      if (day.date !== expected || day.weekday !== WEEKDAYS[i]) {
        add(
          'structure',
          `Week ${week.week}, day ${i + 1} is ${day.weekday} ${day.date}; it must be ${WEEKDAYS[i]} ${expected}.`,
          week,
          day.date,
        );
      }
    });
  });

  // Workouts: declared numbers against their steps (or the library), declared intensity against type and IF.
  for (const week of weeks) {
    for (const day of week.days) {
      for (const w of day.workouts) {
        const computed =
          w.steps && w.steps.length > 0 ? cachedMetrics(w.steps, w.type) : w.id !== undefined ? workoutById(w.id) : undefined;
        if (computed) {
          const minutes = computed.durationSeconds / 60;
          if (
            Math.abs(minutes - w.durationMinutes) > 0.5 ||
            Math.abs(computed.tss - w.tss) > TSS_SLACK + 0.01 * computed.tss ||
            Math.abs(computed.intensityFactor - w.intensityFactor) > 0.005
          ) {
            add(
              'workout-mismatch',
              `${dayLabel(week, day)}: "${w.name}" declares ${fmt(w.durationMinutes)} min, TSS ${fmt(w.tss, 1)}, IF ${fmt(w.intensityFactor, 2)} but its steps give ${fmt(minutes)} min, TSS ${fmt(computed.tss, 1)}, IF ${fmt(computed.intensityFactor, 2)}; use the computed values.`,
              week,
              day.date,
            );
          }
        }
        const intensity = workoutIntensity(w);
        if (intensity !== w.intensity) {
          add(
            'workout-mismatch',
            `${dayLabel(week, day)}: "${w.name}" is labelled ${w.intensity} but a ${w.type} workout at IF ${fmt(w.intensityFactor, 2)} is ${intensity} (hard: threshold and above or IF ≥ 0.85).`,
            week,
            day.date,
          );
        }
      }
    }
  }

  // Week totals, hours, days.
  for (const week of weeks) {
    const tss = week.days.reduce((s, d) => s + d.workouts.reduce((t, w) => t + w.tss, 0), 0);
    const hours = week.days.reduce((s, d) => s + d.workouts.reduce((t, w) => t + w.durationMinutes, 0), 0) / 60;
    if (Math.abs(tss - week.plannedTss) > TSS_SLACK)
      add(
        'totals-mismatch',
        `${weekLabel(week)}: plannedTss is ${fmt(week.plannedTss, 1)} but its workouts add up to ${fmt(tss, 1)} TSS.`,
        week,
      );
    if (Math.abs(hours - week.hours) > HOURS_SLACK)
      add('totals-mismatch', `${weekLabel(week)}: hours is ${fmt(week.hours, 2)} but its workouts add up to ${fmt(hours, 2)} h.`, week);
    if (hours > input.weeklyHours + 1e-9)
      add(
        'over-hours',
        `${weekLabel(week)}: ${fmt(hours, 2)} h planned, more than the athlete's ${fmt(input.weeklyHours, 1)} h a week; shorten or drop rides.`,
        week,
      );
    if (week.targetHours !== undefined && Math.abs(hours - week.targetHours) > HOURS_TOLERANCE * week.targetHours + HOURS_SLACK) {
      add(
        'hours-off-target',
        `${weekLabel(week)}: ${fmt(hours, 2)} h planned, not within ±10 % of the week's ${fmt(week.targetHours, 2)} h.`,
        week,
      );
    }
    for (const day of week.days) {
      if (day.workouts.length > 0 && !input.trainingDays.includes(day.weekday)) {
        add(
          'non-training-day',
          `${dayLabel(week, day)}: "${day.workouts[0]!.name}" is on a day the athlete does not train (training days: ${listDays(input.trainingDays)}); move it to a training day.`,
          week,
          day.date,
        );
      }
    }
    if (week.days.length > 0 && week.days.every((d) => d.workouts.length > 0))
      add('no-rest-day', `${weekLabel(week)} has no rest day; leave at least one day without a workout.`, week);
    const hard = week.days.filter(isHardDay);
    if (hard.length > MAX_HARD_DAYS)
      add(
        'too-many-hard-days',
        `${weekLabel(week)} has ${hard.length} hard days (${hard.map((d) => `${DAY_NAMES[d.weekday]} ${d.date}`).join(', ')}); at most ${MAX_HARD_DAYS}.`,
        week,
      );
  }

  // Hard days in a row, across week boundaries too.
  const allDays = weeks.flatMap((week) => week.days.map((day) => ({ week, day })));
  for (let i = 1; i < allDays.length; i++) {
    const a = allDays[i - 1]!;
    const b = allDays[i]!;
    if (isHardDay(a.day) && isHardDay(b.day)) {
      add(
        'consecutive-hard-days',
        `${dayLabel(a.week, a.day)} and ${dayLabel(b.week, b.day)} are both hard; put an easy or rest day between hard days.`,
        b.week,
        b.day.date,
      );
    }
  }

  // Load: ramp, target, recovery weeks.
  weeks.forEach((week, index) => {
    const ceiling = rampCeiling(rules, week.week);
    if (week.targetTss > ceiling + TSS_SLACK || week.plannedTss > ceiling * (1 + TSS_TOLERANCE) + TSS_SLACK) {
      add(
        'ramp-too-steep',
        `${weekLabel(week)}: ${fmt(Math.max(week.targetTss, week.plannedTss))} TSS ramps fitness too fast; from CTL ${fmt(input.fitness.ctl)} week ${week.week} may target at most ${fmt(ceiling)} TSS (CTL +${rules.rampCap} a week).`,
        week,
      );
    }
    const tolerance = TSS_TOLERANCE * week.targetTss + TSS_SLACK;
    if (Math.abs(week.plannedTss - week.targetTss) > tolerance) {
      add(
        'tss-off-target',
        `${weekLabel(week)}: ${fmt(week.plannedTss, 1)} TSS planned for a target of ${fmt(week.targetTss)}; keep within ±10 % (${fmt(week.targetTss * 0.9)}–${fmt(week.targetTss * 1.1)}).`,
        week,
      );
    }
    const previous = weeks[index - 1];
    if (week.phase === 'recovery' && previous) {
      const lo = RECOVERY_MIN_FACTOR * previous.targetTss;
      const hi = RECOVERY_MAX_FACTOR * previous.targetTss;
      if (
        week.targetTss < lo - TSS_SLACK ||
        week.targetTss > hi + TSS_SLACK ||
        week.plannedTss > RECOVERY_MAX_FACTOR * previous.plannedTss + TSS_SLACK
      ) {
        add(
          'recovery-not-lighter',
          `${weekLabel(week)} is a recovery week but targets ${fmt(week.targetTss)} TSS (planned ${fmt(week.plannedTss, 1)}) after ${fmt(previous.targetTss)} (planned ${fmt(previous.plannedTss, 1)}); a recovery week is 30–40 % lighter (${fmt(RECOVERY_FACTOR * previous.targetTss)} TSS), at least 30 % and at most 50 %: ${fmt(lo)}–${fmt(hi)} TSS.`,
          week,
        );
      }
    }
  });

  // The CTL ramp over every rolling 7 days (not only per calendar week): a heavy weekend followed
  // by a heavy week can raise CTL by more than the cap in 7 days that straddle two weeks.
  const worstByWeek = new Map<PlanWeek, CtlRampWindow>();
  const weekOfDay = new Map(allDays.map(({ week, day }) => [day.date, week]));
  for (const window of rollingCtlRamps(plan, input.fitness)) {
    const week = weekOfDay.get(window.to);
    if (!week || !(window.ramp > rules.rampCap)) continue;
    const worst = worstByWeek.get(week);
    if (!worst || window.ramp > worst.ramp) worstByWeek.set(week, window);
  }
  for (const [week, window] of worstByWeek) {
    add(
      'ramp-too-steep',
      `${weekLabel(week)}: fitness (CTL) rises by ${fmt(window.ramp, 2)} in the 7 days ${window.from} to ${window.to}; it may rise by at most ${rules.rampCap} in any 7 days (from CTL ${fmt(input.fitness.ctl)}); lighten or spread the load of those days.`,
      week,
      window.to,
    );
  }

  // Periodization: recovery rhythm, phase order, event.
  let run: PlanWeek[] = [];
  const flushRun = (): void => {
    if (run.length > MAX_LOAD_WEEKS_IN_A_ROW) {
      add(
        'missing-recovery-week',
        `Weeks ${run[0]!.week}–${run[run.length - 1]!.week} are ${run.length} load weeks in a row; make every 3rd or 4th week a recovery week.`,
        run[MAX_LOAD_WEEKS_IN_A_ROW],
      );
    }
    run = [];
  };
  for (const week of weeks) {
    if (LOAD_PHASES.has(week.phase)) run.push(week);
    else flushRun();
  }
  flushRun();
  let rank = 0;
  let taperSeen = false;
  for (const week of weeks) {
    if (week.phase === 'recovery') {
      if (taperSeen) add('phase-order', `${weekLabel(week)}: a recovery week after the taper; the taper ends the plan.`, week);
      continue;
    }
    const r = PHASE_RANK[week.phase];
    if (r < rank)
      add('phase-order', `${weekLabel(week)} is ${week.phase} after a later phase; phases run base → build → peak → taper.`, week);
    rank = Math.max(rank, r);
    if (week.phase === 'taper') taperSeen = true;
  }
  if (rules.eventDate !== null) {
    const last = weeks[weeks.length - 1];
    const holdsEvent = last?.days.some((d) => d.date === rules.eventDate) ?? false;
    if (!last || !holdsEvent || last.phase !== 'taper') {
      add(
        'event-week',
        `The plan must end with a taper week holding the event on ${rules.eventDate} (week ${rules.weeks}); it ends with ${last ? `${weekLabel(last)}, ${last.phase}` : 'no weeks'}.`,
        last,
      );
    }
    for (const { week, day } of allDays) {
      if (day.date > rules.eventDate && day.workouts.length > 0)
        add(
          'after-event',
          `${dayLabel(week, day)}: "${day.workouts[0]!.name}" is after the event on ${rules.eventDate}; the plan ends with the event.`,
          week,
          day.date,
        );
    }
  }

  // Variety: not the same workout on the same weekday two weeks running.
  for (let index = 1; index < weeks.length; index++) {
    const week = weeks[index]!;
    const before = weeks[index - 1]!;
    week.days.forEach((day, i) => {
      const prev = before.days[i];
      if (!prev) return;
      for (const w of day.workouts) {
        const same = prev.workouts.find((p) => (p.id !== undefined && w.id !== undefined ? p.id === w.id : p.name === w.name));
        if (same)
          add(
            'repeated-workout',
            `${dayLabel(week, day)}: "${w.name}" repeats the previous ${DAY_NAMES[day.weekday]}'s workout; vary it.`,
            week,
            day.date,
          );
      }
    });
  }
  return out;
}

/** Violations as a tool error message: what is wrong, where, and what to change. */
export function formatViolations(violations: readonly PlanViolation[]): string {
  if (violations.length === 0) return 'The plan passes every rule.';
  const lines = violations.map((v) => `- [${v.code}] ${v.message}`);
  return `The plan was rejected: ${violations.length} problem${violations.length === 1 ? '' : 's'} to fix.\n${lines.join('\n')}`;
}
