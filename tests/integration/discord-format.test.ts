/**
 * The Discord adapter's pure parts: markdown escaping that Discord reads back as the plain text,
 * the 2,000-character split, buttons as action rows, files packed to the attachment limit, and
 * slash-command options turned into the words the conversation understands.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { suggestDays, suggestTimeZones } from '../../bots/discord/autocomplete.js';
import { commandRoute, profileSetTexts, type ReceivedOption } from '../../bots/discord/command-route.js';
import { buttonRows, escapeMarkdown, MAX_CONTENT_LENGTH, packFiles, renderReply, splitContent } from '../../bots/discord/format.js';
import { restApiUrl } from '../../bots/discord/register.js';
import { parseProfileText } from '../../src/conversation/profile-text.js';
import type { OutgoingFile } from '../../src/conversation/port.js';
import { renderedText } from '../fakes/fake-discord.js';

const file = (fileName: string, content: Uint8Array): OutgoingFile => ({
  fileName,
  contentType: 'application/octet-stream',
  content,
  kind: 'document',
});
const option = (
  name: string,
  value: string | number | boolean,
  type = typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3,
): ReceivedOption => ({ name, type, value });

describe('Discord text', () => {
  it('escapes markdown so that Discord shows exactly the text', () => {
    const text =
      'FTP *270* _W_ ~~x~~ `code` ||spoiler|| \\ back\n# not a heading\n> not a quote\n-# not small\n[not](a link) <@123> America/New_York';
    const escaped = escapeMarkdown(text);
    expect(escaped).toContain('America/New\\_York');
    expect(escaped).toMatch(/^\\# not a heading$/m);
    expect(renderedText(escaped)).toBe(text);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        (s) => renderedText(escapeMarkdown(s.replace(/\u200b/g, ''))) === s.replace(/\u200b/g, ''),
      ),
    );
  });

  it('splits long replies under 2,000 characters at line breaks, never inside an escape, buttons on the last piece', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `✗ ride_${i}.fit: could not be read — the file ends early (*truncated*).`);
    const reply = { title: 'Upload', text: lines.join('\n'), buttons: [[{ label: 'Analyze now', action: 'analyze' }]] };
    const messages = renderReply(reply);
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) {
      expect(m.content.length).toBeLessThanOrEqual(MAX_CONTENT_LENGTH);
      expect(/(^|[^\\])(\\\\)*\\$/.test(m.content)).toBe(false);
    }
    expect(messages.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
    expect(messages.at(-1)!.components).toEqual([
      { type: 1, components: [{ type: 2, style: 1, label: 'Analyze now', custom_id: 'analyze' }] },
    ]);
    expect(renderedText(messages.map((m) => m.content).join('\n'))).toBe(`Upload\n${lines.join('\n')}`);
    // One unbroken line of backslash-escaped characters: cut anywhere but between a backslash and its character.
    const pieces = splitContent(escapeMarkdown('_'.repeat(3000)));
    expect(pieces.map((p) => p.length)).toEqual([2000, 2000, 2000]);
    expect(pieces.every((p) => /^(\\_)+$/.test(p))).toBe(true);
  });

  it("puts at most five buttons in a row and keeps labels and ids within Discord's limits", () => {
    const rows = buttonRows([Array.from({ length: 7 }, (_, i) => ({ label: `Option ${i} ${'x'.repeat(90)}`, action: `pick:${i}` }))]);
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    expect(rows.flatMap((r) => r.components).every((b) => b.label.length <= 80 && b.custom_id.length <= 100)).toBe(true);
  });
});

describe('Discord files', () => {
  it('packs files into as few messages as the size and count limits allow, in order', () => {
    const small = (n: number) => file(`f${n}.html`, new Uint8Array(400));
    expect(packFiles([small(1), small(2), small(3)], 1000).batches.map((b) => b.map((f) => f.fileName))).toEqual([
      ['f1.html', 'f2.html'],
      ['f3.html'],
    ]);
    expect(
      packFiles(
        Array.from({ length: 12 }, (_, i) => small(i)),
        1_000_000,
      ).batches.map((b) => b.length),
    ).toEqual([10, 2]);
  });

  it('zips a file too big on its own when that fits, and otherwise leaves it out with a note', () => {
    const text = new TextEncoder().encode('<html>'.padEnd(50_000, 'lorem ipsum '));
    const zipped = packFiles([file('index.html', text)], 20_000);
    expect(zipped.batches[0]![0]!.fileName).toBe('index.html.zip');
    expect(Buffer.from(unzipSync(zipped.batches[0]![0]!.content)['index.html']!).equals(Buffer.from(text))).toBe(true);
    expect(zipped.notes[0]).toMatch(/comes zipped/);
    const noise = packFiles([file('noise.bin', new Uint8Array(randomBytes(30_000))), file('ok.txt', new Uint8Array(10))], 20_000);
    expect(noise.batches.flat().map((f) => f.fileName)).toEqual(['ok.txt']);
    expect(noise.notes[0]).toMatch(/noise\.bin is 0\.0 MB and even zipped more than/);
  });
});

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

  it('suggests days and zones from what was typed', () => {
    expect(suggestDays('').map((c) => c.value)).toEqual(expect.arrayContaining(['Mon', 'Tue Thu Sat Sun', 'Every day']));
    expect(suggestDays('sa').map((c) => c.value)).toEqual(['Sat', 'Sat Sun']);
    expect(suggestDays('Mon, Wed, f').map((c) => c.value)).toEqual(['Mon Wed Fri']);
    expect(suggestTimeZones('').map((c) => c.value)).toContain('Europe/London');
    expect(suggestTimeZones('utc').map((c) => c.value)).toContain('UTC');
    expect(suggestTimeZones('zzzz')).toEqual([]);
  });

  it('finds the REST api base however it was written', () => {
    expect(restApiUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/api');
    expect(restApiUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/api');
    expect(restApiUrl('https://discord.com/api')).toBe('https://discord.com/api');
    expect(restApiUrl('https://discord.com/api/v10/')).toBe('https://discord.com/api');
  });
});
