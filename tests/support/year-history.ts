/**
 * A year of rides for export tests: the seeded season's 40 decoded rides (tests/support/athlete.ts),
 * each copied on the following days as new rides (their own source hash and id), so that a year
 * of 1 Hz history — about 160 rides, some 60 MB of JSON, 19 MB gzipped — is built in seconds
 * instead of decoding 160 FIT files.
 */
import type { Activity } from '../../src/domain/activity.js';
import type { Store } from '../../src/store/store.js';
import { seasonActivities } from './athlete.js';

const DAY_MS = 86_400_000;

/** `copies` rides per season ride: the ride itself, then the same ride 1, 2, … days later. */
export function yearOfRides(copies = 4): Activity[] {
  const season = seasonActivities();
  const out: Activity[] = [];
  for (let c = 0; c < copies; c++) {
    for (const a of season) {
      if (c === 0) {
        out.push(a);
        continue;
      }
      out.push({
        ...a,
        id: `${a.id}-copy-${c}`,
        sourceHash: `${a.sourceHash}-copy-${c}`,
        source: `copy-${c}-${a.source}`,
        startTime: new Date(a.startTime.getTime() + c * DAY_MS),
        name: a.name,
      });
    }
  }
  return out.sort((x, y) => x.startTime.getTime() - y.startTime.getTime());
}

/** Stores the rides for the chat identity `key` (the athlete the bot will find), straight into the database. */
export async function seedHistory(store: Store, key: string, name: string, activities: Activity[]): Promise<string> {
  const athlete = await store.athleteForIdentity(key, name);
  await store.athlete(athlete.id).recordUpload(['a-year-of-rides'], { activities, errors: [] });
  return athlete.id;
}
