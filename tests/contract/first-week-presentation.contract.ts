/**
 * The athlete's first week with the coach — what they see, on every chat platform: an imperial
 * athlete's miles and pounds in the profile, upload reply, summary and reports; the chat picture
 * after an analysis, a 1080 × 1350 card (read from the PNG's IHDR); and /export of a year of 1 Hz
 * history (~14 MB gzipped), which arrives whole: in parts that each fit the platform's attachment
 * limit (Discord: 10 MiB) and join into the full export, or as one file where it fits.
 */
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exportDocument, joinExportParts } from '../../src/conversation/export-parts.js';
import { formatBytes } from '../../src/ingest/ingest-error.js';
import { Store } from '../../src/store/store.js';
import { recentRides } from '../support/synthetic-files.js';
import { seedHistory, yearOfRides } from '../support/year-history.js';
import { suiteAthletes, type BotFile, type ChatDriver, type DriverFactory } from './driver.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`\n!!! ${CHROMIUM} is missing: the chat picture checks of the first-week presentation contract are SKIPPED.\n`);

const last = (d: ChatDriver) => d.messages().at(-1)?.text ?? '';
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const NOW = new Date();

/** Width and height from a PNG's IHDR chunk (bytes 16–23, right after the signature and the chunk header). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(b.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export interface PresentationOptions {
  /** The largest file the platform lets the bot send (Discord 10 MiB; Telegram 50 MB); null: no limit. */
  attachmentLimitBytes: number | null;
}

export function runFirstWeekPresentationContract(factory: DriverFactory, options: PresentationOptions): void {
  describe(`first week: units, the chat picture, a big export — ${factory.name}`, () => {
    const { athlete, dbPath } = suiteAthletes(factory, 'first-week-presentation', 200);

    it('an imperial athlete sees miles and pounds — profile, upload reply, summary, reports — and the picture is a 1080 × 1350 card', async () => {
      const d = await athlete();
      await d.send('units imperial');
      expect(last(d)).toMatch(/imperial units/);
      await d.send('weight 154 lb');
      expect(last(d)).toMatch(/weight 154 lb/);
      await d.send('ftp 250');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      await d.send('/profile');
      expect(last(d)).toMatch(/Weight: 154 lb/);
      expect(last(d)).toMatch(/FTP: 250 W \(3\.58 W\/kg\)/); // W/kg stays W/kg

      await d.sendFiles(recentRides(NOW, 6, 71));
      const upload = last(d);
      expect(upload).toMatch(/6 new activities stored/);
      expect(upload).toMatch(/In what you sent: 6 activities, \d+\.\d mi, \d+:\d\d h moving\./);
      expect(upload).not.toMatch(/\bkm\b/);

      await d.send('/analyze');
      const summary = await d.waitFor(
        () => d.messages().find((m) => m.text.includes('Your analysis is ready'))?.text,
        60_000,
        'the summary',
      );
      expect(summary).toMatch(/TSS a week\. \d+\.\d mi ridden\./);
      expect(summary).toMatch(/\d\.\d\d W\/kg at 154 lb/);
      expect(summary.replace(/W\/kg/g, '')).not.toMatch(/\b(km|kg)\b/);

      const files = await d.waitFor(
        () => (d.files().filter((f) => f.fileName.endsWith('.html')).length === 3 ? d.files() : null),
        60_000,
        'the picture and the three reports',
      );
      const dashboard = decode(files.find((f) => f.fileName === 'performance_dashboard.html')!.content);
      expect(dashboard).toContain('Distance (mi)');
      expect(dashboard).not.toContain('Distance (km)');
      expect(decode(files.find((f) => f.fileName === 'index.html')!.content)).toContain('154\u202flb');

      if (hasChromium) {
        const pictures = files.filter((f: BotFile) => f.kind === 'photo');
        expect(pictures).toHaveLength(1);
        expect(pngSize(pictures[0]!.content)).toEqual({ width: 1080, height: 1350 });
        expect(pictures[0]!.content.byteLength).toBeLessThanOrEqual(1_000_000);
      }
    });

    it(`a year of rides: /export arrives whole — ${options.attachmentLimitBytes !== null && options.attachmentLimitBytes < 14 * 1024 * 1024 ? 'in parts that each fit the attachment limit' : 'one file suffices here'}`, async () => {
      const d = await athlete();
      await d.send('/status'); // the bot knows this chat before the history is put in its database
      const store = await Store.open((await factory.storeLocation?.(dbPath())) ?? dbPath());
      try {
        const athleteId = await seedHistory(store, d.athleteKey, 'Rider', yearOfRides(3));
        await d.send('/status');
        expect(last(d)).toMatch(/^Status\n120 activities stored/m);
        await d.send('/export');
        const files = await d.waitFor(
          () => {
            const found = d.files().filter((f) => f.fileName.startsWith('domestique-export-'));
            const of = /-of-(\d+)\.json\.gz$/.exec(found[0]?.fileName ?? '');
            return found.length > 0 && found.length === (of ? Number(of[1]) : 1) ? found : null;
          },
          60_000,
          'the export',
        );
        const total = files.reduce((s, f) => s + f.content.byteLength, 0);
        expect(total).toBeGreaterThan(10 * 1024 * 1024); // a big history: ~14 MB gzipped
        const limit = options.attachmentLimitBytes;
        if (limit !== null && total > limit) {
          expect(files.length).toBeGreaterThan(1);
          files.forEach((f, i) => {
            expect(f.fileName).toMatch(new RegExp(`^domestique-export-\\d{4}-\\d{2}-\\d{2}-part-${i + 1}-of-${files.length}\\.json\\.gz$`));
            expect(f.content.byteLength, f.fileName).toBeLessThanOrEqual(limit);
          });
          expect(
            d
              .messages()
              .some((m) => m.text.includes(`comes in ${files.length} parts, each under the ${formatBytes(limit)} I can attach here`)),
          ).toBe(true);
        } else {
          expect(files.map((f) => f.fileName)).toEqual([expect.stringMatching(/^domestique-export-\d{4}-\d{2}-\d{2}\.json\.gz$/)]);
        }
        expect(d.messages().some((m) => /\btoo (large|big)\b|could not send/i.test(m.text))).toBe(false);

        // every part is a valid JSON document; together they are the full export
        const parts = files.map((f) => JSON.parse(gunzipSync(f.content).toString('utf8')) as unknown);
        const joined = joinExportParts(parts);
        const expected = JSON.parse(JSON.stringify(exportDocument(await store.athlete(athleteId).export()))) as ReturnType<
          typeof joinExportParts
        >;
        expect(joined.activities).toHaveLength(120);
        expect(JSON.stringify(joined.activities)).toBe(JSON.stringify(expected.activities));
        const rest = ({ exportedAt: _e, chatState: _c, activities: _a, ...others }: ReturnType<typeof joinExportParts>) => others;
        expect(rest(joined)).toEqual(rest(expected));
      } finally {
        await store.close();
      }
    });
  });
}
