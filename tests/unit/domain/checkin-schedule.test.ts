/**
 * The weekly check-in's schedule: its default, the next time it is due on a weekday at a local time
 * in the athlete's zone — across DST switches in two zones, on the switch days themselves — and the
 * weeks a check-in speaks of, for each weekday it can be sent on.
 */
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, weekdayOf, zonedDate, type Weekday } from '../../../src/domain/calendar.js';
import { checkinWeeks, DEFAULT_CHECKIN, nextCheckinAt } from '../../../src/domain/checkin-schedule.js';

const next = (weekday: Weekday, timeOfDay: string, timeZone: string, from: string) =>
  nextCheckinAt({ weekday, timeOfDay, timeZone }, new Date(from))?.toISOString() ?? null;

describe('when a check-in is due', () => {
  it('by default on Monday at 08:00 in the athlete zone', () => {
    expect(DEFAULT_CHECKIN).toEqual({ weekday: 'mon', timeOfDay: '08:00' });
    // Wednesday 2026-03-04 → Monday 2026-03-09, 08:00 CET = 07:00 UTC
    expect(next(DEFAULT_CHECKIN.weekday, DEFAULT_CHECKIN.timeOfDay, 'Europe/Paris', '2026-03-04T12:00:00Z')).toBe(
      '2026-03-09T07:00:00.000Z',
    );
  });

  it('is strictly after `from`: at the due minute itself, the next week', () => {
    expect(next('mon', '08:00', 'UTC', '2026-03-09T07:59:00Z')).toBe('2026-03-09T08:00:00.000Z');
    expect(next('mon', '08:00', 'UTC', '2026-03-09T08:00:00Z')).toBe('2026-03-16T08:00:00.000Z');
  });

  it('lands on the chosen weekday at the chosen local time, whatever the weekday of `from`', () => {
    for (const weekday of WEEKDAYS) {
      for (const from of ['2026-06-01T00:00:00Z', '2026-06-04T21:30:00Z', '2026-06-07T23:59:00Z']) {
        const due = nextCheckinAt({ weekday, timeOfDay: '19:30', timeZone: 'America/New_York' }, new Date(from))!;
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit' }).format(due);
        expect(weekdayOf(zonedDate(due, 'America/New_York')), `${weekday} from ${from}`).toBe(weekday);
        expect(local).toBe('19:30');
        expect(due.getTime() - new Date(from).getTime()).toBeGreaterThan(0);
        expect(due.getTime() - new Date(from).getTime()).toBeLessThanOrEqual(7 * 86_400_000);
      }
    }
  });

  it('Europe/Berlin: the same local time across both DST switches; a skipped time comes after the jump, a repeated one once', () => {
    expect(next('mon', '08:00', 'Europe/Berlin', '2026-03-24T00:00:00Z')).toBe('2026-03-30T06:00:00.000Z'); // CEST since 29 March
    expect(next('mon', '08:00', 'Europe/Berlin', '2026-03-20T00:00:00Z')).toBe('2026-03-23T07:00:00.000Z'); // still CET
    expect(next('mon', '08:00', 'Europe/Berlin', '2026-10-20T00:00:00Z')).toBe('2026-10-26T07:00:00.000Z'); // CET again after 25 October
    // Sunday 29 March 2026: 02:30 does not exist (02:00 → 03:00): the check-in comes at 03:00 CEST
    expect(next('sun', '02:30', 'Europe/Berlin', '2026-03-23T00:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    // Sunday 25 October 2026: 02:30 happens twice: the first, and not again at the second
    expect(next('sun', '02:30', 'Europe/Berlin', '2026-10-20T00:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('sun', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z')).toBe('2026-11-01T01:30:00.000Z');
  });

  it('America/New_York: EST −5 / EDT −4 around 8 March and 1 November', () => {
    expect(next('mon', '08:00', 'America/New_York', '2026-03-03T00:00:00Z')).toBe('2026-03-09T12:00:00.000Z'); // EDT
    expect(next('mon', '08:00', 'America/New_York', '2026-02-24T00:00:00Z')).toBe('2026-03-02T13:00:00.000Z'); // EST
    expect(next('sun', '02:30', 'America/New_York', '2026-03-02T00:00:00Z')).toBe('2026-03-08T07:00:00.000Z'); // 02:30 skipped → 03:00 EDT
    expect(next('sun', '01:30', 'America/New_York', '2026-10-26T00:00:00Z')).toBe('2026-11-01T05:30:00.000Z'); // the first of two 01:30s
  });

  it('an impossible schedule has no next time', () => {
    const from = '2026-03-10T12:00:00Z';
    expect(next('mon', '24:00', 'UTC', from)).toBeNull();
    expect(next('mon', '8:00', 'UTC', from)).toBeNull();
    expect(next('mon', '08:00', 'Nowhere/Else', from)).toBeNull();
  });
});

describe('the weeks a check-in speaks of', () => {
  it('Monday to Thursday: last week and this week; Friday to Sunday: this week and the next', () => {
    // 2026-03-09 is a Monday
    const days = WEEKDAYS.map((_, i) => `2026-03-${String(9 + i).padStart(2, '0')}`);
    const weeks = days.map(checkinWeeks);
    for (const [i, w] of weeks.entries()) {
      expect(weekdayOf(w.coming.from)).toBe('mon');
      expect(weekdayOf(w.coming.to)).toBe('sun');
      expect(weekdayOf(w.last.from)).toBe('mon');
      expect(w.last.to < w.coming.from).toBe(true);
      expect(w.coming.from, days[i]).toBe(i < 4 ? '2026-03-09' : '2026-03-16');
      expect(w.last.from, days[i]).toBe(i < 4 ? '2026-03-02' : '2026-03-09');
    }
    expect(checkinWeeks('2026-03-09')).toEqual({
      last: { from: '2026-03-02', to: '2026-03-08' },
      coming: { from: '2026-03-09', to: '2026-03-15' },
    });
  });
});
