/**
 * Property tests for events with priorities: random athletes (as in generate-plan.property.test.ts)
 * with 1–3 random events of random priorities, some before the start or beyond 24 weeks. Every plan
 * passes validatePlan; A events' weeks are taper weeks with the peak before (the bridge has none);
 * B events' load weeks target less than the load weeks around; an A event fewer than 8 weeks after
 * another gets recovery → build → taper between them; event days hold nothing, the 2 days before a
 * B event and the day after any event hold easy rides only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, dateFromDayNumber, dayNumber, WEEKDAYS } from '../../../../src/domain/calendar.js';
import {
  POWER_ABILITIES,
  generatePlan,
  maxRollingCtlRamp,
  planRules,
  snapToMonday,
  validatePlan,
  type Phase,
  type Plan,
  type PlanEvent,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';

const FIRST_DAY = dayNumber('2024-01-01');
const LETTER: Readonly<Record<Phase, string>> = { base: 'B', build: 'U', peak: 'P', taper: 'T', recovery: 'r' };
const isLoad = (p: Phase): boolean => p === 'base' || p === 'build' || p === 'peak';

type Priority = 'A' | 'B' | 'C';

const eventOf = (priority: fc.Arbitrary<Priority>) =>
  fc.record({
    // week 0: before the start; 25–26: beyond the 24 weeks a plan covers
    week: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 24 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 25, 26) }),
    weekday: fc.integer({ min: 0, max: 6 }),
    priority,
    name: fc.constantFrom('Marmotte', 'Club TT', 'Crit', 'Gran Fondo'),
  });

/** Random athletes with 1–3 events; `priority` draws each event's priority. */
const athleteWith = (priority: fc.Arbitrary<Priority>, minTenthsOfHours = 20): fc.Arbitrary<PlanInput> =>
  fc
    .record({
      ftp: fc.integer({ min: 100, max: 450 }),
      weeklyHours: fc.integer({ min: minTenthsOfHours, max: 200 }).map((h) => h / 10),
      trainingDays: fc.subarray([...WEEKDAYS], { minLength: 2, maxLength: 7 }),
      planWeeks: fc.integer({ min: 4, max: 24 }),
      start: fc.integer({ min: 0, max: 4 * 365 }).map((d) => dateFromDayNumber(FIRST_DAY + d)),
      age: fc.option(fc.integer({ min: 16, max: 80 }), { nil: null }),
      ctl: fc.double({ min: 0, max: 120, noNaN: true }),
      tsb: fc.double({ min: -30, max: 20, noNaN: true }),
      limiters: fc.subarray([...POWER_ABILITIES], { maxLength: 3 }),
      daysOff: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
      events: fc.array(eventOf(priority), { minLength: 1, maxLength: 3 }),
    })
    .map((r) => {
      const monday = snapToMonday(r.start);
      return {
        ftp: r.ftp,
        weeklyHours: r.weeklyHours,
        trainingDays: r.trainingDays,
        planWeeks: r.planWeeks,
        startDate: r.start,
        age: r.age,
        events: r.events.map((e) => ({ date: addDays(monday, 7 * (e.week - 1) + e.weekday), priority: e.priority, name: e.name })),
        fitness: {
          ctl: r.ctl,
          atl: Math.max(0, r.ctl - r.tsb),
          limiters: r.limiters,
          lastRideDate: r.daysOff === null ? null : addDays(monday, -r.daysOff),
        },
      };
    });

const athlete = athleteWith(fc.constantFrom<Priority>('A', 'B', 'C'));

function generated(input: PlanInput): Plan {
  const result = generatePlan(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('events with priorities — properties', () => {
  it('every plan validates; A weeks are tapers after a peak, bridges run recovery → build → taper (500 athletes)', () => {
    fc.assert(
      fc.property(athlete, (input) => {
        const plan = generated(input);
        const rules = planRules(input);
        expect(validatePlan(plan, input)).toEqual([]);
        expect(maxRollingCtlRamp(plan, input.fitness)?.ramp ?? 0).toBeLessThanOrEqual(rules.rampCap);
        expect(plan.weeks).toHaveLength(rules.weeks);
        expect(plan.eventDate ?? null).toBe(rules.eventDate);
        const phases = plan.weeks.map((w) => w.phase);
        const aEvents = rules.events.filter((e) => e.priority === 'A');
        let previous: (typeof aEvents)[number] | null = null;
        for (const a of aEvents) {
          expect(phases[a.week - 1], `A ${a.date} week ${a.week}`).toBe('taper');
          if (previous !== null && previous.week < a.week) {
            const between = phases
              .slice(previous.week, a.week)
              .map((p) => LETTER[p])
              .join('');
            if (daysBetween(previous.date, a.date) < 56) {
              // the bridge: recovery, rebuild (build only), re-taper
              const n = a.week - previous.week;
              expect(between).toMatch(n === 1 ? /^T$/ : n === 2 ? /^rT$/ : /^r(U+r)*U+T$/);
            } else {
              expect(between).toMatch(/^r[BUPr]*P+T+$/);
            }
          } else if (previous === null) {
            // the first block: the peak right before the taper (recovery weeks aside), when there is room for load weeks
            const before = phases.slice(0, a.week).filter((p) => p !== 'taper' && p !== 'recovery');
            if (before.length > 0) expect(before.at(-1)).toBe('peak');
          }
          previous = a;
        }
        if (rules.eventDate !== null) expect(plan.weeks.at(-1)!.days.some((d) => d.date === rules.eventDate)).toBe(true);
      }),
      { numRuns: 500, seed: 20270614 },
    );
  });

  it('a second A event fewer than 8 weeks after the first: recovery → build → taper between them (300 athletes)', () => {
    const pair = fc.record({
      input: athleteWith(fc.constant<Priority>('C')),
      firstDay: fc.integer({ min: 0, max: 16 * 7 }),
      gap: fc.integer({ min: 1, max: 55 }),
    });
    const seen = new Set<string>();
    fc.assert(
      fc.property(pair, ({ input: base, firstDay, gap }) => {
        const monday = snapToMonday(base.startDate);
        const first = addDays(monday, firstDay);
        const second = addDays(first, gap);
        const input: PlanInput = {
          ...base,
          events: [
            { date: second, priority: 'A', name: 'Second' },
            { date: first, priority: 'A', name: 'First' },
          ],
        };
        const plan = generated(input);
        expect(validatePlan(plan, input)).toEqual([]);
        const [a, b] = planRules(input).events.filter((e) => e.priority === 'A') as [PlanEvent, PlanEvent];
        const between = plan.weeks
          .slice(a.week, b.week)
          .map((w) => LETTER[w.phase])
          .join('');
        seen.add(between);
        const n = b.week - a.week;
        if (n === 0) expect(plan.weeks[a.week - 1]!.phase).toBe('taper');
        else expect(between).toMatch(n === 1 ? /^T$/ : n === 2 ? /^rT$/ : /^r(U+r)*U+T$/);
      }),
      { numRuns: 300, seed: 8 },
    );
    // every bridge length from 1 to 8 weeks came up
    expect([...seen].map((s) => s.length).sort((x, y) => x - y)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('event days hold nothing; the 2 days before a B event and the day after any event hold easy rides only (300 athletes)', () => {
    fc.assert(
      fc.property(athlete, (input) => {
        const plan = generated(input);
        const { events } = planRules(input);
        for (const day of plan.weeks.flatMap((w) => w.days)) {
          for (const e of events) {
            const offset = daysBetween(e.date, day.date);
            if (offset === 0) expect(day.workouts, `${e.priority} event ${e.date}`).toEqual([]);
            if (offset === 1 || (e.priority === 'B' && (offset === -1 || offset === -2)))
              expect(day.workouts.every((w) => w.intensity === 'easy')).toBe(true);
          }
        }
      }),
      { numRuns: 300, seed: 61 },
    );
  });

  it("a B event's load week targets less than the load weeks around it (400 athletes)", () => {
    let checked = 0;
    let bWeeks = 0;
    fc.assert(
      fc.property(athleteWith(fc.constantFrom<Priority>('A', 'B', 'B', 'B', 'C'), 60), (input) => {
        const plan = generated(input);
        const rules = planRules(input);
        const { events } = rules;
        const eventWeeks = new Set(events.map((e) => e.week));
        for (const b of events.filter((e) => e.priority === 'B')) {
          const week = plan.weeks[b.week - 1]!;
          if (!isLoad(week.phase) || events.some((e) => e.priority === 'A' && e.week === b.week)) continue;
          // 80 % of what the week would hold: at most 80 % of its ramp target, 7 × (rampBase + cap × load weeks so far)
          bWeeks++;
          const loadWeeks = plan.weeks.slice(0, b.week).filter((w) => isLoad(w.phase)).length;
          expect(week.targetTss).toBeLessThanOrEqual(Math.round(0.8 * Math.round(7 * (rules.rampBase + rules.rampCap * loadWeeks))) + 0.5);
          for (const neighbour of [plan.weeks[b.week - 2], plan.weeks[b.week]]) {
            if (!neighbour || !isLoad(neighbour.phase) || eventWeeks.has(neighbour.week)) continue;
            // a neighbour whose own days an event changes (the 2 days before a Monday B event, the day after a Sunday event)
            const [monday, sunday] = [neighbour.days[0]!.date, neighbour.days[6]!.date];
            if (events.some((e) => daysBetween(sunday, e.date) <= 2 && daysBetween(monday, e.date) >= -1)) continue;
            // a neighbour whose hours or ramp lowered its target says so; the others keep the ramp's target
            if (neighbour.notes?.some((n) => n.startsWith('Target lowered'))) continue;
            checked++;
            expect(week.targetTss, `week ${week.week} (B ${b.date}) vs week ${neighbour.week}`).toBeLessThan(neighbour.targetTss);
          }
        }
      }),
      { numRuns: 400, seed: 5 },
    );
    expect(bWeeks).toBeGreaterThan(200);
    expect(checked).toBeGreaterThan(40);
  });
});
