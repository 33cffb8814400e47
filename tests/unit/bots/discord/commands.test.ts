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

/** Every option of a command, subcommands' included. */
type Option = { name: string; description: string; required?: boolean; options?: Option[]; choices?: unknown[]; type: number };
const allOptions = (options: readonly Option[] = []): Option[] => options.flatMap((o) => [o, ...allOptions(o.options)]);

describe('the slash commands Discord accepts', () => {
  it('every conversation command has one, /plan /event /checkin included', () => {
    const names = DISCORD_COMMANDS.map((c) => c.name);
    for (const { name } of COMMANDS) expect(names, name).toContain(name);
    expect(names).toEqual(expect.arrayContaining(['plan', 'event', 'checkin']));
  });

  it("keep Discord's limits: names, descriptions up to 100 characters, 25 choices, required options first", () => {
    for (const command of DISCORD_COMMANDS) {
      expect(command.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(command.description.length, command.name).toBeLessThanOrEqual(100);
      const lists = [command.options ?? [], ...allOptions(command.options as Option[]).map((o) => o.options ?? [])] as Option[][];
      for (const list of lists) {
        const required = list.map((o) => o.required === true);
        expect(required, `${command.name}: required options come first`).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      }
      for (const o of allOptions(command.options as Option[])) {
        expect(o.name, command.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(o.description.length, `${command.name} ${o.name}`).toBeLessThanOrEqual(100);
        expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
      }
    }
  });

  it('/event add takes a date, a priority A/B/C and a name, all required', () => {
    const event = DISCORD_COMMANDS.find((c) => c.name === 'event')!;
    const add = (event.options as Option[]).find((o) => o.name === 'add')!;
    expect(add.options!.map((o) => [o.name, o.required])).toEqual([
      ['date', true],
      ['priority', true],
      ['name', true],
    ]);
    expect((add.options![1]!.choices as { value: string }[]).map((c) => c.value)).toEqual(['A', 'B', 'C']);
  });
});

describe('/connect, /connections, /disconnect', () => {
  const o = (name: string, value: string | number) => ({ name, type: typeof value === 'number' ? 4 : 3, value });
  const argsOf = (route: ReturnType<typeof commandRoute>) => (route.kind === 'command' ? route.args : null);

  it('are registered with their options: service (required, a choice), athlete_id, api_key, months 1–120, calendar_push', () => {
    const connect = DISCORD_COMMANDS.find((c) => c.name === 'connect')!;
    const options = connect.options as Option[];
    expect(options.map((x) => [x.name, x.required ?? false])).toEqual([
      ['service', true],
      ['athlete_id', false],
      ['api_key', false],
      ['months', false],
      ['calendar_push', false],
    ]);
    expect((options[0]!.choices as { value: string }[]).map((c) => c.value)).toEqual(['intervals', 'strava']);
    expect(options[3]).toMatchObject({ min_value: 1, max_value: 120 });
    expect(DISCORD_COMMANDS.find((c) => c.name === 'disconnect')!.options).toEqual([
      expect.objectContaining({ name: 'service', required: true }),
    ]);
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['connect', 'connections', 'disconnect']));
  });

  it('map to the command texts the conversation reads', () => {
    expect(commandRoute('connect', [o('service', 'intervals')])).toEqual({ kind: 'command', name: 'connect', args: ['intervals'] });
    expect(
      commandRoute('connect', [o('service', 'intervals'), o('athlete_id', 'i4711'), o('api_key', 'abc123def456ghi789'), o('months', 24)]),
    ).toEqual({
      kind: 'command',
      name: 'connect',
      args: ['intervals i4711 abc123def456ghi789 months 24'],
    });
    expect(commandRoute('connect', [o('service', 'intervals'), o('calendar_push', 'off')])).toEqual({
      kind: 'command',
      name: 'connect',
      args: ['intervals push off'],
    });
    expect(
      argsOf(commandRoute('connect', [o('service', 'intervals'), o('athlete_id', 'i4711'), o('api_key', 'k'), o('calendar_push', 'on')])),
    ).toEqual(['intervals i4711 k', 'intervals push on']);
    expect(argsOf(commandRoute('connect', [o('service', 'strava'), o('months', 6)]))).toEqual(['strava months 6']);
    expect(commandRoute('disconnect', [o('service', 'strava')])).toEqual({ kind: 'command', name: 'disconnect', args: ['strava'] });
    expect(commandRoute('connections')).toEqual({ kind: 'command', name: 'connections', args: [''] });
  });
});
