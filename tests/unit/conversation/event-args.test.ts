import { describe, expect, it } from 'vitest';
import { NAME_MAX, parseEventArgs } from '../../../src/conversation/event-args.js';

const TODAY = '2027-03-10';
const parse = (args: string) => parseEventArgs(args, TODAY);

describe('parseEventArgs', () => {
  it('lists with nothing, "list" or "show"', () => {
    for (const args of ['', '  ', 'list', 'LIST', 'show']) expect(parse(args)).toEqual({ kind: 'list' });
  });

  it.each([
    ['add 2027-06-14 A Marmotte', '2027-06-14', 'A', 'Marmotte'],
    ['add 2027-06-14 B Marmotte', '2027-06-14', 'B', 'Marmotte'],
    ['add 2027-06-14 c Tour of Flanders sportive', '2027-06-14', 'C', 'Tour of Flanders sportive'],
    ['add 2027-06-14 Marmotte', '2027-06-14', 'A', 'Marmotte'],
    ['add Marmotte 2027-06-14 B', '2027-06-14', 'B', 'Marmotte'],
    ['add Marmotte on 14 June 2027 (B)', '2027-06-14', 'B', 'Marmotte'],
    ['add June 14th, 2027 A Marmotte', '2027-06-14', 'A', 'Marmotte'],
    ['add 14.6.2027 priority C Local crit', '2027-06-14', 'C', 'Local crit'],
    ['add "Étape du Tour" 2027-07-05 A', '2027-07-05', 'A', 'Étape du Tour'],
    // no year: the next such day from today
    ['add 14 June B Marmotte', '2027-06-14', 'B', 'Marmotte'],
    ['add 2 March Spring classic', '2028-03-02', 'A', 'Spring classic'],
    // without "add": a date makes it one
    ['2027-06-14 A Marmotte', '2027-06-14', 'A', 'Marmotte'],
    ['new 2027-09-01 B Gran Fondo   Stelvio', '2027-09-01', 'B', 'Gran Fondo Stelvio'],
  ] as const)('add: %s', (args, date, priority, name) => {
    expect(parse(args)).toEqual({ kind: 'add', date, priority, name });
  });

  it('keeps the name as written, without control characters', () => {
    expect(parse('add 2027-06-14 A <b>Ride</b> *bold* `code`\u0000\u202e')).toEqual({
      kind: 'add',
      date: '2027-06-14',
      priority: 'A',
      name: '<b>Ride</b> *bold* `code`',
    });
  });

  it('refuses what it cannot add, saying why', () => {
    const error = (args: string) => {
      const r = parse(args);
      return r.kind === 'error' ? r.message : `not an error: ${JSON.stringify(r)}`;
    };
    expect(error('add Marmotte')).toMatch(/^I need the event's date\. .*\/event add 2027-06-14 A Marmotte/);
    expect(error('add 2027-02-30 A Marmotte')).toBe('"2027-02-30" is not a date in the calendar.');
    expect(error('add 2027-06-14 A')).toMatch(/^What is the event called\?/);
    expect(error(`add 2027-06-14 A ${'x'.repeat(NAME_MAX + 1)}`)).toBe(
      `That name is ${NAME_MAX + 1} characters long; keep it to ${NAME_MAX}.`,
    );
    expect(parse(`add 2027-06-14 A ${'x'.repeat(NAME_MAX)}`)).toMatchObject({ kind: 'add', name: 'x'.repeat(NAME_MAX) });
    expect(error('remove')).toMatch(/^Which one\?/);
    expect(error('frobnicate')).toMatch(/^Add an event with its date/);
  });

  it('removes by number or name', () => {
    expect(parse('remove 2')).toEqual({ kind: 'remove', target: '2' });
    expect(parse('delete Marmotte')).toEqual({ kind: 'remove', target: 'Marmotte' });
    expect(parse('rm  "La  Marmotte" ')).toEqual({ kind: 'remove', target: 'La Marmotte' });
  });
});
