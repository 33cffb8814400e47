import { describe, expect, it } from 'vitest';
import { hasChanges, parseProfileText } from '../../../src/conversation/profile-text.js';

const p = (text: string, options: Parameters<typeof parseProfileText>[1] = {}) => parseProfileText(text, options);

describe('profile answers in free text', () => {
  it.each([
    ['ftp 265', { ftp: 265 }],
    ['My FTP is 265W', { ftp: 265 }],
    ['FTP: 301', { ftp: 301 }],
    ['weight 70kg', { weightKg: 70 }],
    ['I weigh 154 lb', { weightKg: 69.9 }],
    ['70,5 kg', { weightKg: 70.5 }],
    ['max hr 186', { maxHr: 186 }],
    ['LTHR 168', { lthr: 168 }],
    ['resting hr 48', { restingHr: 48 }],
    ['I can ride Tue Thu Sat Sun, 8h', { trainingDays: ['tue', 'thu', 'sat', 'sun'], weeklyHours: 8 }],
    ['weekends and wednesday, 6 hours a week', { trainingDays: ['wed', 'sat', 'sun'], weeklyHours: 6 }],
    ['Mon-Fri', { trainingDays: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    ['goal: sub-7 at the Marmotte', { goals: 'sub-7 at the Marmotte' }],
  ])('%s', (text, expected) => {
    const r = p(text);
    expect(r.errors).toEqual([]);
    expect(r.changes.profile).toMatchObject(expected);
  });

  it('takes a bare number as the answer to the question asked', () => {
    expect(p('265', { expecting: 'ftp' }).changes.profile).toEqual({ ftp: 265 });
    expect(p('70', { expecting: 'weightKg' }).changes.profile).toEqual({ weightKg: 70 });
    expect(p('154', { expecting: 'weightKg', units: 'imperial' }).changes.profile.weightKg).toBeCloseTo(69.9, 1);
    expect(p('185', { expecting: 'heartRate' }).changes.profile).toEqual({ maxHr: 185 });
    expect(p('9', { expecting: 'weeklyHours' }).changes.profile).toEqual({ weeklyHours: 9 });
  });

  it('says what is allowed when a value is out of range', () => {
    expect(p('ftp 9999').errors).toEqual(['FTP must be between 50 and 600 W.']);
    expect(p('weight 12 kg').errors[0]).toMatch(/Weight must be between 30 and 200 kg/);
    expect(p('max hr 300').errors[0]).toMatch(/Max heart rate must be between 100 and 230 bpm/);
    expect(p('60h').errors[0]).toMatch(/Hours per week must be between 1 and 40 h/);
    expect(p('Mars/Olympus', { expecting: 'timeZone' }).errors[0]).toMatch(/not a time zone I know/);
    expect(p('2027-02-30', { expecting: 'eventDate' }).errors[0]).toMatch(/not a date/);
    expect(p('event 2020-01-01', { today: '2026-11-24' }).errors[0]).toMatch(/in the past/);
  });

  it('understands skipping, time zones, units and event dates', () => {
    expect(p("I don't know", { expecting: 'ftp' }).skipped).toBe(true);
    expect(p('skip', { expecting: 'goals' }).skipped).toBe(true);
    expect(p('Europe/Berlin', { expecting: 'timeZone' }).changes.timeZone).toBe('Europe/Berlin');
    expect(p('America/New_York').changes.timeZone).toBe('America/New_York');
    expect(p('imperial', { expecting: 'units' }).changes.units).toBe('imperial');
    expect(p('Marmotte on 2027-07-04', { expecting: 'goals', today: '2026-11-24' }).changes.profile).toEqual({
      goals: 'Marmotte on 2027-07-04',
      eventDate: '2027-07-04',
    });
  });

  it('keeps a goal as text, and reads hours beside a heart rate', () => {
    expect(p('goal: FTP 300 by June, sub-7 Marmotte on 2027-07-04', { today: '2026-11-24' }).changes.profile).toEqual({
      goals: 'FTP 300 by June, sub-7 Marmotte on 2027-07-04',
      eventDate: '2027-07-04',
    });
    expect(p('goal: 4 w/kg').changes).toEqual({ profile: { goals: '4 w/kg' } });
    expect(p('max hr 186, 8h a week').changes.profile).toEqual({ maxHr: 186, weeklyHours: 8 });
  });

  it('finds nothing in ordinary chatter', () => {
    const r = p('what a lovely day');
    expect(r.errors).toEqual([]);
    expect(r.changes).toEqual({ profile: {} });
  });

  it('says whether an answer changed anything: a value, the time zone or the units', () => {
    expect(hasChanges(p('what a lovely day').changes)).toBe(false);
    expect(hasChanges(p('ftp 265').changes)).toBe(true);
    expect(hasChanges(p('time zone Paris').changes)).toBe(true);
    expect(hasChanges(p('units imperial').changes)).toBe(true);
  });

  it('"zone X" sets the time zone as /reminders zone X does; "zone 2" is a training zone', () => {
    expect(p('zone Paris').changes).toEqual({ profile: {}, timeZone: 'Europe/Paris' });
    expect(p('ftp 265, zone New York').changes).toEqual({ profile: { ftp: 265 }, timeZone: 'America/New_York' });
    expect(p('zone 2 feels easy').changes).toEqual({ profile: {} });
  });
});
