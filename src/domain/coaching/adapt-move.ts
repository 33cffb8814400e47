/**
 * Moving a workout to a free day of its week: a training day from `from` on without a workout,
 * before the plan's final event and away from other events (see nearEvent), earliest first; first where the plan rules hold as they are, then where they
 * hold with later weeks lowered. The moved workout keeps its key and records where it was.
 */
import { daysBetween } from '../calendar.js';
import type { PlanRules } from '../plan/periodization.js';
import type { Plan } from '../plan/types.js';
import { dayName, findByKey, workoutChange, workoutLabel, type Draft } from './adapt-draft.js';

/** An event's day, the day after it, or the 2 days before an A or B event: no key session goes there. */
function nearEvent(rules: PlanRules, date: string): boolean {
  return rules.events.some((e) => {
    const before = daysBetween(date, e.date);
    return before >= -1 && before <= (e.priority === 'C' ? 0 : 2);
  });
}

/** Free days of the key's week from `from` on, earliest first (day indices). */
function freeDays(draft: Draft, key: string, from: string): number[] {
  const { input, rules } = draft.ctx;
  const p = findByKey(draft.plan, key)!;
  return p.week.days
    .map((day, i) => ({ day, i }))
    .filter(({ day }) => day.date >= from && day.workouts.length === 0 && input.trainingDays.includes(day.weekday))
    .filter(({ day }) => (rules.eventDate === null || day.date < rules.eventDate) && !nearEvent(rules, day.date))
    .map(({ i }) => i);
}

function moveTo(draft: Draft, key: string, dayIndex: number, why: string, holdRamp: boolean): boolean {
  const made = draft.attempt((plan: Plan) => {
    const p = findByKey(plan, key)!;
    const target = p.week.days[dayIndex]!;
    p.day.workouts.splice(p.slot, 1);
    const text = `${workoutLabel(p)} moved to ${dayName(target.weekday)}: ${why}.`;
    target.workouts.push({ ...p.workout, movedFrom: p.workout.movedFrom ?? p.day.date, note: text });
    return [workoutChange('moved', { day: target, workout: p.workout }, text)];
  }, holdRamp);
  return made !== null;
}

/**
 * Moves the workout to the first free day of its week from `from` on that keeps the plan rules
 * (a workout already moved once stays put); the new day's name, or null when none does.
 */
export function moveWithinWeek(draft: Draft, key: string, from: string, why: string): string | null {
  const p = findByKey(draft.plan, key);
  if (!p || p.workout.movedFrom !== undefined) return null;
  const days = freeDays(draft, key, from);
  const moved = days.find((d) => moveTo(draft, key, d, why, false)) ?? days.find((d) => moveTo(draft, key, d, why, true));
  return moved === undefined ? null : dayName(p.week.days[moved]!.weekday);
}
