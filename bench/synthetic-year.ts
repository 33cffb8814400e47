/**
 * The benchmark's data: a synthetic year of ≈250 rides of 1–4 h at 1 Hz, written as real FIT
 * files (fit-file-parser's encoder) into a cache folder so that reruns skip the slow encoding.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeActivityFit } from '../src/synthetic/fit-writer.js';
import { syntheticSeason } from '../src/synthetic/synthetic-season.js';

export const YEAR = { seed: 2026, rides: 250, ftp: 265, start: new Date('2025-11-01T00:00:00Z') };
const VERSION = 'v1';

export async function ensureSyntheticYear(cacheRoot: string): Promise<string> {
  const folder = join(cacheRoot, `year-${VERSION}-${YEAR.seed}-${YEAR.rides}`);
  if (existsSync(join(folder, '.complete'))) return folder;
  const partial = `${folder}.partial`;
  await mkdir(partial, { recursive: true });
  const started = performance.now();
  const season = syntheticSeason({ seed: YEAR.seed, start: YEAR.start, rides: YEAR.rides, ftp: YEAR.ftp });
  for (const [i, ride] of season.entries()) {
    const bytes = encodeActivityFit([ride], { manufacturer: 1, product: 3121 });
    await writeFile(join(partial, `${String(i + 1).padStart(3, '0')}-${ride.startTime.toISOString().slice(0, 10)}.fit`), bytes);
  }
  await writeFile(join(partial, '.complete'), new Date().toISOString());
  await rename(partial, folder);
  process.stderr.write(`generated ${season.length} FIT files in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return folder;
}

export async function fitFiles(folder: string): Promise<string[]> {
  return (await readdir(folder))
    .filter((f) => f.endsWith('.fit'))
    .sort()
    .map((f) => join(folder, f));
}
