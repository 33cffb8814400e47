/** planContext: the phase layout and the athlete's start that every week of a plan is built from. */
import { describe, expect, it } from 'vitest';
import { planContext, type PlanInput } from '../../../../src/domain/plan/index.js';

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['sun', 'tue', 'sat', 'thu'],
  planWeeks: 8,
  startDate: '2025-03-05',
  fitness: { ctl: 40 },
};

describe('planContext', () => {
  it('phases, training days as weekday indices, the start Monday, no weeks yet', () => {
    const context = planContext(INPUT);
    expect(context.rules.startDate).toBe('2025-03-10');
    expect(context.phases).toEqual(['base', 'base', 'base', 'recovery', 'build', 'build', 'build', 'recovery']);
    expect([...context.training].sort()).toEqual([1, 3, 5, 6]);
    expect(context.taperWeeks).toBe(0);
    expect(context.weeks).toEqual([]);
    expect(context.history).toEqual([]);
  });

  it('an event ends the plan with a taper', () => {
    const context = planContext({ ...INPUT, eventDate: '2025-05-03' });
    expect(context.phases.at(-1)).toBe('taper');
    expect(context.taperWeeks).toBe(1);
    expect(context.taperFactors).toEqual([0.6]);
  });

  it('a return block makes week 1 a recovery week', () => {
    const context = planContext({ ...INPUT, fitness: { ctl: 5, lastRideDate: '2025-01-01' } });
    expect(context.start.returnBlock).toBe(true);
    expect(context.phases[0]).toBe('recovery');
    expect(context.phases[1]).toBe('base');
  });
});
