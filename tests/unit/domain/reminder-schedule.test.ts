/**
 * A reminder's schedule: the days it can take, its defaults, the next time it is due in the
 * athlete's zone (croner) — across DST switches in two zones and on the last day of February —
 * and how that time reads.
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

describe('when a reminder is due', () => {
  const next = (dayOfMonth: string, timeOfDay: string, timeZone: string, from: string) =>
    nextReminderAt({ dayOfMonth, timeOfDay, timeZone }, new Date(from))?.toISOString();

  it('Europe/Berlin: 09:00 local on the 1st, across both DST switches (CET +1, CEST +2)', () => {
    expect(next('1', '09:00', 'Europe/Berlin', '2026-02-15T00:00:00Z')).toBe('2026-03-01T08:00:00.000Z'); // CET
    expect(next('1', '09:00', 'Europe/Berlin', '2026-03-01T08:00:00Z')).toBe('2026-04-01T07:00:00.000Z'); // CEST after 29 March
    expect(next('1', '09:00', 'Europe/Berlin', '2026-10-01T07:00:00Z')).toBe('2026-11-01T08:00:00.000Z'); // CET again after 25 October
    // on the switch days themselves: 02:30 does not exist on 28 March 2027 (clocks jump to 03:00 CEST)…
    expect(next('28', '02:30', 'Europe/Berlin', '2027-03-01T00:00:00Z')).toBe('2027-03-28T01:00:00.000Z');
    // …and happens twice on 25 October 2026: sent at the first, not again at the second
    expect(next('25', '02:30', 'Europe/Berlin', '2026-10-01T00:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z')).toBe('2026-11-25T01:30:00.000Z');
  });

  it('America/New_York: 09:00 local, EST −5 / EDT −4 around 8 March and 1 November', () => {
    expect(next('1', '09:00', 'America/New_York', '2026-02-10T00:00:00Z')).toBe('2026-03-01T14:00:00.000Z');
    expect(next('1', '09:00', 'America/New_York', '2026-03-01T14:00:00Z')).toBe('2026-04-01T13:00:00.000Z');
    expect(next('1', '09:00', 'America/New_York', '2026-10-05T00:00:00Z')).toBe('2026-11-01T14:00:00.000Z');
    expect(next('8', '02:30', 'America/New_York', '2026-03-01T00:00:00Z')).toBe('2026-03-08T07:00:00.000Z'); // 02:30 skipped → 03:00 EDT
    expect(next('1', '01:30', 'America/New_York', '2026-10-15T00:00:00Z')).toBe('2026-11-01T05:30:00.000Z'); // first of the two 01:30s
  });

  it('`last`: 29 February in a leap year, 28 in others; 30/31 otherwise', () => {
    expect(next('last', '18:00', 'UTC', '2028-02-01T00:00:00Z')).toBe('2028-02-29T18:00:00.000Z');
    expect(next('last', '18:00', 'UTC', '2027-02-01T00:00:00Z')).toBe('2027-02-28T18:00:00.000Z');
    expect(next('last', '18:00', 'Europe/Berlin', '2027-04-02T00:00:00Z')).toBe('2027-04-30T16:00:00.000Z');
    expect(next('last', '09:00', 'America/New_York', '2028-02-29T14:00:00Z')).toBe('2028-03-31T13:00:00.000Z');
  });

  it('refuses impossible schedules', () => {
    expect(nextReminderAt({ dayOfMonth: '31', timeOfDay: '09:00', timeZone: 'UTC' }, new Date())).toBeNull();
    expect(nextReminderAt({ dayOfMonth: '1', timeOfDay: '25:00', timeZone: 'UTC' }, new Date())).toBeNull();
    expect(nextReminderAt({ dayOfMonth: '1', timeOfDay: '09:00', timeZone: 'Mars/Olympus' }, new Date())).toBeNull();
  });
});
