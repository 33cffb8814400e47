/**
 * One measurement, in its own process so that peak RSS belongs to it alone:
 *   tsx bench/measure.ts <ours|raw|store> <folder>
 * `ours`:  ingestFile + computeActivityMetrics per file (what an upload costs).
 * `raw`:   fit-file-parser's parseAsync alone on the same files (the decoder's floor).
 * `store`: the year recorded into a fresh SQLite file as one upload, then a year's metrics loaded.
 * Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from '../src/domain/activity.js';
import { rideLoads } from '../src/domain/training-load.js';
import { Store } from '../src/store/store.js';
import FitParser from 'fit-file-parser';
import { computeActivityMetrics } from '../src/domain/metrics/index.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { fitFiles } from './synthetic-year.js';

const [mode, folder] = process.argv.slice(2);
if ((mode !== 'ours' && mode !== 'raw' && mode !== 'store') || !folder) throw new Error('usage: measure.ts <ours|raw|store> <folder>');

const files = await fitFiles(folder);
if (mode === 'store') {
  const collected: Activity[] = [];
  for (const file of files) {
    const result = await ingestFile(new Uint8Array(await readFile(file)), file);
    if (result.ok) collected.push(...result.value.activities);
  }
  const dir = mkdtempSync(join(tmpdir(), 'domestique-bench-'));
  const path = join(dir, 'bench.db');
  const writer = await Store.open(path);
  const writing = writer.athlete((await writer.athleteForIdentity('bench:1', 'Bench')).id);
  await writing.updateProfile({ ftp: 265, maxHr: 185, restingHr: 50, lthr: 168 }, new Date('2025-01-01T00:00:00Z'));
  const t0 = performance.now();
  const summary = await writing.recordUpload(files, { activities: collected, errors: [] });
  const recordMs = performance.now() - t0;
  await writer.close(); // checkpoints the WAL into the file
  const bytes = statSync(path).size;
  const store = await Store.open(path);
  const athlete = store.athlete(writing.athleteId);
  const from = new Date('2025-01-01T00:00:00Z');
  const to = new Date('2027-01-01T00:00:00Z');
  const t1 = performance.now();
  const summaries = await athlete.activitiesBetween(from, to);
  const loads = rideLoads(
    summaries.map((s) => s.activity),
    await athlete.profileHistory(),
  );
  const loadSummariesMs = performance.now() - t1;
  const t2 = performance.now();
  const full = await athlete.activitiesBetween(from, to, { streams: true });
  const loadStreamsMs = performance.now() - t2;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({ mode, rides: summary.new, withTss: loads.filter((l) => l.metrics.tss !== null).length, streamsLoaded: full.filter((s) => s.activity.streams).length, recordMs, databaseBytes: bytes, loadSummariesMs, loadStreamsMs, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
  process.exit(0);
}
let bytesTotal = 0;
let samples = 0;
let activities = 0;
let readMs = 0;
const started = performance.now();
for (const file of files) {
  const t0 = performance.now();
  const bytes = new Uint8Array(await readFile(file));
  readMs += performance.now() - t0;
  bytesTotal += bytes.length;
  if (mode === 'raw') {
    // the same parser options as our decoder, so that the ratio compares like with like
    const fit = await new FitParser({
      force: true,
      mode: 'list',
      speedUnit: 'm/s',
      lengthUnit: 'm',
      temperatureUnit: 'celsius',
    }).parseAsync(Buffer.from(bytes));
    samples += fit.records?.length ?? 0;
    activities += fit.sessions?.length ?? 0;
  } else {
    const result = await ingestFile(bytes, file);
    if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
    for (const activity of result.value.activities) {
      const metrics = computeActivityMetrics(activity, { ftp: 265, maxHr: 185, restingHr: 50, lthr: 168 });
      if (metrics.normalizedPower === null) throw new Error(`${file}: no NP`);
      samples += activity.streams?.elapsed.length ?? 0;
      activities += 1;
    }
  }
}
const totalMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ mode, files: files.length, activities, samples, megabytes: bytesTotal / 1024 / 1024, totalMs, readMs, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
