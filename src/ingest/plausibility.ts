/**
 * Checks on what a file claims, beyond its format: a ride dated in the future is refused (the
 * device clock is wrong), an activity lasting days is kept with a warning (a clock jump, or a
 * recording left running).
 */
import type { Activity } from '../domain/activity.js';
import type { IngestError } from './ingest-error.js';

export const FUTURE_TOLERANCE_MS = 36 * 3_600_000;
export const LONGEST_PLAUSIBLE_SECONDS = 2 * 86_400;

export function checkPlausible(activities: Activity[], now: Date): { kept: Activity[]; errors: IngestError[] } {
  const kept: Activity[] = [];
  const errors: IngestError[] = [];
  for (const a of activities) {
    if (a.startTime.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      errors.push({ source: a.source, code: 'future-date', message: `${a.source.split('/').pop()} starts on ${a.startTime.toISOString().slice(0, 10)}, in the future: the device's clock is probably wrong. Set its date and export the ride again.` });
      continue;
    }
    const longest = Math.max(a.elapsedSeconds ?? 0, a.timerSeconds ?? 0);
    if (longest > LONGEST_PLAUSIBLE_SECONDS && !a.warnings.some((w) => w.code === 'implausible-duration')) {
      a.warnings.push({ code: 'implausible-duration', message: `This activity claims to last ${(longest / 86_400).toFixed(1)} days: its time stamps are probably wrong (a clock jump, or a recording left running). It was kept, but check it.` });
    }
    kept.push(a);
  }
  return { kept, errors };
}
