/** The periodization checks with several events: phases restart after an A event, A weeks taper, event days stay free of hard sessions. */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../src/domain/calendar.js';
import { generatePlan, validatePlan, type Plan, type PlanInput, type PlannedWorkout } from '../../../../src/domain/plan/index.js';

const START = '2027-01-04';
const day = (week: number, weekday: number): string => addDays(START, 7 * (week - 1) + weekday);
const INPUT: PlanInput = {
  ftp: 260,
  weeklyHours: 10,
  trainingDays: ['tue', 'wed', 'thu', 'sat', 'sun'],
  planWeeks: 12,
  startDate: START,
  fitness: { ctl: 50 },
  events: [
    { date: day(10, 6), priority: 'A', name: 'Spring Classic' },
    { date: day(13, 5), priority: 'C', name: 'Crit' },
    { date: day(15, 3), priority: 'B', name: 'Club TT' },
    { date: day(16, 6), priority: 'A', name: 'Marmotte' },
  ],
};

function generated(): Plan {
  const result = generatePlan(INPUT);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const codes = (plan: Plan, input: PlanInput): string[] => [...new Set(validatePlan(plan, input).map((v) => v.code))];
const hardWorkout = (plan: Plan): PlannedWorkout =>
  plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts)).find((w) => w.intensity === 'hard')!;

describe('checkPhaseOrder and checkEvent with several events', () => {
  it('a bridge plan is valid with its events; read as a one-event plan its second block is out of order', () => {
    const plan = generated();
    expect(plan.weeks.map((w) => w.phase).slice(10)).toEqual(['recovery', 'build', 'build', 'recovery', 'build', 'taper']);
    expect(validatePlan(plan, INPUT)).toEqual([]);
    const oneEvent = { ...INPUT, events: undefined, eventDate: day(16, 6) };
    const violations = validatePlan(plan, oneEvent);
    expect(violations.filter((v) => v.code === 'phase-order').map((v) => v.week)).toEqual([11, 12, 13, 14, 15]);
  });

  it("an earlier A event's week must be a taper week", () => {
    const plan = structuredClone(generated());
    plan.weeks[9]!.phase = 'peak';
    const violations = validatePlan(plan, INPUT).filter((v) => v.code === 'event-week');
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toBe(
      'Week 10 (2027-03-08 to 2027-03-14) holds the A event Spring Classic on 14 Mar 2027; make it a taper week (it is peak).',
    );
  });

  it('no hard session on an event day, nor on the 2 days before a B event', () => {
    const plan = structuredClone(generated());
    const hard = hardWorkout(plan);
    const crit = plan.weeks[12]!.days[5]!;
    const eve = plan.weeks[14]!.days[2]!;
    expect([crit.date, eve.date]).toEqual([day(13, 5), day(15, 2)]);
    crit.workouts = [hard];
    eve.workouts = [hard];
    const violations = validatePlan(plan, INPUT).filter((v) => v.code === 'event-week');
    expect(violations.map((v) => [v.week, v.date])).toEqual([
      [13, crit.date],
      [15, eve.date],
    ]);
    expect(violations[0]!.message).toContain("a hard session on the day of Crit on 3 Apr 2027; the event is that day's session.");
    expect(violations[1]!.message).toContain('a hard session in the 2 days before the B event Club TT on 15 Apr 2027; keep them easy.');
    expect(codes(plan, { ...INPUT, events: [] })).not.toContain('event-week');
  });
});
