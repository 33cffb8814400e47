/**
 * Slash-command options turned into the words the conversation understands: /profile set as
 * profile text, and every command with its options as a route.
 */
import { describe, expect, it } from 'vitest';
import { commandRoute, profileSetTexts, type ReceivedOption } from '../../../../bots/discord/command-route.js';
import { planRequest } from '../../../../src/conversation/handlers/plan.js';
import { parseProfileText } from '../../../../src/conversation/profile-text.js';

const option = (
  name: string,
  value: string | number | boolean,
  type = typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3,
): ReceivedOption => ({ name, type, value });

describe('Discord slash commands → the conversation', () => {
  it('/profile set options become profile text the conversation parses to the same values', () => {
    const texts = profileSetTexts([
      option('ftp', 270),
      option('weight', 70.5, 10),
      option('lthr', 168),
      option('hours', 7.5, 10),
      option('days', 'weekends'),
      option('time_zone', 'America/New_York'),
      option('units', 'imperial'),
      option('goal', 'Sub-7 at the Marmotte on 2027-07-04'),
    ]);
    expect(texts).toEqual([
      'ftp 270, weight 70.5 kg, lthr 168, I ride weekends, America/New_York, units imperial, goal: Sub-7 at the Marmotte on 2027-07-04',
      '7.5 h a week',
    ]);
    const first = parseProfileText(texts[0]!, { today: '2026-01-01' });
    expect(first.errors).toEqual([]);
    expect(first.changes).toEqual({
      profile: {
        ftp: 270,
        weightKg: 70.5,
        lthr: 168,
        trainingDays: ['sat', 'sun'],
        goals: 'Sub-7 at the Marmotte on 2027-07-04',
        eventDate: '2027-07-04',
      },
      timeZone: 'America/New_York',
      units: 'imperial',
    });
    expect(parseProfileText(texts[1]!).changes.profile).toEqual({ weeklyHours: 7.5 });
    // Without a heart rate, hours ride along in the one text.
    expect(profileSetTexts([option('ftp', 250), option('hours', 6, 10)])).toEqual(['ftp 250, 6 h a week']);
  });

  it('maps every command and its options', () => {
    expect(commandRoute('profile', [{ name: 'show', type: 1, options: [] }])).toEqual({ kind: 'command', name: 'profile', args: [''] });
    expect(commandRoute('profile', [{ name: 'history', type: 1, options: [] }])).toEqual({
      kind: 'command',
      name: 'profile',
      args: ['history'],
    });
    expect(commandRoute('profile', [{ name: 'set', type: 1, options: [option('ftp', 265)] }])).toEqual({
      kind: 'command',
      name: 'profile',
      args: ['ftp 265'],
    });
    expect(commandRoute('plan', [option('view', 'next')])).toEqual({ kind: 'command', name: 'plan', args: ['next'] });
    expect(commandRoute('plan', [])).toEqual({ kind: 'command', name: 'plan', args: [''] });
    expect(commandRoute('analyze', [option('period', 12)])).toEqual({ kind: 'command', name: 'analyze', args: ['12 months'] });
    expect(
      commandRoute('reminders', [
        option('state', 'on'),
        option('day', 'last'),
        option('time', '18:00'),
        option('time_zone', 'Europe/Paris'),
      ]),
    ).toEqual({ kind: 'command', name: 'reminders', args: ['on day last time 18:00 zone Europe/Paris'] });
    expect(
      commandRoute('upload', [
        { name: 'file2', type: 11, value: '22' },
        { name: 'file1', type: 11, value: '11' },
      ]),
    ).toEqual({ kind: 'upload', attachmentIds: ['11', '22'] });
    expect(commandRoute('status')).toEqual({ kind: 'command', name: 'status', args: [''] });
  });

  it('/plan: a view or a week number, as the words typed on Telegram (a week number wins)', () => {
    const args = (options: ReceivedOption[]) => {
      const route = commandRoute('plan', options);
      return route.kind === 'command' ? route.args : null;
    };
    expect(args([option('view', 'this week')])).toEqual(['']);
    expect(args([option('view', 'history')])).toEqual(['history']);
    expect(args([option('week', 3)])).toEqual(['week 3']);
    expect(args([option('view', 'next'), option('week', 5)])).toEqual(['week 5']);
    // what the conversation reads from those words
    expect(planRequest('week 3')).toEqual({ kind: 'number', week: 3 });
    expect(planRequest('history')).toEqual({ kind: 'history' });
    expect(planRequest('next')).toMatchObject({ kind: 'week', offset: 1 });
    expect(planRequest('')).toMatchObject({ kind: 'week', offset: 0 });
  });

  it('/event subcommands become "add <date> <priority> <name>", "list", "remove <event>"', () => {
    const sub = (name: string, options: ReceivedOption[] = []): ReceivedOption[] => [{ name, type: 1, options }];
    expect(
      commandRoute('event', sub('add', [option('date', '2027-06-14'), option('priority', 'A'), option('name', ' La Marmotte ')])),
    ).toEqual({
      kind: 'command',
      name: 'event',
      args: ['add 2027-06-14 A La Marmotte'],
    });
    expect(commandRoute('event', sub('list'))).toEqual({ kind: 'command', name: 'event', args: ['list'] });
    expect(commandRoute('event', sub('remove', [option('event', '2')]))).toEqual({ kind: 'command', name: 'event', args: ['remove 2'] });
  });

  it('/checkin: one conversation command per option, in the order state, day, time; none shows the settings', () => {
    expect(commandRoute('checkin', [option('time', '07:30'), option('state', 'on'), option('day', 'tuesday')])).toEqual({
      kind: 'command',
      name: 'checkin',
      args: ['on', 'day tuesday', 'time 07:30'],
    });
    expect(commandRoute('checkin', [option('state', 'off')])).toEqual({ kind: 'command', name: 'checkin', args: ['off'] });
    expect(commandRoute('checkin', [])).toEqual({ kind: 'command', name: 'checkin', args: [''] });
  });
});
