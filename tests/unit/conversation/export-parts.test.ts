/**
 * /export as chat files: one plain JSON when small, one .json.gz when that fits, else parts that
 * each fit the attachment limit — every part a valid JSON document, together the whole export.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exportDocument, exportFiles, joinExportParts, type ExportDocument } from '../../../src/conversation/export-parts.js';
import type { AthleteExport } from '../../../src/store/store.js';

/** An export with `rides` rides of `samples` 1 Hz samples each (noisy, so it does not compress to nothing). */
function fakeExport(rides: number, samples: number): AthleteExport {
  let seed = 7;
  const noise = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return {
    exportedAt: '2026-11-24T12:00:00.000Z',
    athlete: { id: 'a1', displayName: 'Rider', timeZone: 'Europe/Berlin', units: 'imperial' },
    profileHistory: [{ ftp: 250 }],
    activities: Array.from({ length: rides }, (_, i) => ({
      id: `ride-${i}`,
      name: `Ride ${i}`,
      streams: {
        power: Array.from({ length: samples }, () => Math.round(150 + noise() * 200)),
        heartRate: Array.from({ length: samples }, () => Math.round(120 + noise() * 40)),
      },
    })),
    uploads: [{ id: 'u1' }],
    runs: [{ id: 'r1' }],
    reminder: null,
    questions: [],
    chatState: [],
    reportFiles: [{ runId: 'r1', fileName: 'index.html', contentType: 'text/html', content: new TextEncoder().encode('<p>report</p>') }],
  } as unknown as AthleteExport;
}

const parse = (bytes: Uint8Array, gz: boolean): unknown => JSON.parse((gz ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8'));
const plain = (doc: ExportDocument): unknown => JSON.parse(JSON.stringify(doc));

describe('exportFiles', () => {
  it('a small export is one plain JSON file, limit or not', async () => {
    const data = fakeExport(2, 100);
    for (const maxBytes of [undefined, 10 * 1024 * 1024]) {
      const out = await exportFiles(data, { day: '2026-11-24', maxBytes });
      expect(out).toMatchObject({ compressed: false, split: false });
      expect(out.files.map((f) => f.fileName)).toEqual(['domestique-export-2026-11-24.json']);
      expect(parse(out.files[0]!.content, false)).toEqual(plain(exportDocument(data)));
    }
  });

  it('gzips when the JSON is over the limit but the .gz fits', async () => {
    const data = fakeExport(4, 2000);
    const json = Buffer.byteLength(JSON.stringify(exportDocument(data)));
    const out = await exportFiles(data, { day: '2026-11-24', maxBytes: json - 1 });
    expect(out).toMatchObject({ compressed: true, split: false });
    expect(out.files.map((f) => f.fileName)).toEqual(['domestique-export-2026-11-24.json.gz']);
    expect(parse(out.files[0]!.content, true)).toEqual(plain(exportDocument(data)));
  });

  it('splits into parts that each fit; each is a valid document and they join into the whole export', async () => {
    const data = fakeExport(30, 3000);
    const limit = Math.floor(gzipSync(JSON.stringify(exportDocument(data))).length / 3.5);
    const out = await exportFiles(data, { day: '2026-11-24', maxBytes: limit });
    expect(out.split).toBe(true);
    expect(out.files.length).toBeGreaterThanOrEqual(4);
    out.files.forEach((f, i) => {
      expect(f.fileName).toBe(`domestique-export-2026-11-24-part-${i + 1}-of-${out.files.length}.json.gz`);
      expect(f.content.length).toBeLessThanOrEqual(limit);
      expect(f.contentType).toBe('application/gzip');
    });
    const parts = out.files.map(
      (f) => parse(f.content, true) as Record<string, unknown> & { exportPart: { part: number; of: number }; activities: unknown[] },
    );
    expect(parts.map((p) => p.exportPart.part)).toEqual(parts.map((_, i) => i + 1));
    expect(parts.every((p) => p.activities.length > 0 && p.athlete !== undefined)).toBe(true);
    expect(parts[0]).toHaveProperty('profileHistory');
    expect(parts[1]).not.toHaveProperty('profileHistory'); // the rest of the document is in part 1 only
    // in any order
    expect(joinExportParts([...parts].reverse())).toEqual(plain(exportDocument(data)));
  });

  it('joinExportParts refuses an incomplete set', async () => {
    const data = fakeExport(30, 3000);
    const out = await exportFiles(data, { day: '2026-11-24', maxBytes: 150_000 });
    const parts = out.files.map((f) => parse(f.content, true));
    expect(parts.length).toBeGreaterThan(1);
    expect(() => joinExportParts(parts.slice(1))).toThrow(/parts 1–/);
  });
});
