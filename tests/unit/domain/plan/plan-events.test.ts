/** Events with priorities: the phase layout around A events, what B and C events change in a week, the input helper. */
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, WEEKDAYS } from '../../../../src/domain/calendar.js';
import {
  checkPlanInput,
  generatePlan,
  planRules,
  validatePlan,
  type Phase,
  type Plan,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';
import {
  BRIDGE_DAYS,
  bridgePhases,
  eventPlanNotes,
  phaseLayout,
  planEvents,
  weekEvents,
  type PlanEventInput,
} from '../../../../src/domain/plan/plan-events.js';

const short = (phases: readonly Phase[]): string =>
  phases.map((p) => ({ base: 'B', build: 'U', peak: 'P', taper: 'T', recovery: 'r' })[p]).join('');

/** Monday 4 Jan 2027 is week 1. */
const START = '2027-01-04';
const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 9,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 12,
  startDate: START,
  age: 40,
  fitness: { ctl: 45, limiters: ['vo2max'] },
};
/** Day `weekday` (0 = Monday) of plan week `week`. */
const day = (week: number, weekday: number): string => addDays(START, 7 * (week - 1) + weekday);
const datesOf = (week: number): string[] => WEEKDAYS.map((_, i) => day(week, i));

function plan(input: PlanInput): Plan {
  const result = generatePlan(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  expect(validatePlan(result.value, input)).toEqual([]);
  return result.value;
}

describe('bridgePhases', () => {
  it('recovery, build runs of at most 3 load weeks (2 for masters), a 1-week re-taper; never recovery right before it', () => {
    const every4 = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => short(bridgePhases(n, 4)));
    expect(every4).toEqual(['T', 'rT', 'rUT', 'rUUT', 'rUUUT', 'rUUrUT', 'rUUrUUT', 'rUUUrUUT']);
    const every3 = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => short(bridgePhases(n, 3)));
    expect(every3).toEqual(['T', 'rT', 'rUT', 'rUUT', 'rUrUT', 'rUUrUT', 'rUUrUUT', 'rUUrUrUT']);
    for (const s of [...every4, ...every3]) {
      expect(s).not.toMatch(/U{4}/);
      if (s !== 'rT') expect(s).not.toMatch(/rT$/);
    }
    expect(every3.join(' ')).not.toMatch(/U{3}/);
  });
});

describe('phaseLayout', () => {
  const layout = (events: PlanEventInput[], extra: Partial<PlanInput> = {}) => phaseLayout(planRules({ ...INPUT, ...extra, events }));

  it('one A event: the single-event layout, whatever the planWeeks', () => {
    const single = layout([{ date: day(12, 6), priority: 'A', name: 'Marmotte' }]);
    expect(short(single.phases)).toBe('BBBrUUUrPPTT');
    expect(single.taperShares.slice(10)).toEqual([0.75, 0.5]);
    const legacy = phaseLayout(planRules({ ...INPUT, eventDate: day(12, 6) }));
    expect(legacy).toEqual(single);
  });

  it('a second A event 7 weeks later: a bridge — recovery, rebuild, re-taper — after the first peak and taper', () => {
    const first = day(15, 6);
    const second = day(22, 6);
    expect(daysBetween(first, second)).toBeLessThan(BRIDGE_DAYS);
    const { phases, taperShares } = layout([
      { date: second, priority: 'A', name: 'Marmotte' },
      { date: first, priority: 'A', name: 'Spring Classic' },
    ]);
    const s = short(phases);
    expect(s.slice(0, 15)).toBe(short(phaseLayout(planRules({ ...INPUT, eventDate: first })).phases));
    expect(s.slice(15)).toBe('rUUrUUT');
    expect(taperShares[21]).toBe(0.6);
    expect(phases).toHaveLength(22);
  });

  it('8 weeks or more apart: recovery and a new block; a new base shorter than 3 load weeks is build', () => {
    const far = layout([
      { date: day(10, 6), priority: 'A', name: 'Early' },
      { date: day(23, 6), priority: 'A', name: 'Main' },
    ]);
    // 13 weeks after the first: a recovery week, then the 12-week block (3 base weeks: kept)
    expect(short(far.phases)).toBe(`${short(phaseLayout(planRules({ ...INPUT, eventDate: day(10, 6) })).phases)}rBBBrUUUrPPTT`);
    // exactly 56 days: not a bridge; 7 weeks after the recovery week would hold 2 base weeks, so build
    const eight = layout([
      { date: day(9, 5), priority: 'A', name: 'Early' },
      { date: day(17, 5), priority: 'A', name: 'Main' },
    ]);
    expect(short(eight.phases).slice(9)).toBe('rUUUrUPT');
  });

  it('an A event in week 1–3 without a later one: the plan runs planWeeks, the event gets its taper, then training resumes', () => {
    const early = layout([{ date: day(2, 6), priority: 'A', name: 'Opener' }]);
    expect(short(early.phases)).toBe('PTrBBBrBUUrU');
    expect(planRules({ ...INPUT, events: [{ date: day(2, 6), priority: 'A', name: 'Opener' }] }).eventDate).toBeNull();
  });

  it('B and C events change no phase', () => {
    const plain = phaseLayout(planRules(INPUT));
    const withBC = layout([
      { date: day(3, 5), priority: 'B', name: 'Club TT' },
      { date: day(6, 2), priority: 'C', name: 'Crit' },
    ]);
    expect(withBC).toEqual(plain);
  });
});

describe('weekEvents', () => {
  const rulesWith = (events: PlanEventInput[]) => planRules({ ...INPUT, events });

  it('a B event on Wednesday: the event day off, Monday and Tuesday easy without the long ride, Thursday easy, a lighter week', () => {
    const w = weekEvents(rulesWith([{ date: day(3, 2), priority: 'B', name: 'Club TT' }]), datesOf(3));
    expect(w.eventDays).toEqual([2]);
    expect(w.easyDays).toEqual([0, 1, 3]);
    expect(w.noLongDays).toEqual([0, 1]);
    expect(w.eventDay).toBeNull();
    expect(w.lighter?.name).toBe('Club TT');
  });

  it('a B event on Monday makes the Saturday and Sunday before easy; a C event only the day after', () => {
    const rules = rulesWith([
      { date: day(4, 0), priority: 'B', name: 'Monday TT' },
      { date: day(4, 5), priority: 'C', name: 'Crit' },
    ]);
    expect(weekEvents(rules, datesOf(3))).toMatchObject({ eventDays: [], easyDays: [5, 6], noLongDays: [5, 6], lighter: null });
    expect(weekEvents(rules, datesOf(4))).toMatchObject({ eventDays: [0, 5], easyDays: [1, 6], noLongDays: [] });
  });

  it("an A event that does not end the plan: no long ride, the rest of its week easy, no B week's cut", () => {
    const rules = rulesWith([
      { date: day(6, 3), priority: 'A', name: 'Early' },
      { date: day(6, 1), priority: 'B', name: 'Prep' },
      { date: day(14, 6), priority: 'A', name: 'Main' },
    ]);
    const w = weekEvents(rules, datesOf(6));
    expect(w.eventDay).toBe(3);
    expect(w.eventDays).toEqual([1, 3]);
    expect(w.easyDays).toEqual([0, 2, 4, 5, 6]);
    expect(w.lighter).toBeNull();
  });
});

describe('generatePlan with events', () => {
  it('eventDate alone and the same date as a named A event plan the same weeks; the named one says its name', () => {
    const legacy = plan({ ...INPUT, eventDate: day(10, 6) });
    const named = plan({ ...INPUT, events: [{ date: day(10, 6), priority: 'A', name: 'Marmotte' }] });
    const both = plan({ ...INPUT, eventDate: day(10, 6), events: [{ date: day(10, 6), priority: 'A', name: 'Marmotte' }] });
    const shape = (p: Plan) => p.weeks.map((w) => [w.phase, w.targetTss, w.plannedTss]);
    expect(shape(named)).toEqual(shape(legacy));
    expect(both).toEqual(named);
    expect(legacy.weeks.at(-1)!.notes).toContain(`Event week: short openers, fresh legs for ${day(10, 6)}.`);
    expect(named.weeks.at(-1)!.notes).toContain(`Event week: short openers, fresh legs for Marmotte (${day(10, 6)}).`);
    expect(named.eventDate).toBe(day(10, 6));
  });

  it("a B event's load week is 80 % of what it would hold, the days around it easy; the weeks after are unchanged in phase", () => {
    const b = day(6, 5);
    const without = plan(INPUT);
    const withB = plan({ ...INPUT, events: [{ date: b, priority: 'B', name: 'Club TT' }] });
    expect(withB.weeks.map((w) => w.phase)).toEqual(without.weeks.map((w) => w.phase));
    const week = withB.weeks[5]!;
    expect(week.targetTss).toBe(Math.round(0.8 * without.weeks[5]!.targetTss));
    expect(week.notes?.some((n) => n.startsWith(`Club TT on 13 Feb 2027 (B): a short taper — ${week.targetTss} TSS, 80 %`))).toBe(true);
    const saturday = week.days[5]!;
    expect(saturday.date).toBe(b);
    expect(saturday.workouts).toEqual([]);
    for (const i of [3, 4, 6]) expect(week.days[i]!.workouts.every((w) => w.intensity === 'easy')).toBe(true);
    expect(week.targetTss).toBeLessThan(withB.weeks[4]!.targetTss);
    expect(week.targetTss).toBeLessThan(withB.weeks[6]!.targetTss);
  });

  it("a C event is trained through: the same phases, the week's target kept, nothing on the day, easy the day after", () => {
    const c = day(5, 5);
    const without = plan(INPUT);
    const withC = plan({ ...INPUT, events: [{ date: c, priority: 'C', name: 'Crit' }] });
    expect(withC.weeks.map((w) => w.phase)).toEqual(without.weeks.map((w) => w.phase));
    const week = withC.weeks[4]!;
    expect(week.targetTss).toBe(without.weeks[4]!.targetTss);
    expect(week.days[5]!.workouts).toEqual([]);
    expect(week.days[6]!.workouts.every((w) => w.intensity === 'easy')).toBe(true);
  });

  it('notes every event and the ones outside the plan', () => {
    const input: PlanInput = {
      ...INPUT,
      events: [
        { date: day(8, 6), priority: 'A', name: 'Main' },
        { date: day(4, 5), priority: 'B', name: 'Club TT' },
        { date: day(12, 5), priority: 'C', name: 'Late crit' },
        { date: addDays(START, -3), priority: 'C', name: 'Past crit' },
      ],
    };
    const notes = plan(input).notes!;
    expect(notes).toContain('Club TT on 30 Jan 2027 (B, week 4): a short taper — a lighter week, easy rides only on the 2 days before.');
    expect(notes).toContain('Main on 28 Feb 2027 (A, week 8): the plan builds to it, peaks, tapers and ends with it.');
    expect(notes).toContain('Late crit on 27 Mar 2027 is outside this plan (4 Jan 2027 to 28 Feb 2027): not planned for.');
    expect(notes).toContain('Past crit on 1 Jan 2027 is outside this plan (4 Jan 2027 to 28 Feb 2027): not planned for.');
    expect(eventPlanNotes({ ...INPUT, eventDate: day(8, 6) }, planRules({ ...INPUT, eventDate: day(8, 6) }))).toEqual([]);
  });
});

describe('event input', () => {
  it('refuses events without a date, a priority or a name, and needs planWeeks only without an A event in weeks 4–24', () => {
    const bad = { ...INPUT, events: [{ date: '2027-02-30', priority: 'D', name: 7 }] } as unknown as PlanInput;
    expect(checkPlanInput(bad).map((v) => v.message)).toEqual([
      'events[0].date must be a date as YYYY-MM-DD (got "2027-02-30").',
      'events[0].priority must be A, B or C (got "D").',
      'events[0].name must be text of at most 200 characters.',
    ]);
    const noWeeks = { ...INPUT, planWeeks: 0 };
    expect(checkPlanInput({ ...noWeeks, events: [{ date: day(9, 6), priority: 'A', name: 'Main' }] })).toEqual([]);
    expect(checkPlanInput({ ...noWeeks, events: [{ date: day(9, 6), priority: 'B', name: 'TT' }] })[0]?.message).toMatch(
      /^planWeeks must be/,
    );
  });

  it('planEvents: stored events from the start Monday to week 24 in date order, the last A event in weeks 4–24 as eventDate', () => {
    const stored = [
      { id: 'e1', date: day(20, 6), priority: 'A' as const, name: 'Main' },
      { id: 'e2', date: day(6, 6), priority: 'B' as const, name: 'TT' },
      { id: 'e3', date: day(26, 6), priority: 'A' as const, name: 'Too far' },
      { id: 'e4', date: addDays(START, -1), priority: 'A' as const, name: 'Past' },
    ];
    expect(planEvents(stored, '2027-01-01')).toEqual({
      eventDate: day(20, 6),
      events: [
        { date: day(6, 6), priority: 'B', name: 'TT' },
        { date: day(20, 6), priority: 'A', name: 'Main' },
      ],
    });
    expect(planEvents([{ date: day(2, 6), priority: 'A', name: 'Soon' }], START).eventDate).toBeNull();
  });
});

describe('a recovery week that holds an event', () => {
  it('may be lighter than half the week before: the race is load the plan does not count (found by the adaptation property test)', () => {
    // two riding days, one of them the B event: the recovery week keeps only Wednesday's easy ride
    const tight: PlanInput = {
      ftp: 100,
      weeklyHours: 3.5,
      trainingDays: ['wed', 'thu'],
      planWeeks: 9,
      eventDate: '2024-02-26',
      startDate: '2024-01-01',
      events: [{ date: '2024-02-15', priority: 'B', name: 'Race' }],
      fitness: { ctl: 0, atl: 0 },
    };
    const made = plan(tight);
    const week7 = made.weeks[6]!;
    expect(week7.phase).toBe('recovery');
    expect(week7.targetTss).toBeLessThan(0.5 * made.weeks[5]!.targetTss);
    // without the event the same lightness is still refused
    const withoutEvent = { ...made, weeks: made.weeks.map((w) => w) };
    expect(validatePlan(withoutEvent, { ...tight, events: [] }).map((v) => v.code)).toContain('recovery-not-lighter');
  });
});
