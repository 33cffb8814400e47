import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayNumber, daysBetween, longDate, monthsBetween, timeAgo, utcDate } from '../../../../src/domain/metrics/index.js';

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
