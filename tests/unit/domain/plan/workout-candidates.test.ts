/** The options of one day: what its role allows from the library, with their penalties, and "none" last. */
import { describe, expect, it } from 'vitest';
import { workoutById } from '../../../../src/domain/plan/index.js';
import { candidatesFor, extensionHours, weekCandidates } from '../../../../src/domain/plan/workout-candidates.js';
import { weekRequest } from './fixtures.js';

describe('extensionHours', () => {
  it('reads the endurance minutes added to a session from its id', () => {
    expect(extensionHours(workoutById('tempo-2x20-plus90')!)).toBe(1.5);
    expect(extensionHours(workoutById('vo2max-40-20')!)).toBe(0);
  });
});

describe('candidatesFor', () => {
  it('a hard day: sessions of its type first, then easier options at a cost, and "none" last', () => {
    const options = candidatesFor('hard', 1, weekRequest(), 'vo2max');
    expect(options[0]!.workout!.type).toBe('vo2max');
    expect(options[0]!.penalty).toBe(0);
    expect(options.at(-1)).toEqual({ workout: null, tss: 0, minutes: 0, penalty: 0.06, structured: -1 });
    const easier = options.filter((o) => o.workout && o.workout.intensity !== 'hard');
    expect(easier.length).toBeGreaterThan(0);
    const lightestHard = Math.min(...options.filter((o) => o.workout?.intensity === 'hard').map((o) => o.tss));
    for (const o of easier) {
      expect(o.penalty).toBeGreaterThan(0);
      expect(o.tss).toBeLessThanOrEqual(lightestHard);
    }
  });

  it('never last week’s workout on the same weekday, nor more than the athlete’s hours', () => {
    const options = candidatesFor(
      'long',
      6,
      weekRequest({ previousWeekIds: [null, null, null, null, null, null, 'endurance-135'], maxHours: 2 }),
      undefined,
    );
    expect(options.some((o) => o.workout?.id === 'endurance-135')).toBe(false);
    expect(Math.max(...options.map((o) => o.minutes))).toBeLessThanOrEqual(120);
  });

  it('at most an hour the day before the event', () => {
    const options = candidatesFor('easy', 4, weekRequest({ eventDay: 5 }), undefined);
    expect(Math.max(...options.map((o) => o.minutes))).toBeLessThanOrEqual(60);
  });
});

describe('weekCandidates', () => {
  it('one option list per day with a role, kept in the request’s cache for the next attempt', () => {
    const cache = new Map<string, unknown>();
    const request = weekRequest({ cache });
    const lists = weekCandidates(request, [null, 'hard', null, 'moderate', null, 'hard', 'long'], [1, 3, 5, 6]);
    expect(lists).toHaveLength(4);
    expect(cache.size).toBe(4);
    const again = weekCandidates(request, [null, 'hard', null, 'moderate', null, 'hard', 'long'], [1, 3, 5, 6]);
    again.forEach((list, i) => expect(list).toBe(lists[i]));
  });
});
