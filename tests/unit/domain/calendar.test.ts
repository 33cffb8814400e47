import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayNumber,
  daysBetween,
  isDate,
  isValidTimeZone,
  longDate,
  mondayOf,
  monthsBetween,
  timeAgo,
  utcDate,
  weekdayOf,
  zonedDate,
} from '../../../src/domain/calendar.js';

describe('date strings', () => {
  it('does day arithmetic in UTC', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-03-31', -31)).toBe('2024-02-29');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('adds months clamping to the month length', () => {
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-05-15', -6)).toBe('2023-11-15');
    expect(addMonths('2024-01-31', 13)).toBe('2025-02-28');
  });

  it('rejects malformed dates', () => {
    expect(() => dayNumber('2024-02-30')).toThrow(RangeError);
    expect(() => dayNumber('2024-2-3')).toThrow(RangeError);
  });

  it('takes the UTC date of an instant', () => {
    expect(utcDate(new Date('2024-05-01T23:30:00-02:00'))).toBe('2024-05-02');
  });
});

describe('dates in words', () => {
  it('spells a day out', () => {
    expect(longDate('2025-08-03')).toBe('3 Aug 2025');
    expect(longDate('2026-12-25')).toBe('25 Dec 2026');
    expect(() => longDate('2025-02-30')).toThrow(RangeError);
  });

  it('counts whole calendar months', () => {
    expect(monthsBetween('2025-08-03', '2026-12-07')).toBe(16);
    expect(monthsBetween('2025-08-25', '2026-12-07')).toBe(15);
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(1);
    expect(monthsBetween('2025-03-10', '2025-03-01')).toBe(0);
  });

  it('says how long ago, in the largest fitting unit', () => {
    expect(timeAgo('2026-12-07', '2026-12-07')).toBe('today');
    expect(timeAgo('2026-12-06', '2026-12-07')).toBe('yesterday');
    expect(timeAgo('2026-11-20', '2026-12-07')).toBe('17 days ago');
    expect(timeAgo('2026-11-01', '2026-12-07')).toBe('5 weeks ago');
    expect(timeAgo('2025-08-03', '2026-12-07')).toBe('16 months ago');
    expect(timeAgo('2023-08-03', '2026-12-07')).toBe('3 years ago');
  });
});

describe('the calendar module', () => {
  it('tells a real date from a malformed or impossible one', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
    expect(isDate('2025-2-01')).toBe(false);
    expect(isDate(20250201)).toBe(false);
  });

  it('names the weekday and finds the Monday of a week', () => {
    expect(weekdayOf('1970-01-01')).toBe('thu');
    expect(weekdayOf('2026-12-07')).toBe('mon');
    expect(weekdayOf('2026-12-13')).toBe('sun');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(mondayOf('2027-01-02')).toBe('2026-12-28');
  });

  it('gives the day of an instant in a zone, UTC for an unknown zone', () => {
    const lateEvening = new Date('2026-03-20T23:30:00Z');
    expect(zonedDate(lateEvening, 'Europe/Berlin')).toBe('2026-03-21');
    expect(zonedDate(lateEvening, 'America/New_York')).toBe('2026-03-20');
    expect(zonedDate(lateEvening, 'Mars/Olympus')).toBe('2026-03-20');
  });

  it('accepts IANA zones with a region and UTC, not abbreviations', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('CET')).toBe(false);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});
