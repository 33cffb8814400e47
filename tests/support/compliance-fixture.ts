/**
 * A small current plan with rides matched to it, for the compliance section's tests: weeks from a
 * Monday, each with Sweet spot 3×10 on Tuesday (60 TSS, 3 work intervals), Threshold 2×10 on
 * Thursday (70 TSS, 2) and a 2 h endurance ride on Saturday (90 TSS, none); every workout keyed
 * `${date}#0`. Matches are built with chosen TSS and interval verdicts.
 */
import { addDays, WEEKDAYS } from '../../src/domain/calendar.js';
import type { IntervalResult, PlanVersion, WorkoutMatch } from '../../src/domain/coaching/types.js';
import type { Plan, PlanInput, PlannedWorkout, PlanWeek } from '../../src/domain/plan/types.js';

export const FTP = 250;

const SWEET_SPOT: PlannedWorkout = {
  name: 'Sweet spot 3×10',
  type: 'sweetspot',
  intensity: 'hard',
  durationMinutes: 60,
  tss: 60,
  intensityFactor: 0.8,
  steps: [
    { kind: 'ramp', seconds: 600, fromPercentFtp: 50, toPercentFtp: 75 },
    { kind: 'intervals', repeat: 3, on: { seconds: 600, percentFtp: 90 }, off: { seconds: 300, percentFtp: 55 } },
    { kind: 'steady', seconds: 300, percentFtp: 50 },
  ],
};
const THRESHOLD: PlannedWorkout = {
  name: 'Threshold 2×10',
  type: 'threshold',
  intensity: 'hard',
  durationMinutes: 55,
  tss: 70,
  intensityFactor: 0.87,
  steps: [
    { kind: 'ramp', seconds: 900, fromPercentFtp: 50, toPercentFtp: 75 },
    { kind: 'intervals', repeat: 2, on: { seconds: 600, percentFtp: 100 }, off: { seconds: 300, percentFtp: 55 } },
    { kind: 'steady', seconds: 600, percentFtp: 50 },
  ],
};
const ENDURANCE: PlannedWorkout = {
  name: 'Endurance 2:00',
  type: 'endurance',
  intensity: 'easy',
  durationMinutes: 120,
  tss: 90,
  intensityFactor: 0.67,
  steps: [{ kind: 'steady', seconds: 7200, percentFtp: 67 }],
};

const BY_WEEKDAY: Partial<Record<(typeof WEEKDAYS)[number], PlannedWorkout>> = { tue: SWEET_SPOT, thu: THRESHOLD, sat: ENDURANCE };

/** `weeks` plan weeks from `start` (a Monday). */
export function compliancePlan(start: string, weeks: number): Plan {
  const planWeeks: PlanWeek[] = [];
  for (let w = 0; w < weeks; w++) {
    const days = WEEKDAYS.map((weekday, i) => {
      const date = addDays(start, w * 7 + i);
      const workout = BY_WEEKDAY[weekday];
      return { date, weekday, workouts: workout ? [{ ...workout, key: `${date}#0` }] : [] };
    });
    const all = days.flatMap((d) => d.workouts);
    planWeeks.push({
      week: w + 1,
      phase: 'base',
      targetTss: 220,
      plannedTss: all.reduce((s, x) => s + x.tss, 0),
      hours: all.reduce((s, x) => s + x.durationMinutes, 0) / 60,
      days,
    });
  }
  return { startDate: start, weeks: planWeeks };
}

export const PLAN_INPUT: PlanInput = {
  ftp: FTP,
  weeklyHours: 4,
  trainingDays: ['tue', 'thu', 'sat'],
  planWeeks: 4,
  startDate: '2026-03-02',
  fitness: { ctl: 40 },
};

/** A stored-like version: `createdAt` as given. */
export function version(n: number, plan: Plan, createdAt: string, reason: string, changes: PlanVersion['changes']): PlanVersion {
  return { version: n, createdAt: new Date(createdAt), reason, changes, plan, ftp: FTP, sourceRunId: null, input: PLAN_INPUT };
}

/** Work intervals at 90 % FTP (sweet spot range 88–93 %) with the given verdicts. */
export function intervals(verdicts: readonly IntervalResult['verdict'][]): IntervalResult[] {
  return verdicts.map((verdict, index) => {
    const percent = verdict === 'hit' ? 90 : verdict === 'over' ? 96 : 84;
    const found = verdict !== 'missed';
    return {
      index,
      percentFtp: 90,
      targetLowPercent: 88,
      targetHighPercent: 93,
      targetLow: Math.round((88 * FTP) / 100),
      targetHigh: Math.round((93 * FTP) / 100),
      plannedSeconds: 600,
      startSeconds: found ? 600 + index * 900 : null,
      seconds: !found ? 0 : verdict === 'short' ? 420 : 600,
      avgPower: found ? Math.round((percent * FTP) / 100) : null,
      avgPercentFtp: found ? percent : null,
      verdict,
    };
  });
}

export interface MatchSpec {
  activityId: string;
  /** The planned workout's date (its key is `${date}#0`); for an extra ride, the ride's date. */
  date: string;
  status: WorkoutMatch['status'];
  doneTss: number;
  verdicts?: IntervalResult['verdict'][];
  rideDate?: string;
  workoutName?: string | null;
}

export function match(spec: MatchSpec): WorkoutMatch {
  const extra = spec.status === 'extra';
  return {
    activityId: spec.activityId,
    workoutKey: extra ? null : `${spec.date}#0`,
    date: spec.date,
    rideDate: spec.rideDate ?? spec.date,
    status: spec.status,
    workoutName: spec.workoutName !== undefined ? spec.workoutName : extra ? null : 'Planned workout',
    ftp: FTP,
    session: {
      plannedMinutes: extra ? 0 : 60,
      doneMinutes: 60,
      plannedTss: extra ? 0 : 60,
      doneTss: spec.doneTss,
      plannedIf: extra ? 0 : 0.8,
      doneIf: 0.78,
    },
    intervals: intervals(spec.verdicts ?? []),
  };
}
