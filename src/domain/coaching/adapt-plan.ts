/**
 * The adaptation engine: from the athlete's current plan version, the rides matched to it, today
 * and a signal, the next plan — every change stated with its reason, the result re-checked by the
 * plan validator. Pure: no clock (today is passed in), no I/O.
 *
 * Each run brings the plan up to date whatever the signal, in this order:
 * 1. missed key sessions move to a free day of their week, else drop (adapt-missed.ts);
 * 2. the signal: ill / tired / travelling → easy days or rest (adapt-ease.ts), less time → the
 *    rest of the week fits the hours (adapt-time.ts), a new FTP → the new watts (adapt-ftp.ts);
 * 3. rides beyond the plan lower the rest of the week (adapt-load.ts);
 * 4. form below −30 TSB inserts easy days (adapt-ease.ts).
 * Every change is tried on a copy and kept only when the whole plan still passes validatePlan
 * (later weeks lowered where the fitness ramp needs it, adapt-ramp.ts); a change that cannot be
 * made valid is made smaller or left out. Past days are never changed, except that a missed
 * session leaves its day when it is moved or dropped; ridden workouts are never changed.
 */
import type { Plan, PlanInput } from '../plan/types.js';
import { adaptContext, Draft } from './adapt-draft.js';
import { handleFatigue, handleUnwell } from './adapt-ease.js';
import { handleNewFtp } from './adapt-ftp.js';
import { handleExtraLoad } from './adapt-load.js';
import { handleMissed } from './adapt-missed.js';
import { holdRamp } from './adapt-ramp.js';
import { handleLessTime } from './adapt-time.js';
import { withWorkoutKeys } from './plan-keys.js';
import { workoutStatuses } from './plan-state.js';
import type { PlanChange, PlanVersion, WorkoutMatch } from './types.js';

export type CoachSignal =
  /** After new rides were matched (the matches include them). */
  | { kind: 'rides' }
  /** The athlete said so (button or free text). */
  | { kind: 'unwell'; reason: 'ill' | 'tired' | 'travel'; days?: number }
  /** This week only: the hours left for the rest of the week. */
  | { kind: 'less-time'; hours: number }
  /** A new FTP: targets in watts rescale, and the changes say so. */
  | { kind: 'ftp'; ftp: number; previousFtp: number };

export interface AdaptInput {
  version: PlanVersion;
  matches: readonly WorkoutMatch[];
  /** YYYY-MM-DD in the athlete's zone. */
  today: string;
  /** The input the plan is validated against. */
  planInput: PlanInput;
  fitness: { ctl: number; atl: number };
  signal: CoachSignal;
}

export interface Adaptation {
  plan: Plan;
  changes: PlanChange[];
  /** One short line for /plan history. */
  reason: string;
}

/** The next plan, or null when nothing changes (see the module comment). */
export function adaptPlan(input: AdaptInput): Adaptation | null {
  const plan = withWorkoutKeys(input.version.plan);
  const statuses = workoutStatuses(plan, input.matches, input.today);
  const matched = new Set(statuses.filter((s) => s.state === 'done' || s.state === 'partial').map((s) => s.key));
  const rodeToday = input.matches.some((m) => m.rideDate === input.today);
  const ctx = adaptContext(plan, input.planInput, input.today, matched, rodeToday);
  if (ctx.currentWeek >= plan.weeks.length) return null;
  const draft = new Draft(plan, ctx, ctx.baseline === null ? holdRamp : () => []);
  handleMissed(draft);
  const { signal } = input;
  if (signal.kind === 'unwell') handleUnwell(draft, signal.reason, signal.days);
  else if (signal.kind === 'less-time') handleLessTime(draft, signal.hours);
  else if (signal.kind === 'ftp' && signal.ftp !== signal.previousFtp) handleNewFtp(draft, signal.ftp, signal.previousFtp);
  handleExtraLoad(draft, statuses);
  handleFatigue(draft, input.fitness);
  if (draft.changes.length === 0) return null;
  return { plan: draft.plan, changes: draft.changes, reason: draft.reasons.join('; ') };
}
