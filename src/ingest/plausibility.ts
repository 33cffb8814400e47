/**
 * Checks on what a file claims, beyond its format: a ride dated in the future is refused (the
 * device clock is wrong), an activity lasting days is kept with a warning (a clock jump, or a
 * recording left running), a damaged file salvaged to a few seconds is refused as too short.
 * The chat path and the CLI's `import` and `generate` apply the same screen before storing.
 */
import type { Activity } from '../domain/activity.js';
import { utcDate } from '../domain/calendar.js';
import type { IngestError } from './ingest-error.js';

export const FUTURE_TOLERANCE_MS = 36 * 3_600_000;
export const LONGEST_PLAUSIBLE_SECONDS = 2 * 86_400;

/** A damaged file salvaged to less moving time than this is refused as too short (code `too-short`). */
export const MIN_SALVAGED_SECONDS = 60;

/**
 * What of an upload may be stored: too-short salvages and future-dated rides are refused, each
 * with an error appended to `errors` (in place); the rest is returned.
 */
export function screenUpload(
  activities: Activity[],
  errors: { source: string; code: string; message: string }[],
  now: Date,
): { kept: Activity[] } {
  const checked = checkPlausible(refuseTooShort(activities, errors), now);
  for (const e of checked.errors) errors.push(e);
  return { kept: checked.kept };
}

/**
 * Damaged files salvaged to a few seconds are no ride: refused with code `too-short`, and nothing
 * of them stored. Intact short recordings are kept (the athlete may have meant them).
 */
function refuseTooShort(activities: Activity[], errors: { source: string; code: string; message: string }[]): Activity[] {
  return activities.filter((a) => {
    const salvaged = a.warnings.some((w) => w.code === 'truncated' || w.code === 'bad-crc');
    const seconds = a.movingSeconds ?? a.timerSeconds ?? a.elapsedSeconds ?? 0;
    if (!salvaged || seconds >= MIN_SALVAGED_SECONDS) return true;
    errors.push({
      source: a.source,
      code: 'too-short',
      message: `only ${Math.round(seconds)} s of this ride could be read — the file is damaged, and a few seconds are too short to count (too-short). Send the original file again, or export the ride from your device or app once more.`,
    });
    return false;
  });
}

export function checkPlausible(activities: Activity[], now: Date): { kept: Activity[]; errors: IngestError[] } {
  const kept: Activity[] = [];
  const errors: IngestError[] = [];
  for (const a of activities) {
    if (a.startTime.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      errors.push({
        source: a.source,
        code: 'future-date',
        message: `${a.source.split('/').pop()} starts on ${utcDate(a.startTime)}, in the future: the device's clock is probably wrong. Set its date and export the ride again.`,
      });
      continue;
    }
    const longest = Math.max(a.elapsedSeconds ?? 0, a.timerSeconds ?? 0);
    if (longest > LONGEST_PLAUSIBLE_SECONDS && !a.warnings.some((w) => w.code === 'implausible-duration')) {
      a.warnings.push({
        code: 'implausible-duration',
        message: `This activity claims to last ${(longest / 86_400).toFixed(1)} days: its time stamps are probably wrong (a clock jump, or a recording left running). It was kept, but check it.`,
      });
    }
    kept.push(a);
  }
  return { kept, errors };
}
