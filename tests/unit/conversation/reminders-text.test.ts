/**
 * What /reminders reads and says: times as people write them, the next reminder in the athlete's
 * zone, and a month without rides.
 */
import { describe, expect, it } from 'vitest';
import { reminderReply, type LookBack } from '../../../src/conversation/month-review.js';
import { parseReminderArgs, parseTimeOfDay } from '../../../src/conversation/reminder-args.js';
import { formatReminderTime } from '../../../src/domain/reminder-schedule.js';

describe('reminder times', () => {
  it.each([
    ['19:00', '19:00'],
    ['7pm', '19:00'],
    ['7 pm', '19:00'],
    ['7:30pm', '19:30'],
    ['7.30 p.m.', '19:30'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['07:30', '07:30'],
    ['9', '09:00'],
    ['19h', '19:00'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
  ])('%s → %s', (text, time) => expect(parseTimeOfDay(text)).toBe(time));

  it.each(['25:00', '13pm', '0am', '7:75', 'soon', 'evening'])('%s is refused', (text) => expect(parseTimeOfDay(text)).toBeNull());

  it('/reminders takes "7pm" and "19:00", with or without "time"; a bad time is refused with the format', () => {
    expect(parseReminderArgs('on time 7pm')).toEqual({ changes: { enabled: true, timeOfDay: '19:00' }, errors: [] });
    expect(parseReminderArgs('time 19:00')).toEqual({ changes: { timeOfDay: '19:00' }, errors: [] });
    expect(parseReminderArgs('7pm')).toEqual({ changes: { timeOfDay: '19:00' }, errors: [] });
    expect(parseReminderArgs('at 6:30 am').changes.timeOfDay).toBe('06:30');
    expect(parseReminderArgs('time 25:00').errors).toEqual([
      '"25:00" is not a time I can read. Write the time like 19:00 or 7pm (also 7:30pm, 07:30, noon).',
    ]);
    expect(parseReminderArgs('time soon').errors[0]).toMatch(/19:00 or 7pm/);
  });

  it('zones as cities or offsets, without eating the words after them', () => {
    expect(parseReminderArgs('zone Paris').changes.timeZone).toBe('Europe/Paris');
    expect(parseReminderArgs('zone New York time 6pm').changes).toEqual({ timeZone: 'America/New_York', timeOfDay: '18:00' });
    expect(parseReminderArgs('zone Etc/GMT-1 day 3').changes).toEqual({ timeZone: 'Etc/GMT-1', dayOfMonth: '3' });
    expect(parseReminderArgs('on day last time 18:00 zone Europe/Paris').changes).toEqual({
      timeZone: 'Europe/Paris',
      enabled: true,
      dayOfMonth: 'last',
      timeOfDay: '18:00',
    });
    expect(parseReminderArgs('zone Mars').errors[0]).toMatch(/not a time zone I know/);
  });

  it("the next reminder in the athlete's zone, named", () => {
    expect(formatReminderTime(new Date('2026-10-01T17:00:00Z'), 'Europe/Paris')).toBe('Thu 1 Oct 2026, 19:00 (Europe/Paris)');
    expect(formatReminderTime(new Date('2026-12-01T14:00:00Z'), 'America/New_York')).toBe('Tue 1 Dec 2026, 09:00 (America/New_York)');
  });
});

describe('the monthly reminder', () => {
  const look = (over: Partial<LookBack>): LookBack => ({
    label: 'September 2026',
    from: '2026-09-01',
    to: '2026-09-30',
    rides: 0,
    hours: 0,
    load: 0,
    ctlStart: 40,
    ctlEnd: 22,
    newBests: [],
    uploadedThisMonth: true,
    analysedThisMonth: true,
    ...over,
  });

  it('a month without rides is never "nothing to do": send the rides, or plan the restart', () => {
    const reply = reminderReply(look({}), 'Anna');
    expect(reply.title).toBe('Hi Anna — your month in review');
    expect(reply.text).toMatch(/^September 2026: no rides here yet\.\nFitness \(CTL\) 40\.0 → 22\.0: it fades without riding/);
    expect(reply.text).toMatch(/If you rode, send me the files/);
    expect(reply.text).toMatch(/quiet month.*\/plan/s);
    expect(reply.text).not.toMatch(/nothing to do/);
    expect(reply.buttons?.flat().map((b) => b.action)).toEqual(['analyze', 'plan']);
    expect(
      reminderReply(look({ ctlStart: null, ctlEnd: null, uploadedThisMonth: false, analysedThisMonth: false }), 'Anna').text,
    ).not.toMatch(/Fitness/);
  });

  it('a month with rides, uploaded and analysed: nothing to do', () => {
    expect(reminderReply(look({ rides: 3, hours: 4.5, load: 250 }), 'Anna').text).toMatch(/nothing to do/);
  });
});
