/**
 * FIT bytes → normalised activities, one per sport session.
 *
 * fit-file-parser decodes the fields. Before it runs, the file's structure and CRC are checked
 * here, so that damaged files are cut back to their last whole record and salvaged with a
 * warning (or refused with a clear error) instead of being decoded as garbage. The parts:
 * integrity.ts (structure and CRCs), fit-fields.ts (decoding), sessions.ts (sessions and laps),
 * timer.ts (running intervals) and activities.ts (session → activity).
 */
import type { Activity } from '../../domain/activity.js';
import { err, ok, type Result } from '../../domain/result.js';
import { sha256Hex } from '../identity.js';
import { formatBytes, ingestError, type IngestError } from '../ingest-error.js';
import { formatCount } from '../../domain/numbers.js';
import { buildActivities } from './activities.js';
import { parseFit, recordSpanDays } from './fit-fields.js';
import { readFitHeader } from './fit-structure.js';
import { checkIntegrity, fileWarnings, readableFit, unrecoverable } from './integrity.js';
import { describeNonFit } from './sniff.js';

/**
 * What one FIT file may decode to, checked before fit-file-parser builds an object per record
 * (about 0.9 KB of heap each, measured): a 100 MB file of 26 M four-byte records would need
 * tens of GB. A day of 1 Hz recording is 86,400 records and 3–10 MB; these limits leave room
 * for a 90-hour brevet (324,000 records) and stop a crafted file in a fraction of a second.
 */
export interface FitLimits {
  /** Largest FIT file (after any gzip), bytes. */
  maxFitBytes: number;
  /** Most data records in one file (counted by a structural walk, nothing decoded). */
  maxFitRecords: number;
  /** Longest span between a file's first and last record time stamps. */
  maxActivityDays: number;
}

export const DEFAULT_FIT_LIMITS: FitLimits = {
  maxFitBytes: 64 * 1024 * 1024,
  maxFitRecords: 400_000,
  // a recording left running for weeks is kept with a warning (plausibility.ts); months are not
  maxActivityDays: 60,
};

function tooLarge(source: string, what: string): IngestError {
  return ingestError(
    source,
    'too-large',
    `${source} was refused: ${what}. No single activity file is that large; if it is real, split the recording (or send the rides one by one).`,
  );
}

/** Decodes a FIT file. Never throws on bad bytes. `onRecords` sees the data-record count before decoding. */
export function decodeFit(
  bytes: Uint8Array,
  source: string,
  limits: FitLimits = DEFAULT_FIT_LIMITS,
  onRecords?: (records: number) => IngestError | null,
): Result<Activity[], IngestError> {
  if (bytes.length === 0)
    return err(
      ingestError(source, 'empty', `${source} is empty (0 bytes). Export the activity again from your device or app and resend it.`),
    );
  const header = readFitHeader(bytes);
  if (header === null) return err(ingestError(source, 'not-fit', describeNonFit(bytes, source)));
  if (header.dataSize === 0)
    return err(ingestError(source, 'empty', `${source} is a FIT file with no records in it. Export the activity again and resend it.`));
  if (bytes.length > limits.maxFitBytes)
    return err(
      tooLarge(source, `it is ${formatBytes(bytes.length)} of FIT data (the limit for one file is ${formatBytes(limits.maxFitBytes)})`),
    );

  const integrity = checkIntegrity(bytes, header);
  if (integrity.records > limits.maxFitRecords)
    return err(
      tooLarge(
        source,
        `it holds ${formatCount(integrity.records)} records (the limit for one file is ${formatCount(limits.maxFitRecords)}, about ${Math.round(limits.maxFitRecords / 86_400)} days of 1-second recording)`,
      ),
    );
  const overBudget = onRecords?.(integrity.records) ?? null;
  if (overBudget !== null) return err(overBudget);

  const parsed = parseFit(readableFit(bytes, header, integrity));
  if (parsed === null) return err(unrecoverable(source, integrity.damage));
  const span = recordSpanDays(parsed.records ?? []);
  if (span > limits.maxActivityDays)
    return err(
      tooLarge(
        source,
        `its records span ${formatCount(Math.round(span))} days (the limit is ${limits.maxActivityDays}); an activity file never does — the device's clock jumped, or this is not an activity recording`,
      ),
    );

  const activities = buildActivities(parsed, source, sha256Hex(bytes));
  if (activities.length === 0) {
    if (integrity.damage !== null) return err(unrecoverable(source, integrity.damage));
    return err(
      ingestError(
        source,
        'no-activity',
        `${source} is a FIT file but holds no activity (no sessions or timed records) — it may be a course, workout or settings file. Send the activity file from your device's Activity folder.`,
      ),
    );
  }
  const warnings = fileWarnings(integrity);
  for (const activity of activities) activity.warnings = [...warnings, ...activity.warnings];
  return ok(activities);
}
