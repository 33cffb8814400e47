/**
 * Rides beyond the plan this week — extra rides, and planned rides done more than 15 % above their
 * TSS — lower the rest of the week so that its load stays near the week's target: the open
 * workouts lose what the week would otherwise carry above its target (at most the extra load),
 * easy rides shortened first (adapt-reduce.ts). The week's notes keep how much extra load was
 * already answered ("Rides beyond the plan: 120 TSS …"), so a ride is answered once.
 */
import { roundHalfUp } from '../numbers.js';
import type { Plan, PlanWeek } from '../plan/types.js';
import { dayName, isOpen, placedWorkouts, retotal, type Draft } from './adapt-draft.js';
import { reduce } from './adapt-reduce.js';
import type { WorkoutStatus } from './plan-state.js';

/** Done TSS above this share of the planned TSS makes a ride harder than planned. */
const HARDER_THAN_PLANNED = 1.15;
const NOTE = /^Rides beyond the plan: (\d+) TSS/;
/** Extra load below max(this, 5 % of the week's target) changes nothing. */
const MIN_EXTRA_TSS = 20;
const MIN_CHANGE_TSS = 10;

interface Source {
  text: string;
  excess: number;
}

function sources(statuses: readonly WorkoutStatus[]): Source[] {
  const out: Source[] = [];
  for (const s of statuses) {
    const done = s.match?.session.doneTss ?? 0;
    if (s.state === 'extra') out.push({ text: `${dayName(s.weekday)}'s extra ride already brought ${Math.round(done)} TSS`, excess: done });
    else if (s.match && done > HARDER_THAN_PLANNED * s.match.session.plannedTss) {
      const over = done - s.match.session.plannedTss;
      out.push({
        text: `${dayName(s.weekday)}'s ${s.name} brought ${Math.round(done)} TSS, ${Math.round(over)} more than planned`,
        excess: over,
      });
    }
  }
  return out;
}

const answered = (week: PlanWeek): number => (week.notes ?? []).reduce((sum, n) => sum + Number(NOTE.exec(n)?.[1] ?? 0), 0);

function why(list: readonly Source[], total: number): string {
  if (list.length === 1) return list[0]!.text;
  return `rides beyond the plan already brought ${Math.round(total)} TSS this week`;
}

/** Lowers the rest of the current week for the extra load not yet answered (see the module comment). */
export function handleExtraLoad(draft: Draft, statuses: readonly WorkoutStatus[]): void {
  const { ctx } = draft;
  const index = ctx.currentWeek;
  const week = draft.plan.weeks[index];
  if (!week) return;
  const thisWeek = statuses.filter((s) => s.week === index + 1 && s.date <= ctx.today);
  const list = sources(thisWeek);
  const excess = list.reduce((s, x) => s + x.excess, 0);
  const fresh = Math.round(excess - answered(week));
  if (fresh < Math.max(MIN_EXTRA_TSS, 0.05 * week.targetTss)) return;
  const actual = thisWeek.reduce((s, x) => s + (x.match?.session.doneTss ?? 0), 0);
  const open = (plan: Plan) => placedWorkouts(plan).filter((p) => p.weekIndex === index && isOpen(ctx, p));
  const remaining = open(draft.plan).reduce((s, p) => s + p.workout.tss, 0);
  const amount = Math.min(fresh, actual + remaining - week.targetTss);
  if (amount < MIN_CHANGE_TSS) return;
  const reason = why(list, excess);
  for (const share of [1, 0.5]) {
    const made = draft.attempt((plan) => {
      const { changes, removed } = reduce(plan, { slots: open(plan), amount: amount * share, measure: 'tss', why: reason });
      const target = plan.weeks[index]!;
      retotal(target);
      target.notes = [
        ...(target.notes ?? []),
        `Rides beyond the plan: ${fresh} TSS; the rest of the week lowered by ${roundHalfUp(removed, 0)} TSS.`,
      ];
      return changes;
    });
    if (made !== null) {
      draft.reasons.push(`Rides beyond the plan (${fresh} TSS): rest of the week lowered`);
      return;
    }
  }
}
