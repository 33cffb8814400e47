/**
 * A reminder's schedule: the days it can take, its defaults, the next time it is due in the
 * athlete's zone (croner), and how that time reads.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE,
  formatReminderTime,
  isReminderDay,
  nextReminderAt,
  REMINDER_DAYS,
} from '../../../src/domain/reminder-schedule.js';

describe('reminder schedule', () => {
  it('takes the days 1 to 28 and "last", written without a leading zero', () => {
    expect(REMINDER_DAYS).toHaveLength(29);
    for (const day of ['1', '9', '15', '28', 'last']) expect(isReminderDay(day), day).toBe(true);
    for (const day of ['0', '01', '29', '31', 'L', 'first', '']) expect(isReminderDay(day), day).toBe(false);
  });

  it('the default schedule is a valid one: the 1st at 09:00', () => {
    expect(DEFAULT_SCHEDULE).toEqual({ dayOfMonth: '1', timeOfDay: '09:00' });
    expect(nextReminderAt({ ...DEFAULT_SCHEDULE, timeZone: 'UTC' }, new Date('2026-03-10T12:00:00Z'))).toEqual(
      new Date('2026-04-01T09:00:00Z'),
    );
  });

  it('is due at the local time of the zone, strictly after `from`', () => {
    const at = (dayOfMonth: string, timeOfDay: string, timeZone: string, from: string) =>
      nextReminderAt({ dayOfMonth, timeOfDay, timeZone }, new Date(from))?.toISOString() ?? null;
    expect(at('1', '09:00', 'Europe/Paris', '2026-03-10T12:00:00Z')).toBe('2026-04-01T07:00:00.000Z'); // CEST
    expect(at('1', '09:00', 'Europe/Paris', '2026-01-10T12:00:00Z')).toBe('2026-02-01T08:00:00.000Z'); // CET
    expect(at('last', '19:30', 'UTC', '2026-02-10T00:00:00Z')).toBe('2026-02-28T19:30:00.000Z');
    expect(at('15', '09:00', 'UTC', '2026-03-15T09:00:00Z')).toBe('2026-04-15T09:00:00.000Z');
  });

  it('an impossible schedule has no next time', () => {
    const from = new Date('2026-03-10T12:00:00Z');
    expect(nextReminderAt({ dayOfMonth: '29', timeOfDay: '09:00', timeZone: 'UTC' }, from)).toBeNull();
    expect(nextReminderAt({ dayOfMonth: '1', timeOfDay: '24:00', timeZone: 'UTC' }, from)).toBeNull();
    expect(nextReminderAt({ dayOfMonth: '1', timeOfDay: '9:00', timeZone: 'UTC' }, from)).toBeNull();
    expect(nextReminderAt({ dayOfMonth: '1', timeOfDay: '09:00', timeZone: 'Nowhere/Else' }, from)).toBeNull();
  });

  it('reads in the athlete zone, or in UTC when the zone is not valid', () => {
    const date = new Date('2026-10-01T17:00:00Z');
    expect(formatReminderTime(date, 'Europe/Paris')).toBe('Thu 1 Oct 2026, 19:00 (Europe/Paris)');
    expect(formatReminderTime(date, 'Nowhere/Else')).toBe('Thu 1 Oct 2026, 17:00 (UTC)');
  });
});
