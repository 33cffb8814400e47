import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS, ingestFile } from '../../../src/ingest/ingest.js';
import { corpusBytes, describeCorpus } from '../../support/corpus.js';

/** Rewrites the declared uncompressed size of every entry (local header + central directory). */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true); // local file header
    if (sig === 0x02014b50) view.setUint32(i + 24, size, true); // central directory header
  }
  return out;
}

describe('archives', () => {
  it('refuses a zip bomb (highly compressed zeros) with too-large from its declared sizes, before inflating', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const bomb = zipSync({ 'activities/1.fit': [zeros, { level: 9 }] });
    expect(bomb.length).toBeLessThan(200_000);
    const result = await ingestFile(bomb, 'bomb.zip');
    expect(result.ok).toBe(false);
    // the ratio message comes from the central-directory pass, which inflates nothing
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'too-large',
        message: expect.stringMatching(/activities\/1\.fit would unpack [\d,]+× its packed size \(limit 100×\)/),
      });
  });

  it('refuses a zip whose entries claim more than the unpack budget, before inflating anything', async () => {
    const zip = lieAboutSizes(zipSync({ 'a.fit': strToU8('x'.repeat(1000)) }), 0xfffffff0);
    const result = await ingestFile(zip, 'liar.zip', { ...DEFAULT_INGEST_LIMITS, maxUnpackedBytes: 100 * 1024 * 1024 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('too-large');
  });

  it('refuses a zip with more entries than allowed', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 60; i++) files[`f${i}.fit`] = strToU8('x');
    const result = await ingestFile(zipSync(files), 'many.zip', { ...DEFAULT_INGEST_LIMITS, maxArchiveEntries: 50 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'too-large' });
  });

  it('refuses a gzip bomb', async () => {
    const gz = gzipSync(new Uint8Array(32 * 1024 * 1024), { level: 9 });
    const result = await ingestFile(gz, 'ride.fit.gz');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('too-large');
  });

  it('refuses path traversal names as unsafe', async () => {
    const zip = zipSync({ 'aa/../../../etc/passwd.fit': strToU8('x') });
    // fflate normalises nothing: write the name as given
    const result = await ingestFile(zip, 'evil.zip');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unsafe-archive');
  });

  it('says what is wrong with a damaged zip or gzip', async () => {
    const zip = zipSync({ 'a.fit': strToU8('hello') });
    const cut = await ingestFile(zip.subarray(0, zip.length - 10), 'cut.zip');
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error.code).toBe('corrupt-archive');
    const gz = gzipSync(strToU8('x'.repeat(5000)));
    const cutGz = await ingestFile(gz.subarray(0, gz.length - 8), 'ride.fit.gz');
    expect(cutGz.ok).toBe(false);
    if (!cutGz.ok) expect(['truncated', 'corrupt-archive']).toContain(cutGz.error.code);
  });

  it('refuses an upload above the size limit, and empty files', async () => {
    const big = await ingestFile(new Uint8Array(2048), 'big.fit', { ...DEFAULT_INGEST_LIMITS, maxFileBytes: 1024 });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error).toMatchObject({ code: 'too-large' });
    const empty = await ingestFile(new Uint8Array(0), 'empty.fit');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error.code).toBe('empty');
  });

  it('recognises GPX renamed .fit and other strangers', async () => {
    const gpx = await ingestFile(strToU8('<?xml version="1.0"?><gpx version="1.1"><trk></trk></gpx>'), 'ride.fit');
    expect(gpx.ok).toBe(false);
    if (!gpx.ok) {
      expect(gpx.error.code).toBe('unsupported-format');
      expect(gpx.error.message).toMatch(/GPX/);
    }
    const png = await ingestFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'ride.fit');
    expect(png.ok).toBe(false);
    if (!png.ok) expect(png.error).toMatchObject({ code: 'not-fit' });
    const doc = await ingestFile(strToU8('hello'), 'notes.txt');
    expect(doc.ok).toBe(false);
    if (!doc.ok) expect(doc.error.code).toBe('unsupported-format');
  });
});

describeCorpus('archives with real FIT files', () => {
  it('reads FIT and FIT.gz inside a Garmin-style zip, and lists what it skipped', async () => {
    const zip = zipSync({
      'export/edge810.fit': corpusBytes('fit', 'edge810-vector.fit'),
      'export/zwift.fit.gz': gzipSync(corpusBytes('fit', 'zwift-no-hr.fit')),
      'export/route.gpx': strToU8('<?xml version="1.0"?><gpx></gpx>'),
      'export/photo.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      'export/bad.fit': corpusBytes('fit', 'bad-truncated.fit').subarray(0, 20),
    });
    const result = await ingestFile(zip, 'garmin.zip');
    if (!result.ok) throw new Error(result.error.message);
    const { activities, errors, skipped } = result.value;
    expect(activities.map((a) => a.source).sort()).toEqual(['garmin.zip/export/edge810.fit', 'garmin.zip/export/zwift.fit.gz']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.source).toBe('garmin.zip/export/bad.fit');
    expect(skipped.map((s) => s.source).sort()).toEqual(['garmin.zip/export/photo.jpg', 'garmin.zip/export/route.gpx']);
  });

  it('reads a single .fit.gz the same as the .fit', async () => {
    const plain = await ingestFile(corpusBytes('fit', 'edge530-indoor-hrv.fit'), 'a.fit');
    const gz = await ingestFile(gzipSync(corpusBytes('fit', 'edge530-indoor-hrv.fit')), 'a.fit.gz');
    if (!plain.ok || !gz.ok) throw new Error('ingest failed');
    expect(gz.value.activities[0]!.timerSeconds).toBe(plain.value.activities[0]!.timerSeconds);
    expect(gz.value.activities[0]!.streams!.power!.length).toBe(plain.value.activities[0]!.streams!.power!.length);
  });
});
