/**
 * Plan checks on periodization: no more than 3 load weeks in a row, phases in order (base → build →
 * peak → taper, again after each A event that does not end the plan), the taper ending on the
 * event week with nothing after the event, every A event's week a taper week, event days (and the
 * 2 days before a B event) without hard sessions, and no workout repeated on the same weekday in
 * consecutive weeks.
 */
import { daysBetween, WEEKDAY_LABELS } from '../calendar.js';
import { MAX_LOAD_WEEKS_IN_A_ROW } from './periodization.js';
import { dayLabel, isHardDay, weekLabel, type PlanCheck } from './plan-check.js';
import { eventLabel } from './plan-events.js';
import type { Phase, PlanWeek } from './types.js';

const PHASE_RANK: Readonly<Record<Exclude<Phase, 'recovery'>, number>> = { base: 0, build: 1, peak: 2, taper: 3 };
const LOAD_PHASES: ReadonlySet<Phase> = new Set(['base', 'build', 'peak']);

/** A recovery week at least every MAX_LOAD_WEEKS_IN_A_ROW + 1 weeks of load. */
export function checkRecoveryRhythm(check: PlanCheck): void {
  let run: PlanWeek[] = [];
  const flushRun = (): void => {
    if (run.length > MAX_LOAD_WEEKS_IN_A_ROW) {
      check.add(
        'missing-recovery-week',
        `Weeks ${run[0]!.week}–${run[run.length - 1]!.week} are ${run.length} load weeks in a row; make every 3rd or 4th week a recovery week.`,
        run[MAX_LOAD_WEEKS_IN_A_ROW],
      );
    }
    run = [];
  };
  for (const week of check.plan.weeks) {
    if (LOAD_PHASES.has(week.phase)) run.push(week);
    else flushRun();
  }
  flushRun();
}

/**
 * Phases run base → build → peak → taper (recovery weeks anywhere before the taper); after the week
 * of an A event that does not end the plan, they start again (a bridge or a new block).
 */
export function checkPhaseOrder(check: PlanCheck): void {
  const restartAfter = new Set(check.rules.events.filter((e) => e.priority === 'A').map((e) => e.week));
  let rank = 0;
  let taperSeen = false;
  for (const week of check.plan.weeks) {
    if (restartAfter.has(week.week - 1)) {
      rank = 0;
      taperSeen = false;
    }
    if (week.phase === 'recovery') {
      if (taperSeen) check.add('phase-order', `${weekLabel(week)}: a recovery week after the taper; the taper ends the plan.`, week);
      continue;
    }
    const r = PHASE_RANK[week.phase];
    if (r < rank)
      check.add('phase-order', `${weekLabel(week)} is ${week.phase} after a later phase; phases run base → build → peak → taper.`, week);
    rank = Math.max(rank, r);
    if (week.phase === 'taper') taperSeen = true;
  }
}

/**
 * Every A event's week is a taper week; no event day holds a hard session besides the event, nor do
 * the 2 days before a B event.
 */
function checkEventDays(check: PlanCheck): void {
  const { events } = check.rules;
  for (const event of events) {
    const week = check.plan.weeks[event.week - 1];
    if (event.priority === 'A' && event.date !== check.rules.eventDate && week && week.phase !== 'taper')
      check.add(
        'event-week',
        `${weekLabel(week)} holds the A event ${eventLabel(event)}; make it a taper week (it is ${week.phase}).`,
        week,
      );
  }
  for (const { week, day } of check.days) {
    if (!isHardDay(day)) continue;
    const on = events.find((e) => e.date === day.date);
    const before = events.find((e) => e.priority === 'B' && daysBetween(day.date, e.date) >= 1 && daysBetween(day.date, e.date) <= 2);
    if (on)
      check.add(
        'event-week',
        `${dayLabel(week, day)}: a hard session on the day of ${eventLabel(on)}; the event is that day's session.`,
        week,
        day.date,
      );
    else if (before)
      check.add(
        'event-week',
        `${dayLabel(week, day)}: a hard session in the 2 days before the B event ${eventLabel(before)}; keep them easy.`,
        week,
        day.date,
      );
  }
}

/** With an event: the last week is a taper week holding it, and no workout comes after it. */
export function checkEvent(check: PlanCheck): void {
  checkEventDays(check);
  const { eventDate, weeks: eventWeek } = check.rules;
  if (eventDate === null) return;
  const { weeks } = check.plan;
  const last = weeks[weeks.length - 1];
  const holdsEvent = last?.days.some((d) => d.date === eventDate) ?? false;
  if (!last || !holdsEvent || last.phase !== 'taper') {
    check.add(
      'event-week',
      `The plan must end with a taper week holding the event on ${eventDate} (week ${eventWeek}); it ends with ${last ? `${weekLabel(last)}, ${last.phase}` : 'no weeks'}.`,
      last,
    );
  }
  for (const { week, day } of check.days) {
    if (day.date > eventDate && day.workouts.length > 0)
      check.add(
        'after-event',
        `${dayLabel(week, day)}: "${day.workouts[0]!.name}" is after the event on ${eventDate}; the plan ends with the event.`,
        week,
        day.date,
      );
  }
}

/** Variety: not the same workout on the same weekday two weeks running. */
export function checkVariety(check: PlanCheck): void {
  const { weeks } = check.plan;
  for (let index = 1; index < weeks.length; index++) {
    const week = weeks[index]!;
    const before = weeks[index - 1]!;
    week.days.forEach((day, i) => {
      const prev = before.days[i];
      if (!prev) return;
      for (const w of day.workouts) {
        const same = prev.workouts.find((p) => (p.id !== undefined && w.id !== undefined ? p.id === w.id : p.name === w.name));
        if (same)
          check.add(
            'repeated-workout',
            `${dayLabel(week, day)}: "${w.name}" repeats the previous ${WEEKDAY_LABELS[day.weekday]}'s workout; vary it.`,
            week,
            day.date,
          );
      }
    });
  }
}
