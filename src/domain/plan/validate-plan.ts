/**
 * The one place the plan rules are checked, for generated plans and for plans proposed or edited
 * elsewhere (an LLM's tool call): every violation is returned, each naming its week and day. The
 * rules themselves are the check-*.ts modules; this runs them in a fixed order.
 */
import { checkRampCeiling, checkRecoveryWeek, checkRollingRamp, checkTssTarget } from './check-load.js';
import { checkEvent, checkPhaseOrder, checkRecoveryRhythm, checkVariety } from './check-phases.js';
import { checkStructure, checkWorkoutNumbers } from './check-structure.js';
import {
  checkConsecutiveHardDays,
  checkHardDayCount,
  checkRestDay,
  checkTrainingDays,
  checkWeekHours,
  checkWeekTotals,
} from './check-weeks.js';
import { PlanCheck, type WeekCheck } from './plan-check.js';
import { checkPlanInput } from './plan-input.js';
import type { Plan, PlanInput, PlanViolation } from './types.js';

/** Checks of each week's days, in the order their violations are listed for a week. */
const DAY_CHECKS: readonly WeekCheck[] = [checkWeekTotals, checkWeekHours, checkTrainingDays, checkRestDay, checkHardDayCount];
/** Checks of each week's load. */
const LOAD_CHECKS: readonly WeekCheck[] = [checkRampCeiling, checkTssTarget, checkRecoveryWeek];

/**
 * Checks every rule and returns all violations (empty: the plan is acceptable):
 * structure (weeks of 7 consecutive days from the start Monday, 4–24 weeks), declared workout
 * numbers against their steps, week totals, hours (never above the athlete's weekly hours, within
 * ±10 % of the week's planned hours), training days only, a rest day every week, at most 3 hard
 * days and never two in a row (Sunday→Monday too), the CTL ramp (each week's target against the
 * ramp ceiling, and the predicted CTL over every rolling 7 days rising by at most the ramp cap, 5 or
 * 3 below CTL 30), TSS within ±10 % of target,
 * recovery weeks 30–50 % lighter (30–40 % by design) and no more than 3 load weeks in a row, phase order, the taper
 * ending on the event week, nothing after the event, and no workout repeated on the same weekday
 * in consecutive weeks.
 */
export function validatePlan(plan: Plan, input: PlanInput): PlanViolation[] {
  const inputProblems = checkPlanInput(input);
  if (inputProblems.length > 0) return inputProblems;
  const check = new PlanCheck(plan, input);
  checkStructure(check);
  checkWorkoutNumbers(check);
  plan.weeks.forEach((week, index) => DAY_CHECKS.forEach((rule) => rule(check, week, index)));
  checkConsecutiveHardDays(check);
  plan.weeks.forEach((week, index) => LOAD_CHECKS.forEach((rule) => rule(check, week, index)));
  checkRollingRamp(check);
  checkRecoveryRhythm(check);
  checkPhaseOrder(check);
  checkEvent(check);
  checkVariety(check);
  return check.violations;
}

/** Violations as a tool error message: what is wrong, where, and what to change. */
export function formatViolations(violations: readonly PlanViolation[]): string {
  if (violations.length === 0) return 'The plan passes every rule.';
  const lines = violations.map((v) => `- [${v.code}] ${v.message}`);
  return `The plan was rejected: ${violations.length} problem${violations.length === 1 ? '' : 's'} to fix.\n${lines.join('\n')}`;
}
