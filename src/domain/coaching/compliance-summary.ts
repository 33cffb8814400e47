/**
 * How well the athlete followed the current plan so far, for the reports' compliance section:
 * planned against done TSS per plan week up to today, the sessions done, partial and missed, the
 * work intervals on target (overall and per workout type) and the adaptations with their reasons.
 *
 * - Planned: the current version's weekly `plannedTss` (the whole week, also for the week in
 *   progress), and `plannedToDateTss`, the workouts dated up to today.
 * - Done: the session TSS (`match.session.doneTss`) of every ride matched to one of the week's
 *   workouts (placed on the workout's date in the current plan, found by its key) plus the extra
 *   rides of that week (on their own date). As in plan-state.ts, a ride matched to a key the plan
 *   no longer holds counts as extra.
 * - Interval hit rate: work intervals judged `hit` over all work intervals of the matched sessions
 *   (done and partial; extra rides have no planned intervals), per workout type too.
 * - Adaptations: the versions after the one that made the current plan (the newest `new-plan`
 *   version, else version 1), newest first.
 * Pure: the caller passes today (the athlete's local date) and the zone the versions are dated in.
 */
import { zonedDate } from '../calendar.js';
import { round } from '../numbers.js';
import { WORKOUT_TYPES, type Plan, type PlannedWorkout, type WorkoutType } from '../plan/types.js';
import type { PlanVersion, WorkoutMatch, WorkoutState } from './types.js';

export interface ComplianceWeek {
  week: number;
  /** Monday of the plan week, YYYY-MM-DD. */
  start: string;
  plannedTss: number;
  /** The TSS of the week's workouts dated up to today (the whole week once it is over). */
  plannedToDateTss: number;
  /** Session TSS of the rides counted in the week (matched and extra), whole. */
  doneTss: number;
  /** Of which extra rides. */
  extraTss: number;
  rides: number;
  /** The week holds today: still in progress. */
  current: boolean;
}

export interface HitRate {
  hit: number;
  total: number;
  /** Whole %; null when there are no work intervals. */
  percent: number | null;
}

export interface AdaptationEntry {
  version: number;
  /** When the version was made, in the athlete's zone. */
  date: string;
  reason: string;
  changes: string[];
}

export interface ComplianceSummary {
  /** The current version's number and the plan's first Monday. */
  planVersion: number;
  planStart: string;
  today: string;
  /** Plan weeks from the first up to the one holding today (none before the plan starts). */
  weeks: ComplianceWeek[];
  /** Rides counted (matched and extra) in those weeks. */
  matchedRides: number;
  /** Planned workouts up to today by state; `extra` counts the unplanned rides. */
  sessions: { planned: number; done: number; partial: number; missed: number; extra: number };
  intervals: HitRate & { byType: (HitRate & { type: WorkoutType })[] };
  adaptations: AdaptationEntry[];
}

/** What the summary needs of a workout's state (plan-state.ts `WorkoutStatus` fits). */
export interface StateOfWorkout {
  date: string;
  state: WorkoutState;
}

export interface ComplianceInput {
  /** Every version of the athlete's plan, oldest first; the newest is the current plan. */
  versions: readonly PlanVersion[];
  matches: readonly WorkoutMatch[];
  /** Each planned workout's state (plan-state.ts `workoutStatuses` of the current plan). */
  statuses: readonly StateOfWorkout[];
  /** The athlete's local date, YYYY-MM-DD. */
  today: string;
  /** The athlete's time zone, for the versions' dates. */
  timeZone: string;
}

/** A ride where the summary counts it: on its workout's day (matched) or its own (extra). */
interface Placed {
  match: WorkoutMatch;
  date: string;
  /** The matched workout's type; null for an extra ride. */
  type: WorkoutType | null;
}

interface Located {
  workout: PlannedWorkout;
  date: string;
}

/** Every workout of a plan by its key (`${date}#${slot}` when it has none, as plan-state.ts), with its date. */
function keyedWorkouts(plan: Plan): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const week of plan.weeks)
    for (const day of week.days)
      day.workouts.forEach((workout, slot) => out.set(workout.key ?? `${day.date}#${slot}`, { workout, date: day.date }));
  return out;
}

/** The version that made the current plan: the newest with a `new-plan` change, else the first. */
function originIndex(versions: readonly PlanVersion[]): number {
  for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.changes.some((c) => c.kind === 'new-plan')) return i;
  return 0;
}

function hitRate(hit: number, total: number): HitRate {
  return { hit, total, percent: total > 0 ? Math.round((hit / total) * 100) : null };
}

/** The plan's weeks up to today, with the done TSS of the rides placed in each. */
function weeklyLoad(plan: Plan, counted: readonly Placed[], today: string): ComplianceWeek[] {
  const weeks: ComplianceWeek[] = [];
  for (const week of plan.weeks) {
    const start = week.days[0]?.date;
    const end = week.days.at(-1)?.date;
    if (!start || !end || start > today) continue;
    const inWeek = counted.filter((c) => c.date >= start && c.date <= end);
    const tss = (list: typeof inWeek) => round(list.reduce((s, c) => s + c.match.session.doneTss, 0));
    const plannedToDate = week.days.filter((d) => d.date <= today).flatMap((d) => d.workouts.map((w) => w.tss));
    weeks.push({
      week: week.week,
      start,
      plannedTss: week.plannedTss,
      plannedToDateTss: round(plannedToDate.reduce((s, t) => s + t, 0)),
      doneTss: tss(inWeek),
      extraTss: tss(inWeek.filter((c) => c.match.status === 'extra')),
      rides: inWeek.length,
      current: today <= end,
    });
  }
  return weeks;
}

/** Work intervals on target over all of the matched sessions', overall and per workout type (library order). */
function intervalHitRate(matched: readonly { match: WorkoutMatch; type: WorkoutType }[]): ComplianceSummary['intervals'] {
  const byType = new Map<WorkoutType, { hit: number; total: number }>();
  let hit = 0;
  let total = 0;
  for (const { match, type } of matched) {
    if (match.intervals.length === 0) continue;
    const hits = match.intervals.filter((i) => i.verdict === 'hit').length;
    const entry = byType.get(type) ?? { hit: 0, total: 0 };
    entry.hit += hits;
    entry.total += match.intervals.length;
    byType.set(type, entry);
    hit += hits;
    total += match.intervals.length;
  }
  return {
    ...hitRate(hit, total),
    byType: [...byType.entries()]
      .sort(([a], [b]) => WORKOUT_TYPES.indexOf(a) - WORKOUT_TYPES.indexOf(b))
      .map(([type, e]) => ({ type, ...hitRate(e.hit, e.total) })),
  };
}

function sessionCounts(statuses: readonly StateOfWorkout[], start: string, today: string, extra: number): ComplianceSummary['sessions'] {
  const due = statuses.filter(
    (s) => s.state !== 'extra' && s.date >= start && (s.date < today || (s.date === today && s.state !== 'planned' && s.state !== 'moved')),
  );
  const count = (state: WorkoutState) => due.filter((s) => s.state === state).length;
  return { planned: due.length, done: count('done'), partial: count('partial'), missed: count('missed'), extra };
}

/** The compliance of the current plan (the newest version); null without one. */
export function complianceSummary(input: ComplianceInput): ComplianceSummary | null {
  const { versions, today } = input;
  const current = versions.at(-1);
  const planStart = current?.plan.weeks[0]?.days[0]?.date;
  if (!current || !planStart) return null;
  const keyed = keyedWorkouts(current.plan);
  // as plan-state.ts: a ride matched to a key the plan no longer holds counts as extra
  const placed = input.matches.map((m) => {
    const planned = m.workoutKey !== null && m.status !== 'extra' ? keyed.get(m.workoutKey) : undefined;
    return { match: planned ? m : { ...m, status: 'extra' as const }, date: planned?.date ?? m.date, type: planned?.workout.type ?? null };
  });
  const weeks = weeklyLoad(current.plan, placed, today);
  // the rides of the weeks shown: from the plan's first day to the end of the week in progress
  const end = current.plan.weeks.find((w) => w.week === weeks.at(-1)?.week)?.days.at(-1)?.date ?? '';
  const counted = placed.filter((p) => p.date >= planStart && p.date <= end);
  return {
    planVersion: current.version,
    planStart,
    today,
    weeks,
    matchedRides: counted.length,
    sessions: sessionCounts(input.statuses, planStart, today, counted.filter((p) => p.match.status === 'extra').length),
    intervals: intervalHitRate(counted.flatMap((p) => (p.type !== null ? [{ match: p.match, type: p.type }] : []))),
    adaptations: versions
      .slice(originIndex(versions) + 1)
      .reverse()
      .map((v) => ({
        version: v.version,
        date: zonedDate(v.createdAt, input.timeZone),
        reason: v.reason,
        changes: v.changes.map((c) => c.text),
      })),
  };
}
