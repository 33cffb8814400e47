/**
 * One time-zone check: what `/reminders zone X` and the profile's "zone X" (and the onboarding
 * answer to "your time zone?") accept and refuse is the same, and every zone they take passes the
 * calendar's isValidTimeZone.
 */
import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from '../../../src/domain/calendar.js';
import { parseProfileText } from '../../../src/conversation/profile-text.js';
import { parseReminderArgs } from '../../../src/conversation/reminder-args.js';
import { describeZone, isFixedOffsetZone, resolveTimeZone } from '../../../src/conversation/time-zones.js';

const ZONES = [
  'Paris',
  'paris',
  'Europe/Berlin',
  'europe/paris',
  'America/Argentina/Buenos_Aires',
  'US/Eastern',
  'Asia/Calcutta',
  'New York',
  'Salt Lake City',
  'Paris, France',
  'Munich',
  'CET',
  'Eastern',
  'pacific time',
  'UTC',
  'utc',
  'GMT',
  'Etc/GMT',
  'Etc/GMT-14',
  'GMT+1',
  'UTC-5',
  'UTC -5',
  'GMT + 1',
  'UTC+14',
  '+05:30',
  '-3:30',
  // refused
  'Mars/Olympus',
  'Nowhere',
  'Atlantis',
  'GMT+15',
  'UTC-13',
  '+05:17',
  'EST5EDT',
  'Factory',
  'Etc/GMT-15',
];

describe('/reminders zone X and the profile read zones alike', () => {
  it.each(ZONES)('zone %s', (zone) => {
    const reminders = parseReminderArgs(`zone ${zone}`);
    const profile = parseProfileText(`zone ${zone}`);
    const asked = parseProfileText(zone, { expecting: 'timeZone' });
    const named = parseProfileText(`time zone ${zone}`);
    const expected = resolveTimeZone(zone);
    expect(reminders.changes.timeZone).toBe(expected ?? undefined);
    for (const parsed of [profile, asked, named]) expect(parsed.changes.timeZone).toBe(expected ?? undefined);
    if (expected === null) {
      expect(reminders.errors[0]).toMatch(/is not a time zone I know/);
      for (const parsed of [profile, asked, named]) expect(parsed.errors[0]).toMatch(/is not a time zone I know/);
    } else expect(isValidTimeZone(expected)).toBe(true);
  });

  it('refuses and accepts as the list says', () => {
    const accepted = ZONES.filter((z) => resolveTimeZone(z) !== null);
    expect(ZONES.slice(ZONES.indexOf('Mars/Olympus')).filter((z) => accepted.includes(z))).toEqual([]);
    expect(accepted).toHaveLength(ZONES.indexOf('Mars/Olympus'));
  });

  it('"zone 2" in the profile is a training zone, not a time zone', () => {
    expect(parseProfileText('zone 2 rides are my favourite')).toEqual({ changes: { profile: {} }, errors: [], skipped: false });
  });
});

describe('resolveTimeZone', () => {
  it('every zone the runtime knows, by its id or its city, resolves to a zone the calendar accepts', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const byId = resolveTimeZone(zone);
      expect(byId, zone).not.toBeNull();
      expect(isValidTimeZone(byId!), zone).toBe(true);
      const byCity = resolveTimeZone(zone.split('/').at(-1)!.replace(/_/g, ' '));
      if (byCity !== null) expect(isValidTimeZone(byCity), zone).toBe(true);
    }
  });

  it('spells zones as the runtime does, and fixed offsets the POSIX way', () => {
    expect(resolveTimeZone('EUROPE/LONDON')).toBe('Europe/London');
    expect(resolveTimeZone('Etc/UTC')).toBe('UTC');
    expect(resolveTimeZone('GMT+1')).toBe('Etc/GMT-1');
    expect(resolveTimeZone('+05:45')).toBe('Asia/Kathmandu');
    expect(resolveTimeZone('my time zone is Tokyo.')).toBe('Asia/Tokyo');
    expect(resolveTimeZone('x'.repeat(61))).toBeNull();
  });

  it('says which zones keep one offset all year, and names them by it', () => {
    expect(isFixedOffsetZone('UTC')).toBe(true);
    expect(isFixedOffsetZone('Etc/GMT+5')).toBe(true);
    expect(isFixedOffsetZone('America/New_York')).toBe(false);
    expect(describeZone('Etc/GMT-14')).toBe('UTC+14');
    expect(describeZone('Europe/Paris')).toBe('Europe/Paris');
  });
});
