/**
 * Events with priorities: how A, B and C events shape the plan (the generator and the validator
 * share these rules through planRules' `events`).
 *
 * - Which events: the input's `events` plus `eventDate` (one more A event), from the start Monday
 *   to week 24, one per date (the highest priority). The plan runs to the last A event in weeks
 *   4–24 and ends with its week; without one it runs `planWeeks` weeks. Events after the plan's end
 *   are left out (the plan notes say so).
 * - A events peak and taper. Up to the first A event the weeks are the single-event layout
 *   (phaseSequence: base, build, peak, a taper of 2 weeks from 10 weeks up, else 1). After an A
 *   event, up to the next one:
 *   - a bridge when the next A event is fewer than 8 weeks (56 days) later: a recovery week, build
 *     weeks (a recovery week between runs of more than 3 load weeks, 2 for masters, never right
 *     before the taper), and a 1-week re-taper: the event week. Next A event one week later: that
 *     week is a taper week; two weeks later: recovery, taper.
 *   - else a recovery week and a new block (phaseSequence again). A new base shorter than
 *     MIN_NEW_BASE_WEEKS load weeks is not worth it after a peak: those weeks are build.
 *   Taper weeks target a share of the last load week (taperFactors); the event's week holds no
 *   long ride, at most an hour the day before, and easy rides only after the event.
 * - B events get a short taper without a phase change: a load week holding one is planned at
 *   B_EVENT_SHARE (80 %) of what it would hold without the event, with easy rides only on the 2
 *   days before (and no long ride there); a recovery or taper week is light already: only the
 *   days change.
 * - C events are trained through: only the event day and the day after change.
 * - Every event day holds the event and nothing else (the race is the day's session; no new
 *   workout type), and the day after an event holds easy rides only, so that the race is never
 *   followed by a hard day.
 */
import { addDays, daysBetween, isDate, longDate } from '../calendar.js';
import {
  MAX_PLAN_WEEKS,
  MIN_PLAN_WEEKS,
  phaseSequence,
  snapToMonday,
  taperFactors,
  weekOfDate,
  type PlanEvent,
  type PlanRules,
} from './periodization.js';
import type { Phase, PlanInput } from './types.js';

/** An event as the input gives it. */
export type PlanEventInput = NonNullable<PlanInput['events']>[number];

/** An A event fewer than this many days after another gets a bridge rather than a new block. */
export const BRIDGE_DAYS = 56;
/** A load week holding a B event is planned at this share of what it would hold. */
export const B_EVENT_SHARE = 0.8;
/** Days before a B event that hold easy rides only. */
const B_EASY_DAYS_BEFORE = 2;
/** A new base after an A event needs at least this many load weeks; fewer are build. */
const MIN_NEW_BASE_WEEKS = 3;

/** Each week's phase, and each taper week's share of the last load week's target. */
export interface PhaseLayout {
  phases: Phase[];
  /** Per week, week 1 first: the taper share, 0 for a week that is not a taper week. */
  taperShares: number[];
}

/** A bridge of `weeks` weeks after an A event, ending with the next A event's week: recovery, build, re-taper. */
export function bridgePhases(weeks: number, recoveryEvery: number): Phase[] {
  if (weeks <= 1) return ['taper'];
  const middle = weeks - 2;
  const maxRun = recoveryEvery - 1;
  const breaks = Math.max(0, Math.ceil((middle - maxRun) / (maxRun + 1)));
  const loads = middle - breaks;
  const phases: Phase[] = ['recovery'];
  for (let run = 0; run <= breaks; run++) {
    if (run > 0) phases.push('recovery');
    const size = Math.floor(loads / (breaks + 1)) + (run < loads % (breaks + 1) ? 1 : 0);
    for (let i = 0; i < size; i++) phases.push('build');
  }
  phases.push('taper');
  return phases;
}

/** After an A event with the next one (or the plan's end) `weeks` weeks later: a recovery week, then a new block. */
function newBlock(weeks: number, hasEvent: boolean, recoveryEvery: number): Phase[] {
  const block = weeks > 1 ? phaseSequence(weeks - 1, hasEvent, recoveryEvery) : [];
  const shortBase = block.filter((p) => p === 'base').length < MIN_NEW_BASE_WEEKS;
  return ['recovery', ...block.map((p): Phase => (p === 'base' && shortBase ? 'build' : p))];
}

/** The phase of every week and the taper shares, from the plan's A events (see the module comment). */
export function phaseLayout(rules: PlanRules): PhaseLayout {
  const { recoveryEvery } = rules;
  const layout: PhaseLayout = { phases: [], taperShares: [] };
  const append = (segment: readonly Phase[], tapered: boolean): void => {
    let taper = 0;
    while (tapered && segment[segment.length - 1 - taper] === 'taper') taper++;
    const shares = taperFactors(taper);
    segment.forEach((phase, i) => {
      layout.phases.push(phase);
      layout.taperShares.push(i >= segment.length - taper ? shares[i - (segment.length - taper)]! : 0);
    });
  };
  let previous: PlanEvent | null = null;
  for (const event of rules.events.filter((e) => e.priority === 'A')) {
    const weeks = event.week - (previous?.week ?? 0);
    if (weeks === 0) continue; // two A events in one week: one event week
    if (previous === null) append(phaseSequence(weeks, true, recoveryEvery), true);
    else if (daysBetween(previous.date, event.date) < BRIDGE_DAYS) append(bridgePhases(weeks, recoveryEvery), true);
    else append(newBlock(weeks, true, recoveryEvery), true);
    previous = event;
  }
  const rest = rules.weeks - (previous?.week ?? 0);
  if (rest > 0) append(previous === null ? phaseSequence(rest, false, recoveryEvery) : newBlock(rest, false, recoveryEvery), false);
  return layout;
}

/** What a week's events change in it. Weekday indices: 0 = Monday. */
export interface WeekEvents {
  /** The events in the week. */
  events: PlanEvent[];
  /** Days holding an event: nothing else is planned on them. */
  eventDays: number[];
  /** The week's first A event's day: no long ride that week, at most an hour the day before. */
  eventDay: number | null;
  /** The 2 days before a B event: no long ride there. */
  noLongDays: number[];
  /** Days of easy rides only: the 2 days before a B event, the day after any event, the rest of an A event's week. */
  easyDays: number[];
  /** The B event that makes this week lighter (none when the week holds an A event). */
  lighter: PlanEvent | null;
}

/** Whether the day `offset` days after event `e` (negative: before) holds easy rides only. */
function easyAround(e: PlanEvent, offset: number, sameWeek: boolean): boolean {
  if (offset === 1) return true;
  if (e.priority === 'B') return offset < 0 && offset >= -B_EASY_DAYS_BEFORE;
  return e.priority === 'A' && offset > 0 && sameWeek;
}

/** The events of the week of `dates` (Monday to Sunday) and what they change. */
export function weekEvents(rules: PlanRules, dates: readonly string[]): WeekEvents {
  const inWeek = rules.events.filter((e) => e.date >= dates[0]! && e.date <= dates[6]!);
  const easy = new Set<number>();
  const noLong = new Set<number>();
  for (const e of rules.events) {
    dates.forEach((date, i) => {
      const offset = daysBetween(e.date, date);
      if (easyAround(e, offset, inWeek.includes(e))) easy.add(i);
      if (e.priority === 'B' && offset < 0 && offset >= -B_EASY_DAYS_BEFORE) noLong.add(i);
    });
  }
  const firstA = inWeek.find((e) => e.priority === 'A');
  const hasA = firstA !== undefined;
  return {
    events: inWeek,
    eventDays: inWeek.map((e) => dates.indexOf(e.date)),
    eventDay: firstA ? dates.indexOf(firstA.date) : null,
    noLongDays: [...noLong].sort((a, b) => a - b),
    easyDays: [...easy].sort((a, b) => a - b),
    lighter: hasA ? null : (inWeek.find((e) => e.priority === 'B') ?? null),
  };
}

/** "Marmotte on 14 Jun 2027", or "The event on 14 Jun 2027" for an unnamed one. */
export function eventLabel(e: Pick<PlanEvent, 'name' | 'date'>): string {
  return `${e.name === '' ? 'The event' : e.name} on ${longDate(e.date)}`;
}

/** What an A event's note says comes after it. */
function afterA(rules: PlanRules, event: PlanEvent): string {
  if (event.date === rules.eventDate) return 'the plan builds to it, peaks, tapers and ends with it.';
  const next = rules.events.find((e) => e.priority === 'A' && e.date > event.date);
  if (!next) return 'peak and taper, then a recovery week and training resumes.';
  if (next.week === event.week) return `one event week with ${eventLabel(next)}.`;
  return daysBetween(event.date, next.date) < BRIDGE_DAYS
    ? `peak and taper, then a bridge to ${eventLabel(next)}, fewer than 8 weeks later: recover, rebuild, re-taper.`
    : `peak and taper, then a recovery week and a new block towards ${eventLabel(next)}.`;
}

/** The plan's notes on its events (only when the input names events): one per event, and the ones left out. */
export function eventPlanNotes(input: PlanInput, rules: PlanRules): string[] {
  if (!input.events || input.events.length === 0) return [];
  const notes = rules.events.map((e) => {
    const head = `${eventLabel(e)} (${e.priority}, week ${e.week}): `;
    if (e.priority === 'A') return head + afterA(rules, e);
    if (e.priority === 'B') return `${head}a short taper — a lighter week, easy rides only on the 2 days before.`;
    return `${head}trained through — no other session that day, easy rides only the day after.`;
  });
  const end = rules.eventDate ?? addDays(rules.startDate, 7 * rules.weeks - 1);
  const held = new Set(rules.events.map((e) => e.date));
  for (const e of input.events) {
    if (held.has(e.date) || !isDate(e.date)) continue;
    notes.push(
      `${eventLabel({ name: e.name, date: e.date })} is outside this plan (${longDate(rules.startDate)} to ${longDate(end)}): not planned for.`,
    );
  }
  return notes;
}

/**
 * Stored events as the generator's input fields: the events from the start Monday to week 24 (in
 * date order), and the last A event in weeks 4–24 as `eventDate` (null: none, the plan runs
 * `planWeeks` weeks). Spread over a profile's input, they replace its single event date.
 */
export function planEvents(events: readonly PlanEventInput[], startDate: string): { eventDate: string | null; events: PlanEventInput[] } {
  const start = snapToMonday(startDate);
  const kept = events
    .filter((e) => e.date >= start && weekOfDate(start, e.date) <= MAX_PLAN_WEEKS)
    .map(({ date, priority, name }) => ({ date, priority, name }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const final = kept.filter((e) => e.priority === 'A' && weekOfDate(start, e.date) >= MIN_PLAN_WEEKS).at(-1);
  return { eventDate: final?.date ?? null, events: kept };
}
