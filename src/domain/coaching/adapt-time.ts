/**
 * "Less time this week": the week's open workouts (today on, not ridden) fit the hours the athlete
 * has left. Endurance rides are shortened first, then the endurance added to sessions, then easy
 * rides dropped; key sessions go last (adapt-reduce.ts). When the plan rules cannot hold the whole
 * cut, as much of it as they hold is made, and the reason says so.
 */
import { isOpen, placedWorkouts, retotal, type Draft } from './adapt-draft.js';
import { reduce } from './adapt-reduce.js';

const fmtHours = (hours: number): string => `${Number(hours.toFixed(1))} h`;

/** Fits the rest of the current week into `hours`. */
export function handleLessTime(draft: Draft, hours: number): void {
  const { ctx } = draft;
  const index = ctx.currentWeek;
  if (!draft.plan.weeks[index]) return;
  const open = (plan: typeof draft.plan) => placedWorkouts(plan).filter((p) => p.weekIndex === index && isOpen(ctx, p));
  const minutes = open(draft.plan).reduce((s, p) => s + p.workout.durationMinutes, 0);
  const cut = minutes - Math.max(0, hours) * 60;
  if (cut <= 0.5) return;
  const why = `you have ${fmtHours(hours)} for the rest of this week`;
  for (const share of [1, 0.75, 0.5, 0.25]) {
    const made = draft.attempt((plan) => {
      const { changes } = reduce(plan, { slots: open(plan), amount: cut * share, measure: 'minutes', why, kind: 'less-time' });
      retotal(plan.weeks[index]!);
      return changes;
    });
    if (made !== null) {
      draft.reasons.push(`Less time this week: ${fmtHours(hours)}${share < 1 ? ' (fitted as far as the plan rules allow)' : ''}`);
      return;
    }
  }
}
