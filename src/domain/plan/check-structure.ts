/**
 * Plan checks on the plan's shape and its workouts: weeks of 7 consecutive days from the start
 * Monday, 4–24 weeks numbered in order, and each workout's declared numbers and intensity against
 * its steps (or the library).
 */
import { addDays, WEEKDAYS } from '../calendar.js';
import { MAX_PLAN_WEEKS, MIN_PLAN_WEEKS } from './periodization.js';
import { dayLabel, fmt, TSS_SLACK, weekLabel, workoutIntensity, type PlanCheck } from './plan-check.js';
import type { PlanDay, PlanWeek, PlannedWorkout, WorkoutMetrics, WorkoutStep, WorkoutType } from './types.js';
import { workoutById } from './workout-library.js';
import { workoutMetrics } from './workout-metrics.js';

/** Weeks of 7 consecutive days from the start Monday, 4–24 of them, numbered 1, 2, 3 … */
export function checkStructure(check: PlanCheck): void {
  const { weeks } = check.plan;
  const { startDate } = check.rules;
  if (weeks.length < MIN_PLAN_WEEKS || weeks.length > MAX_PLAN_WEEKS)
    check.add('structure', `The plan has ${weeks.length} weeks; it must have ${MIN_PLAN_WEEKS}–${MAX_PLAN_WEEKS}.`);
  if (check.plan.startDate !== undefined && check.plan.startDate !== startDate)
    check.add('structure', `The plan starts on ${check.plan.startDate}; it must start on ${startDate} (the Monday of the start date).`);
  weeks.forEach((week, index) => {
    if (week.week !== index + 1)
      check.add('structure', `Week ${index + 1} is numbered ${week.week}; number weeks 1, 2, 3 … in order.`, week);
    if (week.days.length !== 7)
      check.add(
        'structure',
        `${weekLabel(week)} has ${week.days.length} days; list all 7 days, Monday to Sunday (a rest day has no workouts).`,
        week,
      );
    week.days.forEach((day, i) => {
      const expected = addDays(startDate, 7 * index + i);
      if (day.date !== expected || day.weekday !== WEEKDAYS[i]) {
        check.add(
          'structure',
          `Week ${week.week}, day ${i + 1} is ${day.weekday} ${day.date}; it must be ${WEEKDAYS[i]} ${expected}.`,
          week,
          day.date,
        );
      }
    });
  });
}

/** Metrics by step list: a plan repeats few distinct workouts, and a 1 Hz trace per workout is not free. */
const metricsCache = new Map<string, WorkoutMetrics>();
function cachedMetrics(steps: readonly WorkoutStep[], type: WorkoutType): WorkoutMetrics {
  const key = `${type}:${JSON.stringify(steps)}`;
  let metrics = metricsCache.get(key);
  if (!metrics) {
    if (metricsCache.size > 2000) metricsCache.clear();
    metrics = workoutMetrics(steps, type);
    metricsCache.set(key, metrics);
  }
  return metrics;
}

/** Each workout's declared numbers against its steps (or the library), its declared intensity against type and IF. */
export function checkWorkoutNumbers(check: PlanCheck): void {
  for (const { week, day } of check.days) {
    for (const w of day.workouts) {
      checkDeclaredNumbers(check, week, day, w);
      const intensity = workoutIntensity(w);
      if (intensity !== w.intensity) {
        check.add(
          'workout-mismatch',
          `${dayLabel(week, day)}: "${w.name}" is labelled ${w.intensity} but a ${w.type} workout at IF ${fmt(w.intensityFactor, 2)} is ${intensity} (hard: threshold and above or IF ≥ 0.85).`,
          week,
          day.date,
        );
      }
    }
  }
}

function checkDeclaredNumbers(check: PlanCheck, week: PlanWeek, day: PlanDay, w: PlannedWorkout): void {
  const computed = w.steps && w.steps.length > 0 ? cachedMetrics(w.steps, w.type) : w.id !== undefined ? workoutById(w.id) : undefined;
  if (!computed) return;
  const minutes = computed.durationSeconds / 60;
  if (
    Math.abs(minutes - w.durationMinutes) > 0.5 ||
    Math.abs(computed.tss - w.tss) > TSS_SLACK + 0.01 * computed.tss ||
    Math.abs(computed.intensityFactor - w.intensityFactor) > 0.005
  ) {
    check.add(
      'workout-mismatch',
      `${dayLabel(week, day)}: "${w.name}" declares ${fmt(w.durationMinutes)} min, TSS ${fmt(w.tss, 1)}, IF ${fmt(w.intensityFactor, 2)} but its steps give ${fmt(minutes)} min, TSS ${fmt(computed.tss, 1)}, IF ${fmt(computed.intensityFactor, 2)}; use the computed values.`,
      week,
      day.date,
    );
  }
}
