/**
 * Slash-command options turned into the words the conversation understands: /profile set as
 * profile text, and every command with its options as a route.
 */
import { describe, expect, it } from 'vitest';
import { commandRoute, profileSetTexts, type ReceivedOption } from '../../../../bots/discord/command-route.js';
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
    expect(commandRoute('plan', [option('next', true)])).toEqual({ kind: 'command', name: 'plan', args: ['next'] });
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
});
