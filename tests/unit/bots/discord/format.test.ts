/**
 * The Discord adapter's formatting: markdown escaping that Discord reads back as the plain text,
 * the 2,000-character split, buttons as action rows, and files packed to the attachment limit.
 * (Slash-command options: command-route.test.ts; autocomplete: autocomplete.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buttonRows, escapeMarkdown, MAX_CONTENT_LENGTH, packFiles, renderReply, splitContent } from '../../../../bots/discord/format.js';
import type { OutgoingFile } from '../../../../src/conversation/port.js';
import { renderedText } from '../../../fakes/fake-discord.js';

const file = (fileName: string, content: Uint8Array): OutgoingFile => ({
  fileName,
  contentType: 'application/octet-stream',
  content,
  kind: 'document',
});

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
