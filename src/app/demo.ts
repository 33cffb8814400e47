/**
 * The offline demo: a synthetic but physiologically sensible season of rides written as real FIT
 * files (deterministic seed, no network, no keys, no shared corpus), an athlete profile, and a
 * fresh database for `generate` to work on.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utcDate } from '../domain/calendar.js';
import { encodeActivityFit } from '../synthetic/fit-writer.js';
import { syntheticSeason } from '../synthetic/synthetic-season.js';

export const DEMO_SEED = 2026;
export const DEMO_RIDES = 110;

export const DEMO_PROFILE = {
  name: 'Demo Rider',
  ftp: 265,
  weightKg: 71,
  maxHr: 186,
  lthr: 168,
  restingHr: 48,
  age: 38,
  sex: 'male',
  goals: 'Ride the Marmotte Granfondo under 7 hours; better climbing at threshold.',
  weeklyHours: 9,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 12,
};

/** Writes (or reuses) the season's FIT files and a profile; returns where they are. */
export async function writeDemoSeason(folder: string): Promise<{ fitDir: string; profilePath: string; db: string; files: number }> {
  const fitDir = join(folder, 'fit');
  const marker = join(fitDir, `.season-${DEMO_SEED}-${DEMO_RIDES}`);
  let files = DEMO_RIDES;
  if (!existsSync(marker)) {
    await rm(fitDir, { recursive: true, force: true });
    await mkdir(fitDir, { recursive: true });
    const season = syntheticSeason({
      seed: DEMO_SEED,
      start: new Date('2025-10-01T00:00:00Z'),
      rides: DEMO_RIDES,
      ftp: DEMO_PROFILE.ftp,
      maxHr: DEMO_PROFILE.maxHr,
    });
    files = season.length;
    for (const [i, ride] of season.entries()) {
      const name = `${utcDate(ride.startTime)}-${String(i + 1).padStart(3, '0')}.fit`;
      await writeFile(join(fitDir, name), encodeActivityFit([ride], { manufacturer: 1, product: 3121 }));
    }
    await writeFile(marker, '');
  }
  const profilePath = join(folder, 'profile.json');
  await writeFile(profilePath, `${JSON.stringify(DEMO_PROFILE, null, 2)}\n`);
  const db = join(folder, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) await rm(`${db}${suffix}`, { force: true });
  return { fitDir, profilePath, db, files };
}
