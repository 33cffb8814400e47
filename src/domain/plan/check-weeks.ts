/**
 * Plan checks on each week's days: totals that add up, hours within the athlete's week and ±10 % of
 * the week's target, workouts on training days only, a rest day, at most 3 hard days and never two
 * in a row (Sunday → Monday too).
 */
import { WEEKDAY_LABELS } from '../calendar.js';
import { HOURS_TOLERANCE, MAX_HARD_DAYS } from './periodization.js';
import {
  dayLabel,
  fmt,
  HOURS_SLACK,
  isHardDay,
  listDays,
  TSS_SLACK,
  weekHours,
  weekLabel,
  weekTss,
  type PlanCheck,
  type WeekCheck,
} from './plan-check.js';

/** The week's plannedTss and hours are what its workouts add up to. */
export const checkWeekTotals: WeekCheck = (check, week) => {
  const tss = weekTss(week);
  const hours = weekHours(week);
  if (Math.abs(tss - week.plannedTss) > TSS_SLACK)
    check.add(
      'totals-mismatch',
      `${weekLabel(week)}: plannedTss is ${fmt(week.plannedTss, 1)} but its workouts add up to ${fmt(tss, 1)} TSS.`,
      week,
    );
  if (Math.abs(hours - week.hours) > HOURS_SLACK)
    check.add('totals-mismatch', `${weekLabel(week)}: hours is ${fmt(week.hours, 2)} but its workouts add up to ${fmt(hours, 2)} h.`, week);
};

/** Never above the athlete's weekly hours, and within ±10 % of the week's planned hours. */
export const checkWeekHours: WeekCheck = (check, week) => {
  const hours = weekHours(week);
  if (hours > check.input.weeklyHours + 1e-9)
    check.add(
      'over-hours',
      `${weekLabel(week)}: ${fmt(hours, 2)} h planned, more than the athlete's ${fmt(check.input.weeklyHours, 1)} h a week; shorten or drop rides.`,
      week,
    );
  if (week.targetHours !== undefined && Math.abs(hours - week.targetHours) > HOURS_TOLERANCE * week.targetHours + HOURS_SLACK) {
    check.add(
      'hours-off-target',
      `${weekLabel(week)}: ${fmt(hours, 2)} h planned, not within ±10 % of the week's ${fmt(week.targetHours, 2)} h.`,
      week,
    );
  }
};

/** Workouts on the athlete's training days only. */
export const checkTrainingDays: WeekCheck = (check, week) => {
  const { trainingDays } = check.input;
  for (const day of week.days) {
    if (day.workouts.length > 0 && !trainingDays.includes(day.weekday)) {
      check.add(
        'non-training-day',
        `${dayLabel(week, day)}: "${day.workouts[0]!.name}" is on a day the athlete does not train (training days: ${listDays(trainingDays)}); move it to a training day.`,
        week,
        day.date,
      );
    }
  }
};

/** At least one day without a workout. */
export const checkRestDay: WeekCheck = (check, week) => {
  if (week.days.length > 0 && week.days.every((d) => d.workouts.length > 0))
    check.add('no-rest-day', `${weekLabel(week)} has no rest day; leave at least one day without a workout.`, week);
};

/** At most MAX_HARD_DAYS hard days. */
export const checkHardDayCount: WeekCheck = (check, week) => {
  const hard = week.days.filter(isHardDay);
  if (hard.length > MAX_HARD_DAYS)
    check.add(
      'too-many-hard-days',
      `${weekLabel(week)} has ${hard.length} hard days (${hard.map((d) => `${WEEKDAY_LABELS[d.weekday]} ${d.date}`).join(', ')}); at most ${MAX_HARD_DAYS}.`,
      week,
    );
};

/** Never two hard days in a row, across week boundaries too. */
export function checkConsecutiveHardDays(check: PlanCheck): void {
  const days = check.days;
  for (let i = 1; i < days.length; i++) {
    const a = days[i - 1]!;
    const b = days[i]!;
    if (isHardDay(a.day) && isHardDay(b.day)) {
      check.add(
        'consecutive-hard-days',
        `${dayLabel(a.week, a.day)} and ${dayLabel(b.week, b.day)} are both hard; put an easy or rest day between hard days.`,
        b.week,
        b.day.date,
      );
    }
  }
}
