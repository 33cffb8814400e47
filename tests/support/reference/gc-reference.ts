/**
 * An INDEPENDENT reference analysis of FIT rides, used to check the product's numbers. It shares
 * no code with src/: FIT is decoded by Garmin's own SDK (`@garmin/fitsdk`), records are imported
 * the way GoldenCheetah's FitRideFile.cpp imports them, and NP / TSS / mean-max follow
 * GoldenCheetah's Coggan.cpp and RideFileCache::computeMeanMax.
 *
 * Conventions, one line each:
 * - Decoding: `Decoder.checkIntegrity()` (header + file CRC) must pass and `read()` must report no
 *   error; otherwise the file is "damaged" / "unreadable" and carries the reason.
 * - Sessions: a record belongs to the last session whose start_time is at or before the record's
 *   raw timestamp (records before the first session go to the first). The session's end is the
 *   next session's start: the session's own end (timestamp or start + elapsed) is unreliable in
 *   real files (some write timestamp = start_time, Onelap writes 20 s of records past the end).
 * - Sport: session.sport, else the sport message of the same index, else the first, else `generic`.
 * - Time: whole seconds since the session start_time.
 * - Backward timestamps: clamped to the previous record's second (never go back).
 * - Same-second records: the FIRST is kept, later ones dropped (GoldenCheetah returns early on
 *   `time == last_time`); clamped records are therefore dropped too.
 * - Gaps under 25 s: filled at 1 s by linear interpolation; gaps of 25 s or more are pauses with
 *   no samples. Timer start/stop events are ignored for the data (only counted for information).
 * - Missing power in a record: 0 W for that record.
 * - NP: 30-sample rolling mean over the imported samples (pauses skipped, as GoldenCheetah
 *   iterates over data points), ring buffer zero-initialised and NOT reset at pauses, every
 *   sample counted (ramp-up included), mean of 4th powers, 4th root.
 * - TSS: samples × NP × IF / (FTP × 3600) × 100, IF = NP / FTP, samples = imported 1-s samples.
 * - Mean-max: exact best window (prefix sums) over the 1-s CLOCK series from first to last sample,
 *   pauses as 0 W; a duration longer than that series has no value.
 */
import { Decoder, Stream } from '@garmin/fitsdk';
import type { EventMesg, RecordMesg, SessionMesg, SportMesg } from '@garmin/fitsdk';
import { importRecords, type ImportStats, type RawRecord, type Sample } from './gc-import.js';
import { meanMaxPower, normalizedPower, trainingStressScore } from './gc-metrics.js';

export { importRecords } from './gc-import.js';
export type { ImportStats, RawRecord, Sample } from './gc-import.js';
export { bestAverage, clockSeries, meanMaxPower, normalizedPower, trainingStressScore } from './gc-metrics.js';

/** The mean-max durations the comparison checks (1, 5 and 20 minutes). */
export const REFERENCE_DURATIONS = [60, 300, 1200] as const;

export interface ReferenceSession {
  index: number;
  sport: string;
  subSport: string | null;
  /** The session's start_time, ISO 8601. */
  startTime: string;
  records: number;
  recordsWithPower: number;
  hasPower: boolean;
  /** Timer stop events inside the session (information only: they do not shape the data). */
  timerStops: number;
  samples: Sample[];
  stats: ImportStats;
  normalizedPower: number | null;
  tss: number | null;
  /** Best average power (W) by duration in seconds; null when the ride is shorter than that. */
  meanMax: Record<number, number | null>;
  /** What the device wrote in the session message (for validation of the reference). */
  device: { normalizedPower: number | null };
}

export type ReferenceResult = { ok: true; sessions: ReferenceSession[] } | { ok: false; reason: string };

const FIT_EPOCH = 631065600; // 1989-12-31T00:00:00Z in Unix seconds

function unixSeconds(value: Date | number | string | undefined): number | undefined {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (typeof value === 'number') return value + FIT_EPOCH;
  return undefined;
}

const text = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));

/** Decodes a FIT file with Garmin's SDK and analyses every session the GoldenCheetah way. */
export function analyzeFitReference(bytes: Uint8Array, options: { ftp: number; durations?: readonly number[] }): ReferenceResult {
  const durations = options.durations ?? REFERENCE_DURATIONS;
  const stream = Stream.fromByteArray(bytes);
  const decoder = new Decoder(stream);
  if (!decoder.isFIT()) return { ok: false, reason: 'damaged: not a FIT file (fitsdk isFIT failed)' };
  if (!decoder.checkIntegrity()) return { ok: false, reason: 'damaged: fitsdk checkIntegrity failed (header/file CRC or declared size)' };
  const { messages, errors } = decoder.read();
  if (errors.length > 0) return { ok: false, reason: `unreadable by fitsdk: ${errors.map((e) => e.message).join('; ')}` };

  const sessionMesgs: SessionMesg[] = [...(messages.sessionMesgs ?? [])];
  const sportMesgs: SportMesg[] = messages.sportMesgs ?? [];
  const eventMesgs: EventMesg[] = messages.eventMesgs ?? [];
  const recordMesgs: RecordMesg[] = messages.recordMesgs ?? [];
  if (sessionMesgs.length === 0) return { ok: false, reason: 'no session message' };

  const starts = sessionMesgs.map((s) => unixSeconds(s.startTime) ?? unixSeconds(s.timestamp) ?? -Infinity);
  const sessionOf = (time: number): number => {
    let found = 0;
    for (let i = 0; i < starts.length; i++) if (starts[i]! <= time) found = i;
    return found;
  };

  const bySession: RawRecord[][] = sessionMesgs.map(() => []);
  const withPower = sessionMesgs.map(() => 0);
  for (const record of recordMesgs) {
    const time = unixSeconds(record.timestamp);
    if (time === undefined) continue; // a record without a time cannot be placed
    const index = sessionOf(time);
    const power = typeof record.power === 'number' ? record.power : undefined;
    if (power !== undefined) withPower[index]!++;
    bySession[index]!.push({ time, power });
  }
  const stops = sessionMesgs.map(() => 0);
  for (const event of eventMesgs) {
    const time = unixSeconds(event.timestamp);
    if (time === undefined || event.event !== 'timer' || !(event.eventType === 'stop' || event.eventType === 'stopAll')) continue;
    stops[sessionOf(time)]!++;
  }

  const sessions = sessionMesgs.map((session, index): ReferenceSession => {
    const start = Number.isFinite(starts[index]) ? starts[index]! : (bySession[index]![0]?.time ?? 0);
    const { samples, stats } = importRecords(bySession[index]!, start);
    const hasPower = withPower[index]! > 0;
    const sport = text(session.sport) ?? text(sportMesgs[index]?.sport) ?? text(sportMesgs[0]?.sport) ?? 'generic';
    return {
      index,
      sport,
      subSport: text(session.subSport) ?? text(sportMesgs[index]?.subSport),
      startTime: new Date(start * 1000).toISOString(),
      records: bySession[index]!.length,
      recordsWithPower: withPower[index]!,
      hasPower,
      timerStops: stops[index]!,
      samples,
      stats,
      normalizedPower: hasPower ? normalizedPower(samples) : null,
      tss: hasPower ? trainingStressScore(samples, options.ftp) : null,
      meanMax: hasPower ? meanMaxPower(samples, durations) : Object.fromEntries(durations.map((d) => [d, null])),
      device: { normalizedPower: typeof session.normalizedPower === 'number' ? session.normalizedPower : null },
    };
  });
  return { ok: true, sessions };
}
