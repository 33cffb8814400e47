/**
 * One measurement, in its own process so that peak RSS belongs to it alone:
 *   tsx bench/measure.ts <ours|raw> <folder>
 * `ours`:  ingestFile + computeActivityMetrics per file (what an upload costs).
 * `raw`:   fit-file-parser's parseAsync alone on the same files (the decoder's floor).
 * Prints one JSON line. The store's figures, on both engines: bench/store-engines.ts.
 */
import { readFile } from 'node:fs/promises';
import FitParser from 'fit-file-parser';
import { computeActivityMetrics } from '../src/domain/metrics/index.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { fitFiles } from './synthetic-year.js';

const [mode, folder] = process.argv.slice(2);
if ((mode !== 'ours' && mode !== 'raw') || !folder) throw new Error('usage: measure.ts <ours|raw> <folder>');

const files = await fitFiles(folder);
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
