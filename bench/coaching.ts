/**
 * The coaching loop's cost on one ride, measured in this run: aligning a 4 h ride's 1 Hz power
 * with 30 planned intervals (late start, three stops), against reading the same ride's FIT file
 * (decode + metrics) — the work an upload does anyway. Prints one JSON line.
 */
import { workIntervals } from '../src/domain/coaching/work-intervals.js';
import { alignIntervals } from '../src/domain/coaching/interval-alignment.js';
import { computeActivityMetrics } from '../src/domain/metrics/activity-metrics.js';
import type { WorkoutStep } from '../src/domain/plan/types.js';
import { decodeFit } from '../src/ingest/fit/decode-fit.js';
import { encodeActivityFit } from '../src/synthetic/fit-writer.js';
import { workoutRideWithTruth } from '../src/synthetic/workout-ride.js';

const FTP = 260;
const steps: WorkoutStep[] = [
  { kind: 'ramp', seconds: 900, fromPercentFtp: 50, toPercentFtp: 75 },
  { kind: 'intervals', repeat: 30, on: { seconds: 120, percentFtp: 112 }, off: { seconds: 300, percentFtp: 60 } },
  { kind: 'ramp', seconds: 900, fromPercentFtp: 70, toPercentFtp: 50 },
];
const workout = { type: 'vo2max' as const, steps };
const ride = workoutRideWithTruth({
  seed: 3,
  startTime: new Date('2026-06-02T07:00:00Z'),
  ftp: FTP,
  workout,
  lateStartSeconds: 600,
  pauses: 3,
});
const bytes = encodeActivityFit([ride.spec]);
const planned = workIntervals(workout);

/** The best of `n` runs, ms. */
function best(n: number, action: () => unknown): number {
  action();
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    action();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const alignMs = best(20, () => alignIntervals(ride.power, planned, FTP));
const readMs = best(5, () => {
  const decoded = decodeFit(bytes, 'ride.fit');
  if (!decoded.ok) throw new Error(decoded.error.message);
  return computeActivityMetrics(decoded.value[0]!, { ftp: FTP });
});
const hits = alignIntervals(ride.power, planned, FTP).filter((r) => r.verdict === 'hit').length;
process.stdout.write(
  `${JSON.stringify({ seconds: ride.power.length, intervals: planned.length, hits, alignMs, readMs, ratio: alignMs / readMs })}\n`,
);
