/**
 * The upload answer stays short however many files fail: ten errors and ten warnings are listed,
 * the rest counted in one line each, grouped by code ("…and 1,991 more files could not be read
 * (codes: truncated ×1,500, bad-crc ×491)"). 2,001 warning lines once became 87 Telegram messages.
 */
import { describe, expect, it } from 'vitest';
import { uploadText, type UploadWarning } from '../../../../src/conversation/messages/uploads.js';
import type { UploadError } from '../../../../src/store/store.js';

const codeOf = (i: number) => (i < 1500 ? 'truncated' : i < 1991 ? 'bad-crc' : 'not-fit');

const errors: UploadError[] = Array.from({ length: 2001 }, (_, i) => ({
  source: `export/activities/ride_${i}.fit`,
  code: codeOf(2000 - i),
  message: `ride_${i}.fit is damaged (${codeOf(2000 - i)}).`,
}));
const structuredWarnings: UploadWarning[] = Array.from({ length: 2001 }, (_, i) => ({
  source: `export/activities/kept_${i}.fit`,
  code: i % 3 === 0 ? 'implausible-duration' : 'bad-crc',
  message: 'The FIT header checksum is wrong; the records themselves were read normally.',
}));
const stringWarnings: UploadWarning[] = Array.from({ length: 2001 }, (_, i) => `kept_${i}.fit: The file ends early.`);
const summary = { uploadId: 'u1', new: 5, duplicates: 0, merged: 0, activityIds: [], errors };

describe('uploadText with thousands of errors and warnings', () => {
  it('lists ten errors and ten warnings, then one count line each, grouped by code', () => {
    const reply = uploadText({ ...summary, warnings: structuredWarnings }, []);
    const lines = reply.text.split('\n');
    const errorLines = lines.filter((l) => l.startsWith('✗ '));
    const warningLines = lines.filter((l) => l.startsWith('! '));
    expect(errorLines).toHaveLength(10);
    expect(warningLines).toHaveLength(10);
    expect(errorLines[0]).toBe('✗ ride_0.fit: ride_0.fit is damaged (not-fit).');
    expect(warningLines[9]).toBe('! kept_9.fit: The FIT header checksum is wrong; the records themselves were read normally.');
    expect(lines).toContain('2,001 files could not be read — nothing from them was stored:');
    // errors 10..2000 not shown: codeOf(1990..0) → truncated 1,500, bad-crc 491 (codeOf 1500..1990), not-fit 0
    expect(lines).toContain('…and 1,991 more files could not be read (codes: truncated ×1,500, bad-crc ×491).');
    // warnings 10..2000: i % 3 === 0 → implausible-duration (663 of them: 12, 15, …, 1998), bad-crc the other 1,328
    expect(lines).toContain('…and 1,991 more warnings about files that were kept (codes: bad-crc ×1,328, implausible-duration ×663).');
    expect(lines.length).toBeLessThanOrEqual(25);
    expect(reply.text.length).toBeLessThan(4096); // one Telegram message
    expect(reply.buttons).toEqual([[{ label: 'Analyze now', action: 'analyze:upload:u1' }]]);
  });

  it('caps ready-made warning lines too (counted without codes), and errors alone when nothing was stored', () => {
    const lines = uploadText({ ...summary, warnings: stringWarnings }, []).text.split('\n');
    expect(lines.filter((l) => l.startsWith('! '))).toEqual(stringWarnings.slice(0, 10).map((w) => `! ${String(w)}`));
    expect(lines).toContain('…and 1,991 more warnings about files that were kept.');
    expect(lines.length).toBeLessThanOrEqual(25);
    const failed = uploadText({ ...summary, new: 0, errors }, []);
    expect(failed.text.split('\n')).toHaveLength(12);
    expect(failed.buttons).toBeUndefined();
  });

  it('says nothing more when ten or fewer, counts one more in the singular, and cuts a line with an endless file name', () => {
    const ten = uploadText({ ...summary, errors: errors.slice(0, 10), warnings: structuredWarnings.slice(0, 10) }, []).text;
    expect(ten).not.toMatch(/more/);
    expect(ten.split('\n').filter((l) => /^[✗!] /.test(l))).toHaveLength(20);
    const eleven = uploadText({ ...summary, errors: errors.slice(0, 11), warnings: structuredWarnings.slice(0, 11) }, []).text;
    expect(eleven).toContain('…and 1 more file could not be read (codes: bad-crc ×1).');
    expect(eleven).toContain('…and 1 more warning about files that were kept (codes: bad-crc ×1).');
    const long = uploadText(
      { ...summary, errors: [{ source: `${'x'.repeat(3000)}.fit`, code: 'not-fit', message: 'not a FIT file' }] },
      [],
    ).text;
    expect(Math.max(...long.split('\n').map((l) => l.length))).toBeLessThanOrEqual(300);
  });
});
