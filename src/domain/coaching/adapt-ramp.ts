/**
 * After a change, the weeks that follow must still keep the plan's load rules: the predicted
 * fitness (CTL, from the planned daily TSS) may rise by at most the ramp cap over any 7 days, and a
 * recovery week stays 30–50 % lighter than the week before. Load taken out now leaves fitness
 * lower than planned, so a later week written for the higher fitness would ramp too fast; such a
 * week is lowered just enough (its easy rides shortened first, see adapt-reduce.ts), week by week
 * from the current one. Past and ridden workouts are never changed. This week's and next week's
 * changes are stated one by one; the weeks after are summed up in one change (each workout changed
 * still carries its note), as one dropped session can lower every later load week a little.
 */
import { RECOVERY_MAX_FACTOR } from '../plan/periodization.js';
import { rollingCtlRamps } from '../plan/predicted-pmc.js';
import type { Plan } from '../plan/types.js';
import { isOpen, placedWorkouts, retotal, type AdaptContext } from './adapt-draft.js';
import { reduce } from './adapt-reduce.js';
import type { PlanChange } from './types.js';

/** TSS that raise CTL by one point over a 7-day window (as the generator counts them). */
const TSS_PER_CTL_POINT = 1 / (1 - Math.exp(-1 / 42));
const MAX_ROUNDS = 6;

/** What a week needs taken out, from which days, and why. */
interface Problem {
  tss: number;
  from: string;
  to: string;
  why: string;
}

/** The steepest 7-day window ending in week `index` above the cap, as TSS to take out of it. */
function rampProblem(plan: Plan, index: number, ctx: AdaptContext): Problem | null {
  const week = plan.weeks[index]!;
  const first = week.days[0]!.date;
  const cap = ctx.rules.rampCap;
  const worst = rollingCtlRamps({ weeks: plan.weeks.slice(0, index + 1) }, ctx.input.fitness)
    .filter((w) => w.to >= first && w.ramp > cap - 1e-6)
    .reduce<{ ramp: number; from: string; to: string } | null>((m, w) => (m === null || w.ramp > m.ramp ? w : m), null);
  if (worst === null) return null;
  return {
    tss: (worst.ramp - cap) * TSS_PER_CTL_POINT * 1.15 + 2,
    from: worst.from,
    to: worst.to,
    why: `week ${week.week} lowered so that fitness (CTL) rises by at most ${cap} in any 7 days`,
  };
}

/** A change and the index of the week it is about. */
interface WeekChange {
  index: number;
  change: PlanChange;
}

/** A recovery week lighter than the (lowered) week before: its target first, then what its workouts exceed. */
function recoveryProblem(plan: Plan, index: number, changes: WeekChange[]): Problem | null {
  const week = plan.weeks[index]!;
  const previous = plan.weeks[index - 1];
  if (week.phase !== 'recovery' || !previous) return null;
  const maxTarget = Math.floor(RECOVERY_MAX_FACTOR * previous.targetTss);
  if (week.targetTss > maxTarget) {
    changes.push({
      index,
      change: {
        kind: 'lowered',
        text: `Week ${week.week}'s target lowered from ${week.targetTss} to ${maxTarget} TSS: a recovery week stays at least 30 % lighter than the week before.`,
      },
    });
    week.targetTss = maxTarget;
  }
  const allowed = Math.min(1.1 * week.targetTss, RECOVERY_MAX_FACTOR * previous.plannedTss);
  if (week.plannedTss <= allowed) return null;
  return {
    tss: week.plannedTss - allowed + 1,
    from: week.days[0]!.date,
    to: week.days[6]!.date,
    why: `week ${week.week} is a recovery week and stays at least 30 % lighter than the week before`,
  };
}

/**
 * Lowers the weeks from the current one on until none breaks the ramp or recovery rule, leaving
 * the workouts of `keep` alone; the changes made, or null when a week cannot be lowered enough
 * (nothing open left in the window).
 */
export function holdRamp(plan: Plan, ctx: AdaptContext, keep: ReadonlySet<string> = new Set()): PlanChange[] | null {
  const changes: WeekChange[] = [];
  const before = plan.weeks.map((w) => w.plannedTss);
  for (let index = Math.max(0, ctx.currentWeek); index < plan.weeks.length; index++) {
    for (let round = 0; ; round++) {
      const problem = recoveryProblem(plan, index, changes) ?? rampProblem(plan, index, ctx);
      if (problem === null) break;
      if (round >= MAX_ROUNDS) return null;
      const inWindow = placedWorkouts(plan).filter(
        (p) => isOpen(ctx, p) && !keep.has(p.workout.key ?? '') && p.day.date >= problem.from && p.day.date <= problem.to,
      );
      // a recovery week keeps its floor best when the load week before gives first
      const before = inWindow.filter((p) => p.weekIndex < index);
      const slots = plan.weeks[index]!.phase === 'recovery' && before.length > 0 && round % 2 === 0 ? before : inWindow;
      const { changes: made, removed } = reduce(plan, { slots, amount: problem.tss, measure: 'tss', why: problem.why });
      if (removed <= 0) return null;
      for (const week of new Set(slots.map((s) => s.week))) retotal(week);
      const weekIndex = (date: string) => slots.find((s) => s.day.date === date)?.weekIndex ?? index;
      changes.push(...made.map((change) => ({ index: weekIndex(change.date!), change })));
    }
  }
  return summarized(plan, ctx, before, changes);
}

/** This week's and next week's changes one by one, the later weeks' in one. */
function summarized(plan: Plan, ctx: AdaptContext, before: readonly number[], changes: readonly WeekChange[]): PlanChange[] {
  const near = (c: WeekChange): boolean => c.index <= ctx.currentWeek + 1;
  const far = changes.filter((c) => !near(c));
  const out = changes.filter(near).map((c) => c.change);
  if (far.length === 0) return out;
  const weeks = [...new Set(far.map((c) => c.index))].sort((a, b) => a - b);
  const lowered = weeks.map((i) => Math.max(0, Math.round(before[i]! - plan.weeks[i]!.plannedTss)));
  const [low, high] = [Math.min(...lowered), Math.max(...lowered)];
  const tss = low === high ? `${low} TSS` : `${low}–${high} TSS`;
  const workouts = far.filter((c) => c.change.workoutKey !== undefined).length;
  const which = weeks.length === 1 ? `Week ${weeks[0]! + 1}` : `Weeks ${weeks.map((i) => i + 1).join(', ')}`;
  out.push({
    kind: 'lowered',
    text: `${which} lowered by ${tss}${weeks.length === 1 ? '' : ' each'} (${workouts} workout${workouts === 1 ? '' : 's'} shortened or dropped) so that fitness (CTL) rises by at most ${ctx.rules.rampCap} in any 7 days and recovery weeks stay lighter.`,
  });
  return out;
}
