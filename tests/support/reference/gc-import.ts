/**
 * Reference import of one session's records into a 1-second series, the GoldenCheetah way
 * (FitRideFile.cpp, `decodeRecord`). Independent of src/: it shares no code with the product.
 *
 * Conventions (each one mirrors GoldenCheetah; the full list is at the top of gc-reference.ts):
 * - time is whole seconds since the session's start_time (FIT timestamps are whole seconds);
 * - a timestamp going backward is clamped to the previous record's second ("Time MUST NOT go
 *   backwards"), which makes it a same-second record;
 * - records in the same second are merged by keeping the FIRST one: GoldenCheetah returns early
 *   when `time == last_time`, before appending, so later records of that second are dropped;
 * - a gap of 2..24 s between kept records is filled at 1 s by linear interpolation of power
 *   (GoldenCheetah's "smart recording" fill, `deltaSecs < GarminHWM`, HWM = 25 s by default);
 * - a gap of 25 s or more is a pause: nothing is inserted (no samples exist for that time);
 * - timer start/stop events are ignored for the data: a record written while the timer is
 *   stopped is a sample like any other;
 * - a record without power is a 0 W sample (GoldenCheetah initialises `watts = 0`).
 */

/** One FIT record reduced to what the reference needs. `time` is in whole Unix seconds. */
export interface RawRecord {
  time: number;
  power: number | undefined;
}

/** One sample of the imported 1-s series. */
export interface Sample {
  /** Seconds since the session's start_time (clock time, pauses included). */
  secs: number;
  watts: number;
  interpolated: boolean;
}

export interface ImportStats {
  /** Records whose timestamp went backward and were clamped to the previous second. */
  clampedBackward: number;
  /** Records dropped because an earlier record already had that second (includes clamped ones). */
  mergedSameSecond: number;
  /** Samples inserted by linear interpolation (gaps under `maxInterpolatedGap`). */
  interpolated: number;
  /** Gaps of `maxInterpolatedGap` seconds or more, left empty. */
  pauses: number;
  /** Seconds of clock time inside those pauses with no sample. */
  pausedSeconds: number;
}

export interface ImportedSeries {
  samples: Sample[];
  stats: ImportStats;
}

/** GoldenCheetah's default "Garmin smart recording" high-water mark: gaps shorter than this are filled. */
export const GC_MAX_INTERPOLATED_GAP = 25;

/**
 * Builds the 1-s series from records in FILE order (the order matters: clamping compares with
 * the previous kept record, exactly as GoldenCheetah reads the file front to back).
 */
export function importRecords(
  records: readonly RawRecord[],
  sessionStart: number,
  maxInterpolatedGap = GC_MAX_INTERPOLATED_GAP,
): ImportedSeries {
  const samples: Sample[] = [];
  const stats: ImportStats = { clampedBackward: 0, mergedSameSecond: 0, interpolated: 0, pauses: 0, pausedSeconds: 0 };
  let lastTime: number | null = null;
  for (const record of records) {
    let time = Math.floor(record.time);
    if (lastTime !== null && time < lastTime) {
      stats.clampedBackward++;
      time = lastTime;
    }
    if (lastTime !== null && time === lastTime) {
      stats.mergedSameSecond++;
      continue;
    }
    const watts = record.power ?? 0;
    const previous = samples[samples.length - 1];
    if (previous !== undefined && lastTime !== null) {
      const delta = time - lastTime;
      if (delta > 1 && delta < maxInterpolatedGap) {
        for (let i = 1; i < delta; i++) {
          const weight = i / delta;
          samples.push({ secs: previous.secs + i, watts: previous.watts + (watts - previous.watts) * weight, interpolated: true });
          stats.interpolated++;
        }
      } else if (delta >= maxInterpolatedGap) {
        stats.pauses++;
        stats.pausedSeconds += delta - 1;
      }
    }
    samples.push({ secs: time - sessionStart, watts, interpolated: false });
    lastTime = time;
  }
  return { samples, stats };
}
