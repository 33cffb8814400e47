/**
 * Building and checking the generator's input. Bad input is an expected failure: every problem is
 * returned as an 'input' violation naming the field and its allowed range.
 */
import { addDays, isDate, WEEKDAYS } from '../calendar.js';
import type { ProfileFields } from '../profile.js';
import { err, ok, type Result } from '../result.js';
import { finalEventDate, MAX_PLAN_WEEKS, MIN_PLAN_WEEKS, snapToMonday, weekOfDate } from './periodization.js';
import { POWER_ABILITIES, type CurrentFitness, type PlanInput, type PlanViolation } from './types.js';

export const FTP_RANGE = [50, 600] as const;
export const WEEKLY_HOURS_RANGE = [1, 40] as const;
export const CTL_RANGE = [0, 250] as const;
export const ATL_RANGE = [0, 400] as const;

const inRange = (value: unknown, [min, max]: readonly [number, number]): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

/** Every problem with the input; empty when the generator can run. */
export function checkPlanInput(input: PlanInput): PlanViolation[] {
  const problems: string[] = [];
  if (!inRange(input.ftp, FTP_RANGE)) problems.push(`ftp must be ${FTP_RANGE[0]}–${FTP_RANGE[1]} W (got ${String(input.ftp)}).`);
  if (!inRange(input.weeklyHours, WEEKLY_HOURS_RANGE))
    problems.push(`weeklyHours must be ${WEEKLY_HOURS_RANGE[0]}–${WEEKLY_HOURS_RANGE[1]} h (got ${String(input.weeklyHours)}).`);
  const days = input.trainingDays ?? [];
  if (days.length === 0) problems.push('trainingDays must name at least one day (mon … sun).');
  for (const d of days)
    if (!WEEKDAYS.includes(d)) problems.push(`trainingDays: "${String(d)}" is not a day; use mon, tue, wed, thu, fri, sat or sun.`);
  if (!inRange(input.fitness?.ctl, CTL_RANGE))
    problems.push(`CTL must be ${CTL_RANGE[0]}–${CTL_RANGE[1]} (got ${String(input.fitness?.ctl)}).`);
  const atl = input.fitness?.atl;
  if (atl !== undefined && atl !== null && !inRange(atl, ATL_RANGE))
    problems.push(`ATL must be ${ATL_RANGE[0]}–${ATL_RANGE[1]} (got ${String(atl)}).`);
  for (const a of [...(input.fitness?.limiters ?? []), ...(input.fitness?.strengths ?? [])]) {
    if (!POWER_ABILITIES.includes(a)) problems.push(`"${String(a)}" is not a limiter or strength; use ${POWER_ABILITIES.join(', ')}.`);
  }
  if (!isDate(input.startDate)) problems.push(`startDate must be a date as YYYY-MM-DD (got "${String(input.startDate)}").`);
  const lastRide = input.fitness?.lastRideDate ?? null;
  if (lastRide !== null && !isDate(lastRide))
    problems.push(`fitness.lastRideDate must be a date as YYYY-MM-DD (got "${String(lastRide)}").`);
  const event = input.eventDate ?? null;
  if (event !== null && !isDate(event)) problems.push(`eventDate must be a date as YYYY-MM-DD (got "${String(event)}").`);
  else if (event !== null && isDate(input.startDate)) {
    const start = snapToMonday(input.startDate);
    const week = weekOfDate(start, event);
    if (week < MIN_PLAN_WEEKS || week > MAX_PLAN_WEEKS) {
      problems.push(
        `The event on ${event} falls in week ${week} of a plan starting ${start}; a plan runs ${MIN_PLAN_WEEKS}–${MAX_PLAN_WEEKS} weeks, so the event must be between ${weekStart(start, MIN_PLAN_WEEKS)} and ${weekEnd(start, MAX_PLAN_WEEKS)}.`,
      );
    }
  }
  const eventProblems = checkEvents(input.events);
  problems.push(...eventProblems);
  // An A event in weeks 4–24 sets the plan's length; without one, planWeeks does.
  const finalA = event === null && eventProblems.length === 0 && isDate(input.startDate) ? finalEventDate(input) : event;
  if (finalA === null && !(Number.isInteger(input.planWeeks) && input.planWeeks >= MIN_PLAN_WEEKS && input.planWeeks <= MAX_PLAN_WEEKS)) {
    problems.push(`planWeeks must be a whole number of weeks, ${MIN_PLAN_WEEKS}–${MAX_PLAN_WEEKS} (got ${String(input.planWeeks)}).`);
  }
  return problems.map((message) => ({ code: 'input', message }));
}

/** At most this many events. */
const MAX_EVENTS = 50;
const MAX_EVENT_NAME = 200;

/** Each event: a date, a priority A, B or C, a name (events outside the plan are left out, not refused). */
function checkEvents(events: PlanInput['events']): string[] {
  if (events === undefined || events === null) return [];
  if (!Array.isArray(events)) return ['events must be a list of { date, priority, name }.'];
  const list = events as readonly unknown[];
  if (list.length > MAX_EVENTS) return [`events: at most ${MAX_EVENTS} (got ${list.length}).`];
  const problems: string[] = [];
  list.forEach((raw, i) => {
    const e = (raw ?? {}) as Partial<Record<'date' | 'priority' | 'name', unknown>>;
    if (!isDate(e.date)) problems.push(`events[${i}].date must be a date as YYYY-MM-DD (got "${String(e.date)}").`);
    if (e.priority !== 'A' && e.priority !== 'B' && e.priority !== 'C')
      problems.push(`events[${i}].priority must be A, B or C (got "${String(e.priority)}").`);
    if (typeof e.name !== 'string' || e.name.length > MAX_EVENT_NAME)
      problems.push(`events[${i}].name must be text of at most ${MAX_EVENT_NAME} characters.`);
  });
  return problems;
}

const weekStart = (startMonday: string, week: number): string => addDays(startMonday, 7 * (week - 1));
const weekEnd = (startMonday: string, week: number): string => addDays(startMonday, 7 * week - 1);

export interface PlanOverrides {
  planWeeks?: number | null | undefined;
  eventDate?: string | null | undefined;
}

/**
 * The generator's input from a stored profile. Missing required fields (FTP, weekly hours,
 * training days) are reported by name; plan weeks default to 12.
 */
export function planInputFromProfile(
  profile: ProfileFields & { name?: string | null },
  fitness: CurrentFitness,
  startDate: string,
  overrides: PlanOverrides = {},
): Result<PlanInput, PlanViolation[]> {
  const missing: PlanViolation[] = [];
  if (profile.ftp === null) missing.push({ code: 'input', message: 'The profile has no FTP: add "ftp" (50–600 W).' });
  if (profile.weeklyHours === null)
    missing.push({ code: 'input', message: 'The profile has no weekly hours: add "weeklyHours" (1–40 h).' });
  if (profile.trainingDays === null || profile.trainingDays.length === 0)
    missing.push({ code: 'input', message: 'The profile has no training days: add "trainingDays", e.g. ["tue", "thu", "sat"].' });
  if (missing.length > 0) return err(missing);
  const input: PlanInput = {
    ftp: profile.ftp!,
    weeklyHours: profile.weeklyHours!,
    trainingDays: profile.trainingDays!,
    planWeeks: overrides.planWeeks ?? profile.planWeeks ?? 12,
    eventDate: overrides.eventDate !== undefined ? overrides.eventDate : profile.eventDate,
    startDate,
    goals: profile.goals,
    age: profile.age,
    athleteName: profile.name ?? null,
    fitness,
  };
  const problems = checkPlanInput(input);
  return problems.length > 0 ? err(problems) : ok(input);
}
