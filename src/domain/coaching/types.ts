/**
 * The coaching loop's model: the athlete's current plan as versions, each ride matched to a planned
 * workout with its compliance, the changes an adaptation makes (each with its reason), events with
 * priorities and the weekly check-in. Pure data; the modules beside this one compute it.
 */
import type { Weekday } from '../calendar.js';
import type { Plan, PlanInput } from '../plan/types.js';
import type { ScheduledMessageSettings } from '../reminder-schedule.js';

/** A workout's state in `plan status` and /plan: ✓ done, ◐ partial, ✗ missed, ↻ moved, + extra. */
export const WORKOUT_STATES = ['planned', 'done', 'partial', 'missed', 'moved', 'extra'] as const;
export type WorkoutState = (typeof WORKOUT_STATES)[number];

/** How one work interval of the plan was ridden. Watts; `seconds` is how long it was held (0: not found). */
export interface IntervalResult {
  /** 0-based among the workout's work intervals. */
  index: number;
  /** The planned % FTP and its target range, % FTP and watts at the FTP of the match. */
  percentFtp: number;
  targetLowPercent: number;
  targetHighPercent: number;
  targetLow: number;
  targetHigh: number;
  plannedSeconds: number;
  /** Seconds from the start of the ride's stream where the interval was found; null when not found. */
  startSeconds: number | null;
  seconds: number;
  /** Average power over the found segment, W (rounded); null when not found. */
  avgPower: number | null;
  /** avgPower as % FTP (rounded); null when not found. */
  avgPercentFtp: number | null;
  verdict: 'hit' | 'under' | 'over' | 'short' | 'missed';
}

/** The session level: planned against done. */
export interface SessionCompliance {
  plannedMinutes: number;
  doneMinutes: number;
  plannedTss: number;
  doneTss: number;
  plannedIf: number;
  doneIf: number | null;
}

/** A ride matched to the plan (or not: `workoutKey` null, status `extra`). */
export interface WorkoutMatch {
  activityId: string;
  /** The plan slot's key (`PlannedWorkout.key`); null for an extra ride. */
  workoutKey: string | null;
  /** The planned workout's date, or the ride's own date for an extra ride. */
  date: string;
  /** The ride's local date. */
  rideDate: string;
  status: 'done' | 'partial' | 'extra';
  workoutName: string | null;
  /** The FTP the targets were computed from. */
  ftp: number;
  session: SessionCompliance;
  intervals: IntervalResult[];
}

/** What one adaptation changed, in the athlete's words. */
export interface PlanChange {
  kind: 'new-plan' | 'moved' | 'dropped' | 'lowered' | 'eased' | 'recovery' | 'ftp' | 'events' | 'less-time';
  /** The day concerned, if one. */
  date?: string | undefined;
  workoutKey?: string | undefined;
  /** The workout was missed (its day passed without a ride) before this change moved or dropped it. */
  missed?: boolean | undefined;
  /** What changed and why, one sentence: "Thursday's Threshold 2×10 moved to Saturday: missed on Thursday." */
  text: string;
}

/** One version of the athlete's current plan. Version 1 is the plan an analysis made. */
export interface PlanVersion {
  version: number;
  createdAt: Date;
  /** Why this version exists, one line: "New analysis", "Missed Tuesday's key session", "Ill (message)". */
  reason: string;
  changes: PlanChange[];
  /** The plan, every workout carrying a unique `key`. */
  plan: Plan;
  /** The FTP the plan's watts are computed from. */
  ftp: number;
  /** The analysis run the plan came from (version 1 and new analyses); null for adaptations. */
  sourceRunId: string | null;
  /** What the plan was generated from: the validator re-checks every adapted version against it. */
  input: PlanInput;
}

export const EVENT_PRIORITIES = ['A', 'B', 'C'] as const;
export type EventPriority = (typeof EVENT_PRIORITIES)[number];

export interface AthleteEvent {
  id: string;
  /** YYYY-MM-DD */
  date: string;
  priority: EventPriority;
  name: string;
}

/** The weekly check-in's settings (default Monday 08:00 in the athlete's zone). */
export interface CheckinSettings extends ScheduledMessageSettings {
  weekday: Weekday;
}
