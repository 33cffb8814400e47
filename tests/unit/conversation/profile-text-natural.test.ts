/**
 * Profile answers as people write them: hedged numbers, cities and zone names, offsets (with
 * POSIX's inverted Etc/ signs), dates written out.
 */
import { describe, expect, it } from 'vitest';
import { parseProfileText } from '../../../src/conversation/profile-text.js';
import { withoutHedges } from '../../../src/conversation/profile-words.js';
import { describeZone, isFixedOffsetZone, resolveTimeZone } from '../../../src/conversation/time-zones.js';
import { findDate } from '../../../src/conversation/written-dates.js';

const p = (text: string, options: Parameters<typeof parseProfileText>[1] = {}) =>
  parseProfileText(text, { today: '2026-09-15', ...options });

describe('hedged numbers', () => {
  it.each([
    ['about 250', 'ftp', { ftp: 250 }],
    ['250ish', 'ftp', { ftp: 250 }],
    ['250-ish', 'ftp', { ftp: 250 }],
    ["I think it's about 250 watts", 'ftp', { ftp: 250 }],
    ['roughly 255W', 'ftp', { ftp: 255 }],
    ['~70 kilos', 'weightKg', { weightKg: 70 }],
    ['around 70kg', 'weightKg', { weightKg: 70 }],
    ['approx. 72 kilograms', 'weightKg', { weightKg: 72 }],
    ['11 stone', 'weightKg', { weightKg: 69.9 }],
    ['8 hours or so', 'weeklyHours', { weeklyHours: 8 }],
    ['8ish hours', 'weeklyHours', { weeklyHours: 8 }],
  ] as const)('%s (asked for %s)', (text, expecting, expected) => {
    const r = p(text, { expecting });
    expect(r.errors).toEqual([]);
    expect(r.changes.profile).toEqual(expected);
  });

  it('also without a question asked, and never inside a goal', () => {
    expect(p('my ftp is about 255').changes.profile).toEqual({ ftp: 255 });
    expect(withoutHedges('about 250, ~70 kg, 8 hours or so')).toBe('250, 70 kg, 8 hours');
    expect(p('goal: about 300 W by June').changes.profile).toEqual({ goals: 'about 300 W by June' });
  });
});

describe('time zones', () => {
  it.each([
    ['London', 'Europe/London'],
    ['Paris', 'Europe/Paris'],
    ['paris, France', 'Europe/Paris'],
    ['I live in New York', 'America/New_York'],
    ['NYC', 'America/New_York'],
    ['Munich', 'Europe/Berlin'],
    ['san francisco', 'America/Los_Angeles'],
    ['europe/berlin', 'Europe/Berlin'],
    ['CET', 'Europe/Paris'],
    ['CEST', 'Europe/Paris'],
    ['EST', 'America/New_York'],
    ['Pacific time', 'America/Los_Angeles'],
    ['UTC', 'UTC'],
    ['GMT', 'UTC'],
    ['GMT+1', 'Etc/GMT-1'],
    ['UTC-5', 'Etc/GMT+5'],
    ['utc +10', 'Etc/GMT-10'],
    ['+05:30', 'Asia/Kolkata'],
    ['GMT+0', 'UTC'],
  ])('%s → %s', (text, zone) => {
    expect(resolveTimeZone(text)).toBe(zone);
    expect(p(text, { expecting: 'timeZone' }).changes.timeZone).toBe(zone);
  });

  it('refuses what is no zone, and says how to write one', () => {
    expect(resolveTimeZone('Mars/Olympus')).toBeNull();
    expect(resolveTimeZone('Atlantis')).toBeNull();
    expect(resolveTimeZone('GMT+15')).toBeNull();
    expect(p('Atlantis', { expecting: 'timeZone' }).errors[0]).toMatch(/not a time zone I know; write your city \(e\.g\. Paris\)/);
  });

  it('outside the question: a zone id anywhere, a city or name after "time zone"', () => {
    expect(p('America/New_York').changes.timeZone).toBe('America/New_York');
    expect(p('time zone London').changes.timeZone).toBe('Europe/London');
    expect(p('tz GMT+2, metric units').changes).toEqual({ profile: {}, timeZone: 'Etc/GMT-2', units: 'metric' });
    expect(p('I ride in London on Sundays').changes.timeZone).toBeUndefined();
  });

  it('a city starting with "to" or "is" keeps its name: "is" and "to" are words, not prefixes', () => {
    expect(p('time zone Tokyo').changes.timeZone).toBe('Asia/Tokyo');
    expect(p('timezone Toronto').changes.timeZone).toBe('America/Toronto');
    expect(p('zone Tokyo').changes.timeZone).toBe('Asia/Tokyo');
    expect(p('time zone Istanbul').changes.timeZone).toBe('Europe/Istanbul');
    expect(p('time zone is Istanbul').changes.timeZone).toBe('Europe/Istanbul');
    expect(p('time zone to Tokyo').changes.timeZone).toBe('Asia/Tokyo');
  });

  it('names fixed offsets for the reply', () => {
    expect(isFixedOffsetZone('Etc/GMT-1')).toBe(true);
    expect(isFixedOffsetZone('Europe/Paris')).toBe(false);
    expect(describeZone('Etc/GMT-1')).toBe('UTC+1');
    expect(describeZone('Etc/GMT+5')).toBe('UTC−5');
  });
});

describe('dates written out', () => {
  it.each([
    ['Marmotte on July 5 2027', '2027-07-05'],
    ['Marmotte on July 5th, 2027', '2027-07-05'],
    ['Etape on 19 July 2027', '2027-07-19'],
    ['the 5th of July', '2027-07-05'], // no year: the next 5 July from 2026-09-15
    ['Dec 12', '2026-12-12'],
    ['race 5.7.2027', '2027-07-05'],
    ['2027-07-04', '2027-07-04'],
  ])('%s → %s', (text, date) => {
    expect(findDate(text, '2026-09-15')?.date).toBe(date);
  });

  it('no date in "FTP 300 by June 2027", and none that does not exist', () => {
    expect(findDate('FTP 300 by June 2027')).toBeNull();
    expect(findDate('February 30 2027')).toMatchObject({ date: null });
    expect(p('event February 30 2027').errors[0]).toMatch(/February 30 2027 is not a date/);
  });

  it('the goal keeps its words, the event date is read from them', () => {
    expect(p('Marmotte on July 5 2027', { expecting: 'goals' }).changes.profile).toEqual({
      goals: 'Marmotte on July 5 2027',
      eventDate: '2027-07-05',
    });
    expect(p('goal: Etape du Tour on 19 July').changes.profile).toEqual({ goals: 'Etape du Tour on 19 July', eventDate: '2027-07-19' });
    expect(p('race on July 5 2027').changes.profile).toEqual({ eventDate: '2027-07-05' });
    expect(p('race on July 5 2020').errors[0]).toMatch(/in the past/);
  });
});
