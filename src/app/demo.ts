/**
 * The offline demo: makes a month of realistic synthetic rides as real FIT files (no network,
 * no keys, no shared corpus), writes them to a folder and reads them back like any upload.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeActivityFit } from '../synthetic/fit-writer.js';
import { syntheticRide, syntheticRun, type RideKind } from '../synthetic/synthetic-ride.js';

export const DEMO_FTP = 265;

interface DemoActivity {
  day: number;
  hour: number;
  minutes: number;
  kind: RideKind | 'run';
  pauses?: number;
  indoor?: boolean;
  gzip?: boolean;
}

/** Four weeks of a club rider's training, starting on a fixed Monday so the demo is repeatable. */
const PLAN: DemoActivity[] = [
  { day: 1, hour: 18, minutes: 60, kind: 'intervals', indoor: true },
  { day: 3, hour: 7, minutes: 75, kind: 'endurance' },
  { day: 5, hour: 8, minutes: 180, kind: 'endurance', pauses: 2 },
  { day: 6, hour: 9, minutes: 45, kind: 'run' },
  { day: 8, hour: 18, minutes: 60, kind: 'recovery', indoor: true },
  { day: 9, hour: 18, minutes: 75, kind: 'intervals', gzip: true },
  { day: 12, hour: 8, minutes: 150, kind: 'race', pauses: 1 },
  { day: 13, hour: 9, minutes: 210, kind: 'endurance', pauses: 3 },
  { day: 15, hour: 18, minutes: 60, kind: 'intervals', indoor: true },
  { day: 17, hour: 7, minutes: 90, kind: 'endurance' },
  { day: 20, hour: 8, minutes: 240, kind: 'endurance', pauses: 3 },
  { day: 22, hour: 18, minutes: 45, kind: 'recovery', indoor: true, gzip: true },
  { day: 24, hour: 18, minutes: 90, kind: 'intervals' },
  { day: 27, hour: 8, minutes: 120, kind: 'race', pauses: 1 },
];

const FIRST_DAY = Date.UTC(2026, 9, 5); // Monday 5 October 2026

/** Writes the demo files into `folder` and returns their paths. */
export async function writeDemoFiles(folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const paths: string[] = [];
  for (const [index, a] of PLAN.entries()) {
    const startTime = new Date(FIRST_DAY + (a.day - 1) * 86_400_000 + a.hour * 3_600_000);
    const spec =
      a.kind === 'run'
        ? syntheticRun({ seed: 100 + index, startTime, durationSeconds: a.minutes * 60, kind: 'easy' })
        : syntheticRide({ seed: 100 + index, startTime, durationSeconds: a.minutes * 60, ftp: DEMO_FTP, kind: a.kind, pauses: a.pauses ?? 0, indoor: a.indoor ?? false });
    const bytes = encodeActivityFit([spec], { manufacturer: 1, product: 3121 });
    const name = `${startTime.toISOString().slice(0, 10)}-${a.kind}${a.indoor ? '-indoor' : ''}.fit${a.gzip ? '.gz' : ''}`;
    const path = join(folder, name);
    await writeFile(path, a.gzip ? gzipSync(bytes) : bytes);
    paths.push(path);
  }
  return paths;
}
