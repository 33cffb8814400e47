import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { syntheticRun } from '../../src/synthetic/synthetic-run.js';

/** Writes `rides` synthetic rides (every other one gzipped) and one run into `dir`; returns the file names. */
export function writeSyntheticFiles(dir: string, rides = 6, ftp = 265): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < rides; i++) {
    const startTime = new Date(Date.UTC(2026, 9, 5 + i * 2, 7));
    const bytes = encodeActivityFit([
      syntheticRide({
        seed: 500 + i,
        startTime,
        durationSeconds: 3600 + i * 900,
        ftp,
        kind: i % 3 === 0 ? 'intervals' : 'endurance',
        pauses: i % 2,
      }),
    ]);
    const name = `ride-${i + 1}.fit${i % 2 === 1 ? '.gz' : ''}`;
    writeFileSync(join(dir, name), i % 2 === 1 ? gzipSync(bytes) : bytes);
    names.push(name);
  }
  writeFileSync(
    join(dir, 'run.fit'),
    encodeActivityFit([syntheticRun({ seed: 9, startTime: new Date(Date.UTC(2026, 9, 4, 8)), durationSeconds: 2400 })]),
  );
  names.push('run.fit');
  return names;
}

/** A synthetic ride as FIT bytes. */
export function syntheticRideBytes(seed: number, start: Date, minutes = 75, ftp = 260): Uint8Array {
  return encodeActivityFit([
    syntheticRide({ seed, startTime: start, durationSeconds: minutes * 60, ftp, kind: seed % 3 === 0 ? 'intervals' : 'endurance' }),
  ]);
}

/** Ten rides over the four weeks before `end`, as chat attachments. */
export function recentRides(end: Date, count = 10, seed = 1): { fileName: string; content: Uint8Array }[] {
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(end.getTime() - (count - i) * 2.5 * 86_400_000);
    return { fileName: `ride-${seed}-${i + 1}.fit`, content: syntheticRideBytes(seed * 100 + i, start) };
  });
}
