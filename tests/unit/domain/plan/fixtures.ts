/** Plans and week requests for the plan unit tests. */
import { addDays, WEEKDAYS } from '../../../../src/domain/calendar.js';
import type { Plan, PlannedWorkout, PlanWeek, WeekRequest } from '../../../../src/domain/plan/index.js';

/** A build week on Tue, Thu, Sat and Sun: 400 TSS (±10 %) in 7.5 h, at most 9 h. */
export function weekRequest(overrides: Partial<WeekRequest> = {}): WeekRequest {
  return {
    week: 2,
    phase: 'build',
    targetTss: 400,
    tssBand: [360, 440],
    targetHours: 7.5,
    maxHours: 9,
    availableDays: [1, 3, 5, 6],
    previousSundayHard: false,
    previousWeekIds: [null, null, null, null, null, null, null],
    recentIds: new Set(),
    limiters: [],
    strengths: [],
    ...overrides,
  };
}

/** A plan of `weeks` base weeks from `monday`, every day a rest day unless `workouts` puts something on it. */
export function makePlan(monday: string, weeks: number, workouts: (week: number, day: number) => PlannedWorkout[] = () => []): Plan {
  return {
    startDate: monday,
    weeks: Array.from({ length: weeks }, (_, w): PlanWeek => {
      const days = WEEKDAYS.map((weekday, i) => ({ date: addDays(monday, 7 * w + i), weekday, workouts: workouts(w + 1, i) }));
      const all = days.flatMap((d) => d.workouts);
      return {
        week: w + 1,
        phase: 'base',
        targetTss: 0,
        plannedTss: all.reduce((s, x) => s + x.tss, 0),
        hours: all.reduce((s, x) => s + x.durationMinutes, 0) / 60,
        days,
      };
    }),
  };
}
