/**
 * Plan checks on load: each week's target under the CTL ramp ceiling, planned TSS within ±10 % of
 * the target, recovery weeks 30–50 % lighter than the week before, and the predicted CTL over every
 * rolling 7 days rising by at most the ramp cap.
 */
import { RECOVERY_FACTOR, RECOVERY_MAX_FACTOR, RECOVERY_MIN_FACTOR, TSS_TOLERANCE, rampCeiling } from './periodization.js';
import { fmt, TSS_SLACK, weekLabel, type PlanCheck, type WeekCheck } from './plan-check.js';
import { rollingCtlRamps, type CtlRampWindow } from './predicted-pmc.js';
import type { PlanWeek } from './types.js';

/** The week's target (and planned TSS, with the tolerance) at most the ramp ceiling for its week. */
export const checkRampCeiling: WeekCheck = (check, week) => {
  const { rules, input } = check;
  const ceiling = rampCeiling(rules, week.week);
  if (week.targetTss > ceiling + TSS_SLACK || week.plannedTss > ceiling * (1 + TSS_TOLERANCE) + TSS_SLACK) {
    check.add(
      'ramp-too-steep',
      `${weekLabel(week)}: ${fmt(Math.max(week.targetTss, week.plannedTss))} TSS ramps fitness too fast; from CTL ${fmt(input.fitness.ctl)} week ${week.week} may target at most ${fmt(ceiling)} TSS (CTL +${rules.rampCap} a week).`,
      week,
    );
  }
};

/** Planned TSS within ±10 % of the target. */
export const checkTssTarget: WeekCheck = (check, week) => {
  const tolerance = TSS_TOLERANCE * week.targetTss + TSS_SLACK;
  if (Math.abs(week.plannedTss - week.targetTss) > tolerance) {
    check.add(
      'tss-off-target',
      `${weekLabel(week)}: ${fmt(week.plannedTss, 1)} TSS planned for a target of ${fmt(week.targetTss)}; keep within ±10 % (${fmt(week.targetTss * 0.9)}–${fmt(week.targetTss * 1.1)}).`,
      week,
    );
  }
};

/**
 * A recovery week targets 30–50 % less than the week before, and plans no more than its cap. A
 * recovery week that holds an event may be lighter still: the race is load the plan does not count,
 * and its day (and the easy days around it) hold no planned ride.
 */
export const checkRecoveryWeek: WeekCheck = (check, week, index) => {
  const previous = check.plan.weeks[index - 1];
  if (week.phase !== 'recovery' || !previous) return;
  const lo = RECOVERY_MIN_FACTOR * previous.targetTss;
  const hi = RECOVERY_MAX_FACTOR * previous.targetTss;
  const holdsEvent = check.rules.events.some((e) => e.week === week.week);
  if (
    (week.targetTss < lo - TSS_SLACK && !holdsEvent) ||
    week.targetTss > hi + TSS_SLACK ||
    week.plannedTss > RECOVERY_MAX_FACTOR * previous.plannedTss + TSS_SLACK
  ) {
    check.add(
      'recovery-not-lighter',
      `${weekLabel(week)} is a recovery week but targets ${fmt(week.targetTss)} TSS (planned ${fmt(week.plannedTss, 1)}) after ${fmt(previous.targetTss)} (planned ${fmt(previous.plannedTss, 1)}); a recovery week is 30–40 % lighter (${fmt(RECOVERY_FACTOR * previous.targetTss)} TSS), at least 30 % and at most 50 %: ${fmt(lo)}–${fmt(hi)} TSS.`,
      week,
    );
  }
};

/**
 * The CTL ramp over every rolling 7 days (not only per calendar week): a heavy weekend followed by
 * a heavy week can raise CTL by more than the cap in 7 days that straddle two weeks. One violation
 * per week, for its steepest window.
 */
export function checkRollingRamp(check: PlanCheck): void {
  const { rules, input } = check;
  const worstByWeek = new Map<PlanWeek, CtlRampWindow>();
  const weekOfDay = new Map(check.days.map(({ week, day }) => [day.date, week]));
  for (const window of rollingCtlRamps(check.plan, input.fitness)) {
    const week = weekOfDay.get(window.to);
    if (!week || !(window.ramp > rules.rampCap)) continue;
    const worst = worstByWeek.get(week);
    if (!worst || window.ramp > worst.ramp) worstByWeek.set(week, window);
  }
  for (const [week, window] of worstByWeek) {
    check.add(
      'ramp-too-steep',
      `${weekLabel(week)}: fitness (CTL) rises by ${fmt(window.ramp, 2)} in the 7 days ${window.from} to ${window.to}; it may rise by at most ${rules.rampCap} in any 7 days (from CTL ${fmt(input.fitness.ctl)}); lighten or spread the load of those days.`,
      week,
      window.to,
    );
  }
}
