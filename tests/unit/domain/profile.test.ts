import { describe, expect, it } from 'vitest';
import {
  EMPTY_PROFILE,
  ftpChanges,
  profileAt,
  profileChange,
  resolvedHistory,
  type ProfileFields,
  type ProfileVersion,
} from '../../../src/domain/profile.js';
import { zonedDate } from '../../../src/domain/calendar.js';
import { dailyLoads, rideLoads } from '../../../src/domain/training-load.js';
import { constant, makeActivity, makeStreams } from './metrics/fixtures.js';

const version = (at: string, fields: Partial<ProfileFields> = {}): ProfileVersion => ({
  ...EMPTY_PROFILE,
  validFrom: new Date(at),
  ...fields,
});

describe('profileAt: each measured field resolved on its own', () => {
  // onboarding: "I don't know" the FTP, then a weight; the FTP comes days later, after the rides
  const history = [version('2026-03-01T10:00:00Z', { weightKg: 70 }), version('2026-03-20T18:00:00Z', { weightKg: 70, ftp: 250 })];

  it("gives a ride older than the first FTP that first FTP, not the earlier version's null", () => {
    const feb = profileAt(history, new Date('2026-02-10T08:00:00Z'))!;
    expect(feb.ftp).toBe(250);
    expect(feb.weightKg).toBe(70);
    const mar = profileAt(history, new Date('2026-03-10T08:00:00Z'))!;
    expect(mar.ftp).toBe(250); // the version in force has no FTP: the earliest after it applies
    expect(mar.validFrom).toEqual(new Date('2026-03-01T10:00:00Z'));
  });

  it('takes the latest known value on or before the date, else the earliest after it', () => {
    const h = [
      version('2026-01-01T00:00:00Z', { ftp: 240 }),
      version('2026-02-01T00:00:00Z', { weightKg: 72 }), // weight known from February only; ftp not carried in this row
      version('2026-03-01T00:00:00Z', { ftp: 260, weightKg: 71 }),
      version('2026-04-01T00:00:00Z', { maxHr: 188 }),
    ];
    const at = (d: string) => profileAt(h, new Date(d))!;
    expect([at('2025-12-01').ftp, at('2026-01-15').ftp, at('2026-02-15').ftp, at('2026-03-15').ftp, at('2026-05-01').ftp]).toEqual([
      240, 240, 240, 260, 260,
    ]);
    expect([at('2025-12-01').weightKg, at('2026-01-15').weightKg, at('2026-02-15').weightKg, at('2026-03-15').weightKg]).toEqual([
      72, 72, 72, 71,
    ]);
    expect([at('2026-01-15').maxHr, at('2026-05-01').maxHr]).toEqual([188, 188]);
  });

  it('keeps choices (goals, event, days) from the version in force: a cleared goal stays cleared', () => {
    const h = [
      version('2026-01-01T00:00:00Z', { goals: 'Marmotte', ftp: 250 }),
      version('2026-02-01T00:00:00Z', { goals: null, ftp: 250 }),
    ];
    expect(profileAt(h, new Date('2026-03-01'))!.goals).toBeNull();
    expect(profileAt(h, new Date('2026-01-15'))!.goals).toBe('Marmotte');
  });

  it('is null without any version; resolvedHistory fills every version the same way', () => {
    expect(profileAt([], new Date())).toBeNull();
    expect(resolvedHistory(history).map((p) => p.ftp)).toEqual([250, 250]);
  });

  it('gives every ride a TSS once an FTP is known, whenever it was entered', () => {
    const ride = makeActivity({
      id: 'r1',
      startTime: new Date('2026-02-10T08:00:00Z'),
      streams: makeStreams({ power: constant(3600, 200) }),
    });
    const [load] = rideLoads([ride], history);
    expect(load!.metrics.tss).toBeCloseTo((200 / 250) ** 2 * 100, 6);
    expect(dailyLoads([load!])).toEqual([{ date: '2026-02-10', load: load!.metrics.tss }]);
  });
});

describe("profileChange: a correction on the same day replaces that day's version", () => {
  const zone = 'Europe/Berlin';
  const rows = [
    { ...version('2026-03-01T10:00:00Z', { weightKg: 70 }), id: 'a' },
    { ...version('2026-03-20T09:00:00Z', { weightKg: 70, ftp: 250 }), id: 'b' },
  ];

  it("replaces the day's version, keeping its start and the other fields", () => {
    const { version: next, replaces } = profileChange(rows, { ftp: 262 }, new Date('2026-03-20T20:30:00Z'), zone);
    expect(replaces?.id).toBe('b');
    expect(next).toEqual({ ...EMPTY_PROFILE, weightKg: 70, ftp: 262, validFrom: new Date('2026-03-20T09:00:00Z') });
  });

  it("uses the athlete's day: 23:30 UTC is already tomorrow in Berlin, a new version", () => {
    expect(zonedDate(new Date('2026-03-20T23:30:00Z'), zone)).toBe('2026-03-21');
    const { version: next, replaces } = profileChange(rows, { ftp: 262 }, new Date('2026-03-20T23:30:00Z'), zone);
    expect(replaces).toBeNull();
    expect(next).toEqual({ ...EMPTY_PROFILE, weightKg: 70, ftp: 262, validFrom: new Date('2026-03-20T23:30:00Z') });
    // the same instant in UTC is still the 20th: a correction
    expect(profileChange(rows, { ftp: 262 }, new Date('2026-03-20T23:30:00Z'), 'UTC').replaces?.id).toBe('b');
  });

  it('a new day carries the version in force over, as stored; undefined changes change nothing', () => {
    const { version: next } = profileChange(rows, { weightKg: 69, ftp: undefined }, new Date('2026-04-02T08:00:00Z'), zone);
    expect(next).toEqual({ ...EMPTY_PROFILE, weightKg: 69, ftp: 250, validFrom: new Date('2026-04-02T08:00:00Z') });
    expect(profileChange([], { ftp: 250 }, new Date('2026-04-02T08:00:00Z'), zone).version).toEqual({
      ...EMPTY_PROFILE,
      ftp: 250,
      validFrom: new Date('2026-04-02T08:00:00Z'),
    });
  });

  it('an unknown time zone counts days in UTC', () => {
    expect(zonedDate(new Date('2026-03-20T23:30:00Z'), 'Mars/Olympus')).toBe('2026-03-20');
  });
});

describe('ftpChanges', () => {
  it('lists only changes: no "250 W, then 250 W, then 250 W"', () => {
    const h = [
      version('2026-01-01T00:00:00Z', { weightKg: 70 }),
      version('2026-01-05T00:00:00Z', { ftp: 250, weightKg: 70 }),
      version('2026-01-09T00:00:00Z', { ftp: 250, weightKg: 70, goals: 'Marmotte' }),
      version('2026-02-01T00:00:00Z', { ftp: 250, weightKg: 68 }),
      version('2026-03-01T00:00:00Z', { ftp: 262, weightKg: 68 }),
    ];
    expect(ftpChanges(h)).toEqual([
      { from: new Date('2026-01-05T00:00:00Z'), ftp: 250, weightKg: 70 },
      { from: new Date('2026-03-01T00:00:00Z'), ftp: 262, weightKg: 68 },
    ]);
    expect(ftpChanges([version('2026-01-01T00:00:00Z', { weightKg: 70 })])).toEqual([]);
  });
});
