/** The roles of a week's days (long, hard, moderate, easy) and the types its hard days train. */
import { describe, expect, it } from 'vitest';
import { assignRoles, hardTypeOrder, hardTypesForWeek } from '../../../../src/domain/plan/index.js';
import { weekRequest } from './fixtures.js';

describe('assignRoles', () => {
  it('long ride on Sunday, two hard days spread out, one moderate day in a build week', () => {
    expect(assignRoles(weekRequest())).toEqual([null, 'hard', null, 'moderate', null, 'hard', 'long']);
  });

  it('with all 7 days Monday stays a rest day; 6 riding days in build hold 3 hard days, never two in a row', () => {
    const roles = assignRoles(weekRequest({ availableDays: [0, 1, 2, 3, 4, 5, 6] }));
    expect(roles[0]).toBeNull();
    expect(roles.filter((r) => r === 'hard')).toHaveLength(3);
    roles.forEach((r, d) => {
      if (r === 'hard') expect(roles[d + 1]).not.toBe('hard');
    });
  });

  it('the event week has no long ride', () => {
    expect(assignRoles(weekRequest({ eventDay: 5 }))).not.toContain('long');
  });

  it('easy-only days get neither a hard nor a moderate role', () => {
    const roles = assignRoles(weekRequest({ easyDays: [1, 3] }));
    expect(roles[1]).toBe('easy');
    expect(roles[3]).toBe('easy');
    expect(roles[6]).toBe('long');
  });

  it('a crunched recovery week turns one easy day moderate; no training days, no roles', () => {
    expect(assignRoles(weekRequest({ phase: 'recovery', crunch: true })).filter((r) => r === 'moderate')).toHaveLength(1);
    expect(assignRoles(weekRequest({ availableDays: [] }))).toEqual([null, null, null, null, null, null, null]);
  });
});

describe('hardTypeOrder', () => {
  it('limiters first, the phase’s usual work next, strengths last; base trains no VO2max limiter', () => {
    expect(hardTypeOrder('build', ['anaerobic'], ['threshold'])).toEqual({
      limiterTypes: ['anaerobic'],
      order: ['anaerobic', 'vo2max', 'threshold'],
    });
    expect(hardTypeOrder('base', ['vo2max', 'endurance'], []).limiterTypes).toEqual([]);
    expect(hardTypeOrder('recovery', ['vo2max'], [])).toEqual({ limiterTypes: [], order: [] });
  });
});

describe('hardTypesForWeek', () => {
  it('the first hard day trains a limiter, rotating week by week; the others follow the order', () => {
    expect(hardTypesForWeek(weekRequest({ limiters: ['vo2max'] }), 2)).toEqual(['vo2max', 'threshold']);
    expect(hardTypesForWeek(weekRequest({ week: 2, limiters: ['vo2max', 'threshold'] }), 1)).toEqual(['vo2max']);
    expect(hardTypesForWeek(weekRequest({ week: 3, limiters: ['vo2max', 'threshold'] }), 1)).toEqual(['threshold']);
  });

  it('none for a recovery week or no hard days', () => {
    expect(hardTypesForWeek(weekRequest({ phase: 'recovery' }), 2)).toEqual([]);
    expect(hardTypesForWeek(weekRequest(), 0)).toEqual([]);
  });
});
