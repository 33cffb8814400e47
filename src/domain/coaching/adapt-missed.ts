/**
 * Missed key sessions (a hard or moderate workout whose day has passed with no ride matched to
 * it): moved to a free day of the same week when the plan rules allow, else dropped with the
 * week's target lowered, else — when even that would break a rule — left as missed with a note.
 * A free day is a training day from today on (tomorrow when a ride was ridden today) without a
 * workout, before the final event and away from other events (adapt-move.ts).
 * A workout is moved once: missed again on its new day, it is dropped.
 */
import type { Plan } from '../plan/types.js';
import { dayName, findByKey, placedWorkouts, retotal, workoutChange, workoutLabel, type Draft } from './adapt-draft.js';
import { moveWithinWeek } from './adapt-move.js';

/** The note a missed session left in place carries; such a session is not looked at again. */
const KEPT_NOTE = 'Missed, not made up:';

/** Missed key sessions, oldest first, that no earlier adaptation dealt with. */
function missedKeySessions(draft: Draft): string[] {
  const { today, matched } = draft.ctx;
  return placedWorkouts(draft.plan)
    .filter(({ day, workout: w }) => day.date < today && w.key !== undefined && !matched.has(w.key))
    .filter(({ workout: w }) => w.intensity !== 'easy' && !(w.note ?? '').startsWith(KEPT_NOTE))
    .map((p) => p.workout.key!);
}

function drop(draft: Draft, key: string): boolean {
  const label = workoutLabel(findByKey(draft.plan, key)!);
  const made = draft.attempt((plan: Plan) => {
    const p = findByKey(plan, key)!;
    p.day.workouts.splice(p.slot, 1);
    const before = retotal(p.week);
    const target = before === null ? '' : `; week ${p.week.week}'s target lowered from ${before} to ${p.week.targetTss} TSS`;
    const why = p.workout.movedFrom ? 'missed again after it was moved' : 'you missed it and no free day this week keeps the plan rules';
    return [{ ...workoutChange('dropped', p, `${workoutLabel(p)} dropped: ${why}${target}.`), missed: true }];
  });
  if (made === null) return false;
  draft.reasons.push(`Missed ${label}: dropped`);
  return true;
}

function keep(draft: Draft, key: string): void {
  const label = workoutLabel(findByKey(draft.plan, key)!);
  draft.attempt((plan: Plan) => {
    const p = findByKey(plan, key)!;
    const text = `${workoutLabel(p)} missed, not made up: no free day this week keeps the plan rules.`;
    p.day.workouts[p.slot] = { ...p.workout, note: `${KEPT_NOTE} no free day this week kept the plan rules.` };
    return [workoutChange('dropped', p, text)];
  }, false);
  draft.reasons.push(`Missed ${label}`);
}

/** Moves, drops or notes every missed key session (see the module comment). */
export function handleMissed(draft: Draft): void {
  for (const key of missedKeySessions(draft)) {
    const p = findByKey(draft.plan, key)!;
    const label = workoutLabel(p);
    const moved = moveWithinWeek(draft, key, draft.ctx.firstFreeDay, `you missed it on ${dayName(p.day.weekday)}`);
    if (moved !== null) draft.reasons.push(`Missed ${label}: moved to ${moved}`);
    else if (!drop(draft, key)) keep(draft, key);
  }
}
