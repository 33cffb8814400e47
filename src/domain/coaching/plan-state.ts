/**
 * Each workout's state in the athlete's current plan, from the rides matched to it and the day it
 * is: done or partial (a ride matched it), missed (its day is past and no ride matched it), moved
 * (an adaptation moved it and it is still to ride), planned; rides matched to no workout are extras.
 */
import { daysBetween, weekdayOf, type Weekday } from '../calendar.js';
import type { Intensity, Plan, PlannedWorkout, WorkoutType } from '../plan/types.js';
import { classifyIntensity } from '../plan/workout-metrics.js';
import type { PlanVersion, WorkoutMatch, WorkoutState } from './types.js';

export interface WorkoutStatus {
  /** The workout's key; `extra:${activityId}` for an extra ride. */
  key: string;
  date: string;
  weekday: Weekday;
  /** 1-based week of the plan. */
  week: number;
  name: string;
  type: WorkoutType;
  intensity: Intensity;
  durationMinutes: number;
  tss: number;
  state: WorkoutState;
  movedFrom: string | null;
  note: string | null;
  match: WorkoutMatch | null;
}

/** The best ride matched to each key: a done ride over a partial one, then the later ride. */
function matchesByKey(matches: readonly WorkoutMatch[]): Map<string, WorkoutMatch> {
  const byKey = new Map<string, WorkoutMatch>();
  for (const m of matches) {
    if (m.workoutKey === null || m.status === 'extra') continue;
    const seen = byKey.get(m.workoutKey);
    const better = !seen || (m.status === 'done' && seen.status !== 'done') || (m.status === seen.status && m.rideDate > seen.rideDate);
    if (better) byKey.set(m.workoutKey, m);
  }
  return byKey;
}

/** What an unplanned ride trained, from its intensity factor (the zones of the workout library). */
function extraType(intensityFactor: number): WorkoutType {
  if (intensityFactor < 0.6) return 'recovery';
  if (intensityFactor < 0.76) return 'endurance';
  if (intensityFactor < 0.88) return 'tempo';
  if (intensityFactor < 0.94) return 'sweetspot';
  if (intensityFactor < 1.06) return 'threshold';
  return 'vo2max';
}

function extraStatus(m: WorkoutMatch, week: number): WorkoutStatus {
  const intensityFactor = m.session.doneIf ?? 0;
  const type = extraType(intensityFactor);
  return {
    key: `extra:${m.activityId}`,
    date: m.date,
    weekday: weekdayOf(m.date),
    week,
    name: m.workoutName ?? 'Extra ride',
    type,
    intensity: classifyIntensity(type, intensityFactor),
    durationMinutes: m.session.doneMinutes,
    tss: m.session.doneTss,
    state: 'extra',
    movedFrom: null,
    note: null,
    match: m,
  };
}

/** A workout an adaptation took out of the plan, as it stood on its day before, with the change that did it. */
export interface DroppedWorkout {
  workout: PlannedWorkout;
  date: string;
  week: number;
  /** Its day had passed without a ride when it was dropped. */
  missed: boolean;
  text: string;
}

/**
 * The workouts the adaptations since the plan was made (its newest `new-plan` or `events` version)
 * took out of it and the current plan no longer holds, the latest change per workout: a missed key
 * session dropped stays a missed session of its day, an eased-away one an adjusted day.
 */
export function droppedWorkouts(versions: readonly PlanVersion[]): DroppedWorkout[] {
  const current = versions.at(-1);
  if (!current) return [];
  const held = new Set(current.plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((x) => x.key))));
  const made = Math.max(
    versions.findLastIndex((v) => v.changes.some((c) => c.kind === 'new-plan' || c.kind === 'events')),
    0,
  );
  const gone = new Map<string, DroppedWorkout>();
  for (let i = made + 1; i < versions.length; i++) {
    for (const change of versions[i]!.changes) {
      if (!change.workoutKey || held.has(change.workoutKey)) continue;
      const before = placedIn(versions[i - 1]!.plan, change.workoutKey);
      if (before) gone.set(change.workoutKey, { ...before, missed: change.missed === true, text: change.text });
    }
  }
  return [...gone.values()];
}

function placedIn(plan: Plan, key: string): Omit<DroppedWorkout, 'missed' | 'text'> | null {
  for (const week of plan.weeks)
    for (const day of week.days) {
      const workout = day.workouts.find((w) => w.key === key);
      if (workout) return { workout, date: day.date, week: week.week };
    }
  return null;
}

function droppedStatus(d: DroppedWorkout): WorkoutStatus {
  const w = d.workout;
  return {
    key: w.key!,
    date: d.date,
    weekday: weekdayOf(d.date),
    week: d.week,
    name: w.name,
    type: w.type,
    intensity: w.intensity,
    durationMinutes: w.durationMinutes,
    tss: w.tss,
    state: d.missed ? 'missed' : 'moved',
    movedFrom: null,
    note: d.text,
    match: null,
  };
}

/**
 * The plan's workouts in date order (a day's in slot order), each with its state, and the extra
 * rides within the plan's days among them (after the day's planned workouts). A ride matched to a
 * key the plan no longer holds counts as extra. `dropped` (see droppedWorkouts) puts the workouts
 * adaptations took out back on their days: missed, or adjusted (`moved`, with the change's text).
 */
export function workoutStatuses(
  plan: Plan,
  matches: readonly WorkoutMatch[],
  today: string,
  dropped: readonly DroppedWorkout[] = [],
): WorkoutStatus[] {
  const byKey = matchesByKey(matches);
  const planned: WorkoutStatus[] = [];
  const keys = new Set<string>();
  for (const week of plan.weeks) {
    for (const day of week.days) {
      day.workouts.forEach((w, slot) => {
        const key = w.key ?? `${day.date}#${slot}`;
        keys.add(key);
        const match = byKey.get(key) ?? null;
        const state: WorkoutState =
          match !== null ? (match.status === 'done' ? 'done' : 'partial') : day.date < today ? 'missed' : w.movedFrom ? 'moved' : 'planned';
        planned.push({
          key,
          date: day.date,
          weekday: day.weekday,
          week: week.week,
          name: w.name,
          type: w.type,
          intensity: w.intensity,
          durationMinutes: w.durationMinutes,
          tss: w.tss,
          state,
          movedFrom: w.movedFrom ?? null,
          note: w.note ?? null,
          match,
        });
      });
    }
  }
  const first = plan.weeks[0]?.days[0]?.date;
  const last = plan.weeks[plan.weeks.length - 1]?.days[6]?.date;
  planned.push(...dropped.filter((d) => !keys.has(d.workout.key!)).map(droppedStatus));
  if (first === undefined || last === undefined) return planned;
  const extras = matches
    .filter((m) => (m.status === 'extra' || m.workoutKey === null || !keys.has(m.workoutKey)) && m.date >= first && m.date <= last)
    .map((m) => extraStatus(m, Math.floor(daysBetween(first, m.date) / 7) + 1));
  return [...planned, ...extras].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
