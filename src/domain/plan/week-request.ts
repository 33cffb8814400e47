/** What the plan generator asks of the workout selection for one week, and what it gets back (see select-workouts.ts). */
import type { Phase, PowerAbility, Workout } from './types.js';

export type DayRole = 'long' | 'hard' | 'moderate' | 'easy';

export interface WeekRequest {
  week: number;
  phase: Phase;
  targetTss: number;
  /** Lowest and highest acceptable TSS. */
  tssBand: [number, number];
  targetHours: number;
  /** The athlete's weekly hours. */
  maxHours: number;
  /** Weekday indices (0 = Monday) on which workouts may go. */
  availableDays: readonly number[];
  previousSundayHard: boolean;
  /** Workout id ridden on each weekday of the previous week. */
  previousWeekIds: readonly (string | null)[];
  /** Ids ridden in the last few weeks. */
  recentIds: ReadonlySet<string>;
  limiters: readonly PowerAbility[];
  strengths: readonly PowerAbility[];
  /** Turn easy days into moderate ones (time-crunched weeks; one day in a recovery week). */
  crunch?: boolean;
  /** Ignore the hours target (keep only the weekly-hours cap). */
  ignoreHoursTarget?: boolean;
  /** Weekday index of the event in the event week: no long ride that week, at most an hour the day before. */
  eventDay?: number | null;
  /** Weekday indices where the long ride may not go (the 2 days before a B event). */
  noLongDays?: readonly number[];
  /** Options per day and role, shared by the attempts on one week (they only differ in roles and bands). */
  cache?: Map<string, unknown>;
  /** Weekday indices that may hold easy rides only (recovery, endurance). */
  easyDays?: readonly number[];
}

export interface WeekSelection {
  /** Per weekday index, the chosen workout or null. */
  days: (Workout | null)[];
  roles: (DayRole | null)[];
  tss: number;
  minutes: number;
  feasible: boolean;
}
