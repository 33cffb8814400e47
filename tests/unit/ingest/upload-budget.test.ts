import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeFit, DEFAULT_FIT_LIMITS } from '../../../src/ingest/fit/decode-fit.js';
import { DEFAULT_INGEST_LIMITS, ingestFile } from '../../../src/ingest/ingest.js';
import { buildFit, STRAVA_HEADER_LINE, stravaRow, prng } from '../../support/hostile-inputs.js';

const ride = (records: number, seed: number, start = new Date('2025-06-02T06:00:00Z')) =>
  buildFit({ records, start, seed, meanRun: 5 }).bytes;

describe('what one FIT file may decode to', () => {
  it('refuses more records than the limit from a structural walk, before decoding', () => {
    const bytes = ride(5_000, 1);
    const result = decodeFit(bytes, 'many.fit', { ...DEFAULT_FIT_LIMITS, maxFitRecords: 4_000 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('too-large');
      expect(result.error.message).toMatch(/holds 5,00\d records \(the limit for one file is 4,000/);
    }
    expect(decodeFit(bytes, 'many.fit', { ...DEFAULT_FIT_LIMITS, maxFitRecords: 6_000 }).ok).toBe(true);
  });

  it('refuses a FIT larger than the byte limit, and a .fit.gz stops inflating there', async () => {
    const bytes = ride(20_000, 2);
    const plain = decodeFit(bytes, 'big.fit', { ...DEFAULT_FIT_LIMITS, maxFitBytes: 50_000 });
    expect(plain.ok).toBe(false);
    if (!plain.ok) expect(plain.error.message).toMatch(/of FIT data \(the limit for one file is 48\.8 KB\)/);
    const gz = await ingestFile(gzipSync(bytes), 'big.fit.gz', { ...DEFAULT_INGEST_LIMITS, maxFitBytes: 50_000 });
    expect(gz.ok).toBe(false);
    if (!gz.ok) {
      expect(gz.error.code).toBe('too-large');
      expect(gz.error.message).toMatch(/unpacks to more than 48\.8 KB, more than any activity file of its kind/);
    }
  });

  it('refuses records spanning more days than the limit', () => {
    const bytes = ride(3 * 86_400, 3);
    const result = decodeFit(bytes, 'long.fit', { ...DEFAULT_FIT_LIMITS, maxActivityDays: 2 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/its records span 3 days \(the limit is 2\)/);
  });
});

describe('what one upload may hold', () => {
  it('counts FIT records across every entry of an archive', async () => {
    const zip = zipSync({
      'a.fit': ride(3_000, 4),
      'b.fit': ride(3_000, 5, new Date('2025-06-03T06:00:00Z')),
      'c.fit': ride(3_000, 6, new Date('2025-06-04T06:00:00Z')),
    });
    const within = await ingestFile(zip, 'rides.zip', { ...DEFAULT_INGEST_LIMITS, maxRecordsPerUpload: 10_000 });
    expect(within.ok && within.value.activities.length).toBe(3);
    const over = await ingestFile(zip, 'rides.zip', { ...DEFAULT_INGEST_LIMITS, maxRecordsPerUpload: 7_000 });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.message).toMatch(/hold more than 7,000 records in all/);
  });

  it('counts CSV rows across every activities.csv of an archive', async () => {
    const random = prng(9);
    const csv = (from: number) =>
      [
        STRAVA_HEADER_LINE,
        ...Array.from({ length: 50 }, (_, i) => stravaRow(from + i, new Date(Date.UTC(2024, 0, 1 + from + i, 7)), random)),
      ].join('\n');
    const zip = zipSync({ 'one/activities.csv': strToU8(csv(0)), 'two/activities.csv': strToU8(csv(100)) });
    const within = await ingestFile(zip, 'export.zip', { ...DEFAULT_INGEST_LIMITS, maxCsvRows: 100 });
    expect(within.ok && within.value.activities.length).toBe(100);
    const over = await ingestFile(zip, 'export.zip', { ...DEFAULT_INGEST_LIMITS, maxCsvRows: 80 });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.code).toBe('too-large');
  });

  it('checks the ratio of small entries too, and the declared total before inflating', async () => {
    // 200 entries of 512 KB of zeros: each under the old 1 MB floor of the ratio check
    const zeros = new Uint8Array(512 * 1024);
    const files: Record<string, [Uint8Array, { level: 9 }]> = {};
    for (let i = 0; i < 200; i++) files[`activities/${i}.fit`] = [zeros, { level: 9 }];
    const result = await ingestFile(zipSync(files), 'zeros.zip');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/would unpack [\d,]+× its packed size \(limit 100×\)/);
  });

  it('bounds the whole upload by its size: 100× what was sent, past the first 64 MB', async () => {
    // 1,200 entries of 60 KB of zeros: each small enough to skip the per-entry ratio, 72 MB in all from ~0.2 MB
    const zeros = new Uint8Array(60 * 1024);
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 1_200; i++) files[`activities/${i}.fit`] = zeros;
    const zip = zipSync(files, { level: 9 });
    expect(zip.length).toBeLessThan(400_000);
    const result = await ingestFile(zip, 'many.zip');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/its files unpack to more than 64\.0 MB \(the most one upload may unpack/);
    // the same entries, fewer of them: read (and each refused as not FIT)
    const some: Record<string, Uint8Array> = {};
    for (let i = 0; i < 100; i++) some[`activities/${i}.fit`] = zeros;
    const fine = await ingestFile(zipSync(some, { level: 9 }), 'some.zip');
    expect(fine.ok && fine.value.errors.length).toBe(100);
  });
});
