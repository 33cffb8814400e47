/**
 * `npm run bench`: ingest + metrics over a synthetic year, with the figures measured in this
 * one run. See bench/README.md.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureSyntheticYear } from './synthetic-year.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

interface Measurement {
  mode: string;
  files: number;
  activities: number;
  samples: number;
  megabytes: number;
  totalMs: number;
  readMs: number;
  peakRssMb: number;
}

async function measure(mode: 'ours' | 'raw', folder: string): Promise<Measurement> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/measure.ts', mode, folder], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim()) as Measurement;
}

const folder = await ensureSyntheticYear(resolve(ROOT, 'bench/.cache'));
const ours = await measure('ours', folder);
const raw = await measure('raw', folder);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const lines = [
  `domestique benchmark — synthetic year: ${ours.files} FIT files, ${ours.megabytes.toFixed(1)} MB, ${(ours.samples / 1e6).toFixed(2)} M moving seconds (${availableParallelism()} cores, Node ${process.version})`,
  '',
  `ingest + metrics (ours)        ${seconds(ours.totalMs)} total   ${(ours.totalMs / ours.files).toFixed(1)} ms/ride   ${(ours.totalMs / ours.megabytes).toFixed(1)} ms/MB   peak RSS ${ours.peakRssMb.toFixed(0)} MB`,
  `fit-file-parser parseAsync    ${seconds(raw.totalMs)} total   ${(raw.totalMs / raw.files).toFixed(1)} ms/ride   ${(raw.totalMs / raw.megabytes).toFixed(1)} ms/MB   peak RSS ${raw.peakRssMb.toFixed(0)} MB`,
  '',
  `ratio ours / raw parseAsync   ${(ours.totalMs / raw.totalMs).toFixed(2)}`,
  `target: whole year ≤ 10 s     ${ours.totalMs <= 10_000 ? 'met' : 'NOT met'} (${seconds(ours.totalMs)})`,
  `target: peak RSS ≤ 300 MB     ${ours.peakRssMb <= 300 ? 'met' : 'NOT met'} (${ours.peakRssMb.toFixed(0)} MB)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
