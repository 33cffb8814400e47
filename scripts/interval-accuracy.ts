// How exactly interval alignment (src/domain/coaching/interval-alignment.ts) finds the work
// intervals of synthetic rides that follow library workouts: per interval ridden, |found start −
// true start| (s), |found duration − true duration| (s) and |found average − true average over the
// true window| (W); the median, 95th percentile and maximum per workout and overall, and how many
// intervals were not found. Rides: every workout below, `--seeds` seeds each (default 8), with 0–9
// min of riding before the warm-up, outdoors (one in three indoors), half of them with an extra
// repeat or a skipped one. The synthetic rider's 1 Hz power is used as the stream (a FIT round trip
// gives the same stream: tests/integration/interval-compliance-fit.test.ts).
//   npx tsx scripts/interval-accuracy.ts [--seeds 8]
import { alignIntervals } from '../src/domain/coaching/interval-alignment.js';
import { workIntervals } from '../src/domain/coaching/work-intervals.js';
import { workoutById } from '../src/domain/plan/index.js';
import { workoutRideWithTruth } from '../src/synthetic/workout-ride.js';

const FTP = 250;
const WORKOUTS = [
  'tempo-3x15',
  'tempo-60',
  'sweetspot-3x10',
  'sweetspot-40',
  'threshold-2x20',
  'threshold-over-under',
  'threshold-4x8-plus60',
  'vo2max-5x3',
  'vo2max-40-20',
  'vo2max-30-30-plus30',
  'anaerobic-8x1',
  'anaerobic-2x6x30s',
  'anaerobic-10x45s',
  'sprint-8x10s',
  'sprint-3x4x20s',
  'sprint-standing-6x12s',
  'sprint-endurance-5x10s',
];

interface Errors {
  start: number[];
  seconds: number[];
  watts: number[];
  missed: number;
}

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
};

const figures = (xs: number[]): string =>
  `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)} / ${Math.max(...xs).toFixed(1)}`;

/** One workout over `seeds` rides: the errors of every interval ridden. */
function measure(id: string, seeds: number): Errors {
  const workout = workoutById(id)!;
  const planned = workIntervals(workout);
  const errors: Errors = { start: [], seconds: [], watts: [], missed: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const variant = seed % 4 === 1 ? { extraRepeats: 1 } : seed % 4 === 3 ? { skipRepeats: [1] } : {};
    const ride = workoutRideWithTruth({
      seed,
      startTime: new Date(0),
      ftp: FTP,
      workout,
      lateStartSeconds: (seed * 67) % 540,
      indoor: seed % 3 === 0,
      ...variant,
    });
    for (const result of alignIntervals(ride.power, planned, FTP)) {
      const truth = ride.intervals[result.index]!;
      if (!truth.done) continue;
      if (result.startSeconds === null || result.avgPower === null) {
        errors.missed += 1;
        continue;
      }
      let sum = 0;
      for (let k = truth.start; k < truth.start + truth.seconds; k++) sum += ride.power[k]!;
      errors.start.push(Math.abs(result.startSeconds - truth.start));
      errors.seconds.push(Math.abs(result.seconds - truth.seconds));
      errors.watts.push(Math.abs(result.avgPower - sum / truth.seconds));
    }
  }
  return errors;
}

const at = process.argv.indexOf('--seeds');
const seeds = at > 0 ? Number(process.argv[at + 1]) : 8;
const all: Errors = { start: [], seconds: [], watts: [], missed: 0 };
console.log('workout | intervals | not found | |Δstart| s (median / p95 / max) | |Δduration| s | |Δavg power| W');
for (const id of WORKOUTS) {
  const e = measure(id, seeds);
  all.start.push(...e.start);
  all.seconds.push(...e.seconds);
  all.watts.push(...e.watts);
  all.missed += e.missed;
  console.log(`${id} | ${e.start.length + e.missed} | ${e.missed} | ${figures(e.start)} | ${figures(e.seconds)} | ${figures(e.watts)}`);
}
console.log(
  `all | ${all.start.length + all.missed} | ${all.missed} | ${figures(all.start)} | ${figures(all.seconds)} | ${figures(all.watts)}`,
);
