/**
 * The training plan model: structured workouts, planned days and weeks, the generator's input and
 * the violations the validator reports. Pure data; see generate-plan.ts and validate-plan.ts.
 */
import type { Weekday } from '../calendar.js';

export const WORKOUT_TYPES = ['recovery', 'endurance', 'tempo', 'sweetspot', 'threshold', 'vo2max', 'anaerobic', 'sprint'] as const;
export type WorkoutType = (typeof WORKOUT_TYPES)[number];

export const INTENSITIES = ['easy', 'moderate', 'hard'] as const;
export type Intensity = (typeof INTENSITIES)[number];

/** Recovery weeks are their own phase so that the JSON contract shows them without an extra key. */
export const PHASES = ['base', 'build', 'peak', 'taper', 'recovery'] as const;
export type Phase = (typeof PHASES)[number];

/** What a power-curve analysis can name as an athlete's limiter or strength. */
export const POWER_ABILITIES = ['sprint', 'anaerobic', 'vo2max', 'threshold', 'endurance'] as const;
export type PowerAbility = (typeof POWER_ABILITIES)[number];

/**
 * One step of a structured workout. Power targets are percent of FTP (90 = 90 % FTP), durations
 * whole seconds. `ramp` changes linearly from `fromPercentFtp` to `toPercentFtp`; `intervals`
 * repeats an on/off pair.
 */
export type WorkoutStep =
  | { kind: 'steady'; seconds: number; percentFtp: number }
  | { kind: 'ramp'; seconds: number; fromPercentFtp: number; toPercentFtp: number }
  | { kind: 'intervals'; repeat: number; on: { seconds: number; percentFtp: number }; off: { seconds: number; percentFtp: number } };

/** Duration, NP-based IF and TSS of a workout ridden exactly as written (see workout-metrics.ts). */
export interface WorkoutMetrics {
  durationSeconds: number;
  /** Normalized power of the 1 Hz trace, % FTP. */
  normalizedPercentFtp: number;
  /** IF = NP / FTP. */
  intensityFactor: number;
  /** TSS = hours × IF² × 100. */
  tss: number;
  intensity: Intensity;
}

/** A workout of the library: data (steps) plus the metrics computed from them. */
export interface Workout extends WorkoutMetrics {
  id: string;
  name: string;
  type: WorkoutType;
  steps: readonly WorkoutStep[];
  /** Compact text, e.g. "15 min warm-up 50→75 % FTP, 2×20 min @ 93–97 % FTP, 5 min easy between, …". */
  description: string;
}

/** A workout as it sits in a plan. `id` and `steps` are present for generated plans, optional in proposals. */
export interface PlannedWorkout {
  id?: string | undefined;
  name: string;
  type: WorkoutType;
  intensity: Intensity;
  durationMinutes: number;
  tss: number;
  intensityFactor: number;
  description?: string | undefined;
  steps?: WorkoutStep[] | undefined;
  /** Unique within the athlete's current plan (set when a plan is adopted, kept when it moves): what rides are matched to. */
  key?: string | undefined;
  /** The date it was planned on before an adaptation moved it. */
  movedFrom?: string | undefined;
  /** Why an adaptation changed it (lowered, eased), one sentence. */
  note?: string | undefined;
}

export interface PlanDay {
  /** YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** Empty: a rest day. */
  workouts: PlannedWorkout[];
}

export interface PlanWeek {
  /** 1-based. */
  week: number;
  phase: Phase;
  targetTss: number;
  /** Sum of the week's workouts' TSS. */
  plannedTss: number;
  /** Sum of the week's workout durations, hours. */
  hours: number;
  /** The hours the week is planned for (planned hours must be within ±10 % of it); absent in some proposals. */
  targetHours?: number | undefined;
  notes?: string[] | undefined;
  /** Always 7 days, Monday to Sunday. */
  days: PlanDay[];
}

export interface Plan {
  /** Monday of week 1. */
  startDate?: string | undefined;
  eventDate?: string | null | undefined;
  weeks: PlanWeek[];
  notes?: string[] | undefined;
}

/** The athlete's current fitness: PMC values and what the power curve says. */
export interface CurrentFitness {
  ctl: number;
  /** Default: equal to CTL (TSB 0). */
  atl?: number | null | undefined;
  limiters?: readonly PowerAbility[] | undefined;
  strengths?: readonly PowerAbility[] | undefined;
  /** Day of the latest ride (YYYY-MM-DD); a plan starting long after it opens with a return block. Unknown: no return block. */
  lastRideDate?: string | null | undefined;
}

/** Everything the generator and the validator need. No clock: the start date is passed in. */
export interface PlanInput {
  ftp: number;
  weeklyHours: number;
  trainingDays: readonly Weekday[];
  /** 4–24. Ignored when an A event is given: the plan then runs to the last A event's week. */
  planWeeks: number;
  /** YYYY-MM-DD: one A event (with `events`, one more). */
  eventDate?: string | null | undefined;
  /**
   * Events with priorities (see plan-events.ts): A peaks and tapers (the plan runs to the last A
   * event within 24 weeks), B gets a short taper, C is trained through. Events before the start or
   * beyond the plan are left out.
   */
  events?: readonly { date: string; priority: 'A' | 'B' | 'C'; name: string }[] | undefined;
  /** YYYY-MM-DD; snapped forward to a Monday. */
  startDate: string;
  goals?: string | null | undefined;
  /** Athletes of 50 and over get a recovery week every 3rd week instead of every 4th. */
  age?: number | null | undefined;
  athleteName?: string | null | undefined;
  fitness: CurrentFitness;
}

export const VIOLATION_CODES = [
  'schema',
  'input',
  'structure',
  'over-hours',
  'hours-off-target',
  'non-training-day',
  'no-rest-day',
  'too-many-hard-days',
  'consecutive-hard-days',
  'ramp-too-steep',
  'tss-off-target',
  'totals-mismatch',
  'workout-mismatch',
  'recovery-not-lighter',
  'missing-recovery-week',
  'phase-order',
  'event-week',
  'after-event',
  'repeated-workout',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface PlanViolation {
  code: ViolationCode;
  /** Names the week and day concerned and what to change. */
  message: string;
  week?: number | undefined;
  date?: string | undefined;
}
