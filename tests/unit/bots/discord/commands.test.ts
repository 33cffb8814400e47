/** The slash commands Discord registers: every command of the conversation, with their options. */
import { describe, expect, it } from 'vitest';
import { commandRoute } from '../../../../bots/discord/command-route.js';
import { DISCORD_COMMANDS } from '../../../../bots/discord/commands.js';
import { COMMANDS } from '../../../../src/conversation/port.js';

describe('commands', () => {
  it('/activities and /delete are registered everywhere, with the id as a required Discord option', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['activities', 'delete']));
    const del = DISCORD_COMMANDS.find((c) => c.name === 'delete')!;
    expect(del.options).toEqual([expect.objectContaining({ name: 'id', required: true })]);
    expect(commandRoute('delete', [{ name: 'id', type: 3, value: '1a2b3c4d' }])).toEqual({
      kind: 'command',
      name: 'delete',
      args: ['1a2b3c4d'],
    });
    expect(commandRoute('activities', [{ name: 'count', type: 4, value: 20 }])).toEqual({
      kind: 'command',
      name: 'activities',
      args: ['20'],
    });
    expect(commandRoute('activities')).toEqual({ kind: 'command', name: 'activities', args: [''] });
  });
});
