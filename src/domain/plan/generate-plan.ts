/**
 * The plan generator: periodization (periodization.ts) decides each week's phase and target TSS,
 * the selection (select-workouts.ts) fills the week, and when the athlete's hours or days cannot
 * hold the target, the target is lowered to what they hold and the week says so; likewise when the
 * week would raise CTL by more than the ramp cap over some rolling 7 days. Its output always
 * passes validatePlan (the property tests check thousands of random athletes).
 *
 * The first days respect where the athlete is now (plan-start.ts):
 * - Return block: when the latest ride was more than RETURN_BLOCK_AFTER_DAYS before the plan
 *   starts, week 1 is a recovery-phase week of easy rides only (recovery, endurance), 65 % of a
 *   first load week's target.
 * - Fatigue: when form (TSB = CTL − ATL) is below FATIGUED_TSB at the start, every day holds easy
 *   rides only until the predicted PMC of the plan's own daily TSS shows TSB (form going into the
 *   day) above RECOVERED_TSB; hard and moderate sessions move to the days after.
 *
 * Events with priorities (A, B, C) shape the phases and weeks as plan-events.ts describes.
 *
 * This module lays out the phases and plans week after week (build-week.ts builds each one).
 */
import { WEEKDAYS } from '../calendar.js';
import { err, ok, type Result } from '../result.js';
import { planRules, taperFactors } from './periodization.js';
import { eventPlanNotes, phaseLayout } from './plan-events.js';
import { checkPlanInput } from './plan-input.js';
import { planStart } from './plan-start.js';
import { buildWeek, type PlanContext } from './build-week.js';
import type { Plan, PlanInput, PlanViolation } from './types.js';

/** The phase layout and where the athlete starts: what every week is planned from. */
export function planContext(input: PlanInput): PlanContext {
  const rules = planRules(input);
  const { phases, taperShares } = phaseLayout(rules);
  const start = planStart(input, rules);
  // the return block is the first week, as a recovery-phase week (easy only, lighter); the rhythm after it is unchanged
  // (an A event in week 1 keeps its taper week)
  if (start.returnBlock && phases[0] !== 'taper') phases[0] = 'recovery';
  // the final taper: the taper weeks that end the plan, back to the week of an earlier A event
  const earlierA = new Set(rules.events.filter((e) => e.priority === 'A' && e.week < rules.weeks).map((e) => e.week));
  let taperWeeks = 0;
  while (rules.eventDate !== null && phases[rules.weeks - 1 - taperWeeks] === 'taper' && !earlierA.has(rules.weeks - taperWeeks))
    taperWeeks++;
  return {
    input,
    rules,
    phases,
    taperWeeks,
    taperFactors: taperFactors(taperWeeks),
    taperShares,
    training: new Set(input.trainingDays.map((d) => WEEKDAYS.indexOf(d))),
    start,
    weeks: [],
    history: [],
  };
}

/** Generates the plan, or the input's problems. */
export function generatePlan(input: PlanInput): Result<Plan, PlanViolation[]> {
  const problems = checkPlanInput(input);
  if (problems.length > 0) return err(problems);
  const context = planContext(input);
  const { rules, weeks, history } = context;
  const planNotes: string[] = [];
  if (rules.eventDate !== null && input.planWeeks !== rules.weeks) {
    planNotes.push(`The event on ${rules.eventDate} sets the plan to ${rules.weeks} weeks, from ${rules.startDate} to the event's week.`);
  }
  planNotes.push(...eventPlanNotes(input, rules));
  // Week by week; when a recovery week cannot keep the ramp (its first days fall in 7-day windows
  // with the heavy end of the load week before), that load week is planned again 10 % lighter.
  const maxTargets: number[] = [];
  for (let week = 1; week <= rules.weeks;) {
    const made = buildWeek(context, week, maxTargets[week] ?? Infinity);
    if (made === null) {
      const before = weeks.pop()!;
      history.pop();
      maxTargets[week - 1] = Math.floor(before.targetTss * 0.9);
      week--;
      continue;
    }
    weeks.push(made.week);
    history.push(made.ids);
    week++;
  }
  return ok({ startDate: rules.startDate, eventDate: rules.eventDate, weeks, notes: planNotes });
}
