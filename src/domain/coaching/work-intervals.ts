/**
 * The work intervals of a planned workout — the one definition the coaching loop uses: every `on`
 * of an `intervals` step at 80 % FTP or more, and every `steady` step at 76 % FTP or more; none for
 * endurance and recovery rides. Each carries its target range (the zone its planned % falls in) and
 * where it starts in the workout, plus the planned level just before and after it, which is what
 * the alignment needs to tell the effort from its surroundings.
 */
import type { PlannedWorkout, WorkoutStep } from '../plan/types.js';

export interface WorkInterval {
  /** 0-based among the workout's work intervals. */
  index: number;
  percentFtp: number;
  targetLowPercent: number;
  targetHighPercent: number;
  seconds: number;
  /** Seconds from the workout's start. */
  plannedStart: number;
  /** The planned % FTP of the step before the interval (its end, for a ramp); 0 at the workout's start. Absent: unknown. */
  percentBefore?: number | undefined;
  /** The planned % FTP of the step after the interval (its start, for a ramp); 0 at the workout's end. Absent: unknown. */
  percentAfter?: number | undefined;
  /** How long the part after it at `percentAfter` lasts (an interval's off, else the next step), s. Absent: unknown. */
  secondsAfter?: number | undefined;
}

/** The lowest % FTP of an interval's `on` that counts as work. */
const WORK_ON_PERCENT = 80;
/** The lowest % FTP of a steady step that counts as work. */
const WORK_STEADY_PERCENT = 76;

/** Coggan's zones as the coaching loop names targets, lower bound first (% FTP). */
const ZONES: readonly { low: number; high: number }[] = [
  { low: 151, high: 300 }, // sprint
  { low: 121, high: 150 }, // anaerobic capacity
  { low: 106, high: 120 }, // VO2max
  { low: 94, high: 105 }, // threshold
  { low: 88, high: 93 }, // sweet spot
  { low: 76, high: 87 }, // tempo
  { low: 56, high: 75 }, // endurance
  { low: 0, high: 55 }, // recovery
];

/** Room either side of the planned % within its range: a rider right on a target that sits on a zone's edge is on target. */
const TARGET_MARGIN_PERCENT = 2;

/**
 * The target range of a planned % FTP: the zone it falls in (tempo 76–87, sweet spot 88–93,
 * threshold 94–105, VO2max 106–120, anaerobic 121–150, sprint 151–300; below: endurance 56–75,
 * recovery 0–55), widened to hold the planned % ± 2 — sweet spot at 88 % is 86–93, VO2max at 120 %
 * is 106–122 —, so that riding the plan to the watt, with a power meter's noise, is on target.
 */
export function targetRange(percentFtp: number): { low: number; high: number } {
  const zone = ZONES.find((z) => percentFtp >= z.low) ?? { low: 0, high: 55 };
  return {
    low: Math.max(0, Math.min(zone.low, percentFtp - TARGET_MARGIN_PERCENT)),
    high: Math.max(zone.high, percentFtp + TARGET_MARGIN_PERCENT),
  };
}

/** A step's planned % FTP where it starts and where it ends. */
function stepLevels(step: WorkoutStep): { first: number; last: number } {
  if (step.kind === 'steady') return { first: step.percentFtp, last: step.percentFtp };
  if (step.kind === 'ramp') return { first: step.fromPercentFtp, last: step.toPercentFtp };
  return { first: step.on.percentFtp, last: step.off.percentFtp };
}

/** The step's duration, seconds. */
function stepSeconds(step: WorkoutStep): number {
  return step.kind === 'intervals' ? step.repeat * (step.on.seconds + step.off.seconds) : step.seconds;
}

/** The planned level around an interval: the % FTP before, the % FTP after and how long that lasts. */
interface Around {
  before: number;
  after: number;
  secondsAfter: number;
}

function interval(index: number, percentFtp: number, seconds: number, plannedStart: number, around: Around): WorkInterval {
  const range = targetRange(percentFtp);
  return {
    index,
    percentFtp,
    targetLowPercent: range.low,
    targetHighPercent: range.high,
    seconds,
    plannedStart,
    percentBefore: around.before,
    percentAfter: around.after,
    secondsAfter: around.secondsAfter,
  };
}

/** What the work intervals are read from: a planned workout, or a library one (read-only steps). */
export type WorkoutShape = Pick<PlannedWorkout, 'type'> & { steps?: readonly WorkoutStep[] | undefined };

/** The workout's work intervals in order (none for endurance and recovery rides, or a workout without steps). */
export function workIntervals(workout: WorkoutShape): WorkInterval[] {
  const steps = workout.steps ?? [];
  if (workout.type === 'endurance' || workout.type === 'recovery') return [];
  const out: WorkInterval[] = [];
  let t = 0;
  steps.forEach((step, i) => {
    const before = i > 0 ? stepLevels(steps[i - 1] as WorkoutStep).last : 0;
    const next = steps[i + 1];
    const after = next ? stepLevels(next).first : 0;
    const nextSeconds = next ? (next.kind === 'intervals' ? next.on.seconds : next.seconds) : 0;
    if (step.kind === 'steady' && step.percentFtp >= WORK_STEADY_PERCENT) {
      out.push(interval(out.length, step.percentFtp, step.seconds, t, { before, after, secondsAfter: nextSeconds }));
    } else if (step.kind === 'intervals' && step.on.percentFtp >= WORK_ON_PERCENT && step.on.seconds > 0) {
      const period = step.on.seconds + step.off.seconds;
      const off = step.off.seconds > 0;
      for (let r = 0; r < step.repeat; r++) {
        const around: Around = off
          ? { before: r === 0 ? before : step.off.percentFtp, after: step.off.percentFtp, secondsAfter: step.off.seconds }
          : { before: r === 0 ? before : step.on.percentFtp, after: r === step.repeat - 1 ? after : step.on.percentFtp, secondsAfter: 0 };
        out.push(interval(out.length, step.on.percentFtp, step.on.seconds, t + r * period, around));
      }
    }
    t += stepSeconds(step);
  });
  return out;
}
