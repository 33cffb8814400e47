/**
 * Workout keys: what rides are matched to. A plan adopted as the athlete's current plan gives every
 * workout the key `${date}#${slot}` (slot = its index in the day's workouts); a workout keeps its
 * key when an adaptation moves it, so a key names a session, not a day.
 */
import type { Plan } from '../plan/types.js';

/** The plan with a key on every workout lacking one (a copy; workouts that have a key keep it). */
export function withWorkoutKeys(plan: Plan): Plan {
  const used = new Set(plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((x) => x.key).filter((k) => k !== undefined))));
  const fresh = (date: string, slot: number): string => {
    let key = `${date}#${slot}`;
    for (let n = 2; used.has(key); n++) key = `${date}#${slot}.${n}`;
    used.add(key);
    return key;
  };
  return {
    ...plan,
    weeks: plan.weeks.map((week) => ({
      ...week,
      days: week.days.map((day) => ({
        ...day,
        workouts: day.workouts.map((w, slot) => (w.key !== undefined ? { ...w } : { ...w, key: fresh(day.date, slot) })),
      })),
    })),
  };
}
