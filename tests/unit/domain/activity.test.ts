import { describe, expect, it } from 'vitest';
import { isCycling, isSameActivity } from '../../../src/domain/activity.js';

const at = (iso: string) => new Date(iso);

describe('activity identity across sources', () => {
  const fit = { sourceHash: 'a', sessionIndex: 0, startTime: at('2026-05-01T08:00:00Z'), sport: 'cycling' };

  it('the same file is the same activity whatever else differs', () => {
    expect(isSameActivity(fit, { ...fit, startTime: at('2027-01-01T00:00:00Z'), sport: 'running' })).toBe(true);
  });

  it('a CSV row within 60 s and of the same sport is the same ride', () => {
    expect(isSameActivity(fit, { sourceHash: 'b', sessionIndex: 0, startTime: at('2026-05-01T08:00:59Z'), sport: 'cycling' })).toBe(true);
    expect(isSameActivity(fit, { sourceHash: 'b', sessionIndex: 0, startTime: at('2026-05-01T07:59:00Z'), sport: 'cycling' })).toBe(true);
  });

  it('61 s apart, another sport, or another session of the same file are different activities', () => {
    expect(isSameActivity(fit, { sourceHash: 'b', sessionIndex: 0, startTime: at('2026-05-01T08:01:01Z'), sport: 'cycling' })).toBe(false);
    expect(isSameActivity(fit, { sourceHash: 'b', sessionIndex: 0, startTime: at('2026-05-01T08:00:00Z'), sport: 'running' })).toBe(false);
    expect(isSameActivity(fit, { ...fit, sessionIndex: 1, startTime: at('2026-05-01T09:00:00Z'), sport: 'running' })).toBe(false);
  });

  it('only cycling counts as cycling power', () => {
    expect(isCycling('cycling')).toBe(true);
    expect(isCycling('running')).toBe(false);
    expect(isCycling('e_biking')).toBe(false);
  });
});
