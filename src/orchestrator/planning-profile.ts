/**
 * The profile the plan is built from: the athlete's, with the fact sheet's FTP when they gave
 * none, an event the plan cannot reach set aside, and training days and weekly hours — when
 * missing — taken from the rides. Every such choice is said in a warning.
 */
import { isCycling } from '../domain/activity.js';
import { utcDate, weekdayOf, WEEKDAYS, type Weekday } from '../domain/calendar.js';
import { MAX_PLAN_WEEKS, MIN_PLAN_WEEKS, snapToMonday, weekOfDate } from '../domain/plan/index.js';
import type { ProfileFields } from '../domain/profile.js';
import type { FactSheetDetail } from './fact-sheet.js';

type Warnings = { code: string; message: string }[];

/** One plan covers 4–24 weeks: an event further away (or already past, or too close for a block) becomes a block without peak and taper. */
export function eventOutOfReach(
  eventDate: string,
  planWeeks: number | null,
  planStartDate: string,
): { code: string; message: string } | null {
  const start = snapToMonday(planStartDate);
  const week = weekOfDate(start, eventDate);
  const weeks = planWeeks ?? 12;
  if (eventDate < start)
    return {
      code: 'event-past',
      message: `Your event on ${eventDate} has passed: this plan is a ${weeks}-week block without an event. Tell the coach your next one (e.g. "event 2027-07-05").`,
    };
  if (week > MAX_PLAN_WEEKS)
    return {
      code: 'event-far',
      message: `Your event on ${eventDate} is ${week} weeks away, more than the ${MAX_PLAN_WEEKS} weeks one plan covers: this plan is a ${weeks}-week block of base and build towards it; the peak and taper come with a later analysis.`,
    };
  if (week < MIN_PLAN_WEEKS)
    return {
      code: 'event-close',
      message: `Your event on ${eventDate} is in week ${week}, too close for a full block: this plan is a ${weeks}-week block. Keep the last days before the event easy.`,
    };
  return null;
}

/** The weekly hours ridden on average in the period, between 3 and 20. */
function riddenHours(detail: FactSheetDetail): number {
  const { current } = detail.sheet.comparison;
  const weeks = Math.max(1, current.weeks);
  return Math.min(20, Math.max(3, Math.round(current.hours / weeks)));
}

/** The days ridden most in the period (up to five, in week order); tue, thu, sat, sun with fewer than three. */
function riddenDays(detail: FactSheetDetail): Weekday[] {
  const { from, to } = detail.sheet.period;
  // the rides of the period: the plan's baseline is riding, not runs or hikes
  const counts = new Map<Weekday, number>();
  for (const l of detail.loads) {
    const date = utcDate(l.activity.startTime);
    if (!isCycling(l.activity.sport) || date < from || date > to) continue;
    const weekday = weekdayOf(date);
    counts.set(weekday, (counts.get(weekday) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
  const days = ranked.length >= 3 ? ranked.slice(0, Math.min(5, ranked.length)) : (['tue', 'thu', 'sat', 'sun'] as Weekday[]);
  return days.sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

/** Training days and weekly hours the plan needs, from the profile or — said out loud — from the rides. */
export function planningProfile(detail: FactSheetDetail, profile: ProfileFields, planStartDate: string, warnings: Warnings): ProfileFields {
  const out = { ...profile, ftp: profile.ftp ?? detail.sheet.athlete.ftp };
  if (out.eventDate) {
    const problem = eventOutOfReach(out.eventDate, out.planWeeks, planStartDate);
    if (problem) {
      warnings.push(problem);
      out.eventDate = null;
    }
  }
  if (out.weeklyHours === null) {
    const hours = riddenHours(detail);
    out.weeklyHours = hours;
    warnings.push({
      code: 'hours-estimated',
      message: `No weekly hours were given: the plan uses ${hours} h, about what you rode per week. Tell the coach your real availability.`,
    });
  }
  if (out.trainingDays === null || out.trainingDays.length === 0) {
    const days = riddenDays(detail);
    out.trainingDays = days;
    warnings.push({
      code: 'days-estimated',
      message: `No training days were given: the plan uses ${days.join(', ')}, the days you rode most. Tell the coach your real days.`,
    });
  }
  return out;
}
