/**
 * The period week by week (Monday to Sunday: hours, load, activities) and its activities by sport.
 */
import { addDays, mondayOf, utcDate } from '../domain/calendar.js';
import { round } from '../domain/numbers.js';
import type { RideLoad } from '../domain/training-load.js';
import type { WeekFact } from './fact-sheet.js';

export function weekFacts(current: readonly RideLoad[], from: string, to: string): { weeks: WeekFact[]; sports: Record<string, number> } {
  const weeks = new Map<string, WeekFact>();
  for (let w = mondayOf(from); w <= to; w = addDays(w, 7)) weeks.set(w, { week: w, hours: 0, load: 0, rides: 0 });
  const sports: Record<string, number> = {};
  for (const l of current) {
    const week = weeks.get(mondayOf(utcDate(l.activity.startTime)));
    if (week) {
      week.hours += (l.metrics.movingSeconds ?? 0) / 3600;
      week.load += l.metrics.load ?? 0;
      week.rides += 1;
    }
    sports[l.activity.sport] = (sports[l.activity.sport] ?? 0) + 1;
  }
  return { weeks: [...weeks.values()].map((w) => ({ ...w, hours: round(w.hours, 1), load: round(w.load) })), sports };
}
