/**
 * parseReminderArgs: what /reminders takes from its arguments — on/off words, the day of the
 * month (1–28 or "last"), the time and the zone — and what it refuses. Complements the time and
 * zone cases in reminders-text.test.ts with the boundaries and the combinations.
 */
import { describe, expect, it } from 'vitest';
import { parseReminderArgs } from '../../../src/conversation/reminder-args.js';

const DAY_ERROR = 'The day must be 1 to 28, or "last" (the last day of each month).';

describe('parseReminderArgs', () => {
  it('no arguments (or only spaces) change nothing and say nothing, so /reminders shows the current setting', () => {
    expect(parseReminderArgs('')).toEqual({ changes: {}, errors: [] });
    expect(parseReminderArgs('   \t ')).toEqual({ changes: {}, errors: [] });
  });

  it.each([
    ['on', true],
    ['ON', true],
    ['yes', true],
    ['enable', true],
    ['off', false],
    ['no', false],
    ['disable', false],
    ['stop', false],
    ['Stop please', false],
  ])('"%s" sets enabled to %s', (args, enabled) => {
    expect(parseReminderArgs(args)).toEqual({ changes: { enabled }, errors: [] });
  });

  it('takes on/off only as whole words: "now", "none", "only", "disabled", "nothing" switch nothing', () => {
    for (const args of ['now', 'none', 'only', 'nothing', 'not now', 'snooze', 'tonight']) {
      expect(parseReminderArgs(args).changes, args).toEqual({});
    }
  });

  it.each(['1', '9', '10', '19', '28', 'last', 'LAST'])('day %s is a valid day of the month', (day) => {
    expect(parseReminderArgs(`day ${day}`)).toEqual({ changes: { dayOfMonth: day.toLowerCase() }, errors: [] });
  });

  it.each(['0', '29', '30', '31', '01', '-1', '1.5', 'first', 'monday'])(
    'day %s is refused (no month has it every time, or it is not a day)',
    (day) => {
      expect(parseReminderArgs(`day ${day}`)).toEqual({ changes: {}, errors: [DAY_ERROR] });
    },
  );

  it('"today"/"Sunday" are not the "day" keyword', () => {
    expect(parseReminderArgs('today 5')).toEqual({ changes: {}, errors: [] });
    expect(parseReminderArgs('sunday 31')).toEqual({ changes: {}, errors: [] });
  });

  it('a day number is not taken for a time, and a bare time needs am/pm or a colon', () => {
    expect(parseReminderArgs('day 15')).toEqual({ changes: { dayOfMonth: '15' }, errors: [] });
    expect(parseReminderArgs('day 15 7pm')).toEqual({ changes: { dayOfMonth: '15', timeOfDay: '19:00' }, errors: [] });
    expect(parseReminderArgs('day 15 18:45')).toEqual({ changes: { dayOfMonth: '15', timeOfDay: '18:45' }, errors: [] });
  });

  it('reads the time after "time" or "at", in any case, including 12 am / 12 pm and a bare 24 h hour', () => {
    expect(parseReminderArgs('AT 7PM').changes).toEqual({ timeOfDay: '19:00' });
    expect(parseReminderArgs('at 12am').changes).toEqual({ timeOfDay: '00:00' });
    expect(parseReminderArgs('time 12pm').changes).toEqual({ timeOfDay: '12:00' });
    expect(parseReminderArgs('time 9').changes).toEqual({ timeOfDay: '09:00' });
    expect(parseReminderArgs('time 23:59').changes).toEqual({ timeOfDay: '23:59' });
    expect(parseReminderArgs('time 00:00').changes).toEqual({ timeOfDay: '00:00' });
    expect(parseReminderArgs('time noon').changes).toEqual({ timeOfDay: '12:00' });
    expect(parseReminderArgs('time 6.30 p.m.').changes).toEqual({ timeOfDay: '18:30' });
  });

  it('refuses times just out of range, quoting what was written', () => {
    expect(parseReminderArgs('time 24:00').errors).toEqual([
      '"24:00" is not a time I can read. Write the time like 19:00 or 7pm (also 7:30pm, 07:30, noon).',
    ]);
    expect(parseReminderArgs('time 23:60').errors[0]).toMatch(/^"23:60" is not a time/);
    expect(parseReminderArgs('time 0am').errors[0]).toMatch(/^"0am" is not a time/);
    expect(parseReminderArgs('time 24:00').changes).toEqual({});
  });

  it('cuts a long unreadable time to 20 characters and a long unknown zone to 40 in the error', () => {
    const time = parseReminderArgs(`time ${'9'.repeat(50)}`).errors[0]!;
    expect(time.startsWith(`"${'9'.repeat(20)}" is not a time`)).toBe(true);
    const zone = parseReminderArgs(`zone ${'x'.repeat(80)}`).errors[0]!;
    expect(zone.startsWith(`"${'x'.repeat(40)}" is not a time zone I know`)).toBe(true);
  });

  it('"time zone", "timezone" and "tz" all name the zone, and the zone is not read as a time', () => {
    expect(parseReminderArgs('time zone Paris')).toEqual({ changes: { timeZone: 'Europe/Paris' }, errors: [] });
    expect(parseReminderArgs('timezone Tokyo')).toEqual({ changes: { timeZone: 'Asia/Tokyo' }, errors: [] });
    expect(parseReminderArgs('TZ UTC')).toEqual({ changes: { timeZone: 'UTC' }, errors: [] });
    expect(parseReminderArgs('zone UTC+2')).toEqual({ changes: { timeZone: 'Etc/GMT-2' }, errors: [] });
  });

  it('keeps the case of an IANA zone written in full while the rest of the arguments are read case-blind', () => {
    expect(parseReminderArgs('TZ America/Los_Angeles 8:15AM')).toEqual({
      changes: { timeZone: 'America/Los_Angeles', timeOfDay: '08:15' },
      errors: [],
    });
    expect(parseReminderArgs('ON zone Etc/GMT+5 DAY LAST')).toEqual({
      changes: { timeZone: 'Etc/GMT+5', enabled: true, dayOfMonth: 'last' },
      errors: [],
    });
  });

  it('a two-word city keeps the words after it: "zone new york day 5 on"', () => {
    expect(parseReminderArgs('zone new york day 5 on')).toEqual({
      changes: { timeZone: 'America/New_York', enabled: true, dayOfMonth: '5' },
      errors: [],
    });
  });

  it('a time written before the zone is still read', () => {
    expect(parseReminderArgs('time 9 zone paris')).toEqual({ changes: { timeOfDay: '09:00', timeZone: 'Europe/Paris' }, errors: [] });
    expect(parseReminderArgs('zone paris at 9')).toEqual({ changes: { timeZone: 'Europe/Paris', timeOfDay: '09:00' }, errors: [] });
  });

  it('reports every bad part at once and changes nothing that was bad', () => {
    const { changes, errors } = parseReminderArgs('on zone Mars day 40 time 99:00');
    expect(changes).toEqual({ enabled: true });
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^"Mars" is not a time zone I know/);
    expect(errors[1]).toBe(DAY_ERROR);
    expect(errors[2]).toMatch(/^"99:00" is not a time I can read/);
  });
});

describe('parseReminderArgs: a zone followed by another keyword', () => {
  it('keeps the time after a one-word city ("zone paris time 9" once dropped the time)', () => {
    expect(parseReminderArgs('zone paris time 9')).toEqual({ changes: { timeZone: 'Europe/Paris', timeOfDay: '09:00' }, errors: [] });
    expect(parseReminderArgs('zone london time 21')).toEqual({ changes: { timeZone: 'Europe/London', timeOfDay: '21:00' }, errors: [] });
    expect(parseReminderArgs('zone New York time 7pm').changes).toEqual({ timeZone: 'America/New_York', timeOfDay: '19:00' });
  });

  it('takes a zone of up to four words, the longest that names one ("zone Salt Lake City day 5")', () => {
    expect(parseReminderArgs('zone Salt Lake City day 5')).toEqual({
      changes: { timeZone: 'America/Denver', dayOfMonth: '5' },
      errors: [],
    });
    expect(parseReminderArgs('zone gmt + 1 at 9')).toEqual({ changes: { timeZone: 'Etc/GMT-1', timeOfDay: '09:00' }, errors: [] });
  });
});
