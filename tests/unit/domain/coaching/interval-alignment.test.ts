import { describe, expect, it } from 'vitest';
import { alignIntervals } from '../../../../src/domain/coaching/interval-alignment.js';
import type { IntervalResult } from '../../../../src/domain/coaching/types.js';
import { workIntervals, type WorkInterval } from '../../../../src/domain/coaching/work-intervals.js';
import { workoutById, type WorkoutStep, type WorkoutType } from '../../../../src/domain/plan/index.js';
import { mulberry32 } from '../../../../src/synthetic/random.js';
import { workoutRideWithTruth, type WorkoutRide, type WorkoutRideOptions } from '../../../../src/synthetic/workout-ride.js';

const FTP = 250;
const START = new Date('2026-03-03T07:00:00Z');

function library(id: string): { type: WorkoutType; steps: WorkoutStep[] } {
  const w = workoutById(id);
  if (!w) throw new Error(`no workout ${id}`);
  return { type: w.type, steps: [...w.steps] };
}

/** A square-wave power trace: [seconds, watts] parts end to end. */
function trace(parts: [number, number][]): Float64Array {
  const out = new Float64Array(parts.reduce((s, [n]) => s + n, 0));
  let t = 0;
  for (const [n, watts] of parts) {
    out.fill(watts, t, t + n);
    t += n;
  }
  return out;
}

const mean = (power: ArrayLike<number>, from: number, seconds: number): number => {
  let s = 0;
  for (let i = from; i < from + seconds; i++) s += power[i] as number;
  return s / seconds;
};

function ride(id: string, options: Partial<WorkoutRideOptions> = {}): { ride: WorkoutRide; results: IntervalResult[] } {
  const workout = library(id);
  const r = workoutRideWithTruth({ seed: 11, startTime: START, ftp: FTP, workout, ...options });
  return { ride: r, results: alignIntervals(r.power, workIntervals(workout), FTP) };
}

/** Each found interval against where it was really ridden: start and duration within `seconds`, average within `watts`. */
function expectOnTruth(r: WorkoutRide, results: IntervalResult[], seconds: number, watts: number): void {
  for (const res of results) {
    const truth = r.intervals[res.index]!;
    expect(res.startSeconds, `interval ${res.index}`).not.toBeNull();
    expect(Math.abs(res.startSeconds! - truth.start), `start of ${res.index}`).toBeLessThanOrEqual(seconds);
    expect(Math.abs(res.seconds - truth.seconds), `duration of ${res.index}`).toBeLessThanOrEqual(seconds);
    expect(Math.abs(res.avgPower! - mean(r.power, truth.start, truth.seconds)), `power of ${res.index}`).toBeLessThanOrEqual(watts);
  }
}

describe('alignIntervals on exact traces', () => {
  const sweetspot = workIntervals(library('sweetspot-3x10'));

  it('finds each interval to the second after a late start, with its average to the watt and its target in watts', () => {
    // 7 min of riding, then the workout: 10 min warm-up, 3 × (10 min at 225 W, 5 min at 140 W), 10 min cool-down.
    const power = trace([
      [420, 160],
      [600, 150],
      [600, 225],
      [300, 140],
      [600, 228],
      [300, 140],
      [600, 222],
      [300, 140],
      [600, 120],
    ]);
    const got = alignIntervals(power, sweetspot, FTP);
    expect(got.map((r) => [r.startSeconds, r.seconds, r.avgPower, r.avgPercentFtp, r.verdict])).toEqual([
      [1020, 600, 225, 90, 'hit'],
      [1920, 600, 228, 91, 'hit'],
      [2820, 600, 222, 89, 'hit'],
    ]);
    expect(got[0]).toMatchObject({
      index: 0,
      percentFtp: 90,
      targetLowPercent: 88,
      targetHighPercent: 93,
      targetLow: 220,
      targetHigh: 233,
      plannedSeconds: 600,
    });
  });

  it('judges in whole watts at the bounds of the range, and short below 80 % of the planned time', () => {
    const power = trace([
      [600, 150],
      [600, 220],
      [300, 140],
      [600, 219],
      [300, 140],
      [600, 234],
      [300, 140],
      [600, 120],
    ]);
    expect(alignIntervals(power, sweetspot, FTP).map((r) => r.verdict)).toEqual(['hit', 'under', 'over']);
    const held = (seconds: number): IntervalResult =>
      alignIntervals(
        trace([
          [600, 150],
          [seconds, 225],
          [1500 - seconds, 140],
          [600, 225],
          [300, 140],
          [600, 225],
          [900, 120],
        ]),
        sweetspot,
        FTP,
      )[0]!;
    expect(held(480)).toMatchObject({ seconds: 480, verdict: 'hit' });
    expect(held(479)).toMatchObject({ seconds: 479, verdict: 'short', avgPower: 225 });
  });

  it('finds 10 s sprints to the second and averages exactly their 10 s', () => {
    const sprints = workIntervals(library('sprint-8x10s'));
    const parts: [number, number][] = [[900, 160]];
    for (let i = 0; i < 8; i++) parts.push([10, 540 + 5 * i], [230, 150]);
    parts.push([900, 160]);
    const got = alignIntervals(trace(parts), sprints, FTP);
    expect(got.map((r) => r.startSeconds)).toEqual(sprints.map((w) => w.plannedStart));
    expect(got.map((r) => [r.seconds, r.avgPower, r.verdict])).toEqual(sprints.map((_, i) => [10, 540 + 5 * i, 'hit']));
  });

  it('has every interval missed, with no power or time, when there is no power', () => {
    for (const power of [[], new Float64Array(3600).fill(NaN)]) {
      const got = alignIntervals(power, sweetspot, FTP);
      expect(got.map((r) => [r.index, r.verdict, r.startSeconds, r.seconds, r.avgPower, r.avgPercentFtp])).toEqual([
        [0, 'missed', null, 0, null, null],
        [1, 'missed', null, 0, null, null],
        [2, 'missed', null, 0, null, null],
      ]);
      expect(got[2]).toMatchObject({ targetLow: 220, targetHigh: 233, plannedSeconds: 600 });
    }
    expect(alignIntervals(new Float64Array(100), [], FTP)).toEqual([]);
  });

  it('counts a dropout (NaN) inside an interval as 0 W', () => {
    const power = trace([
      [600, 150],
      [600, 225],
      [300, 140],
      [600, 225],
      [300, 140],
      [600, 225],
      [600, 120],
    ]);
    power.fill(NaN, 900, 906);
    const got = alignIntervals(power, sweetspot, FTP);
    expect(got[0]).toMatchObject({ startSeconds: 600, seconds: 600, avgPower: Math.round((225 * 594) / 600) });
  });

  it('finds nothing in pure noise', () => {
    const random = mulberry32(5);
    const power = Float64Array.from({ length: 7200 }, () => Math.max(0, 150 + (random() - 0.5) * 140));
    expect(alignIntervals(power, sweetspot, FTP).map((r) => r.verdict)).toEqual(['missed', 'missed', 'missed']);
    expect(alignIntervals(power, workIntervals(library('vo2max-5x3')), FTP).every((r) => r.verdict === 'missed')).toBe(true);
  });
});

describe('alignIntervals on rides with noise (the synthetic rider)', () => {
  it('finds a sweet spot session after a 7 min late start and a 3 min stop', () => {
    const { ride: r, results } = ride('sweetspot-3x10', { lateStartSeconds: 420, pauses: [{ atSecond: 1750, seconds: 180 }] });
    expect(r.spec.timerStops).toHaveLength(1);
    expect(results.map((x) => x.verdict)).toEqual(['hit', 'hit', 'hit']);
    expectOnTruth(r, results, 10, 5);
  });

  it('finds a VO2max 5×3 with each repeat at its own place', () => {
    const { ride: r, results } = ride('vo2max-5x3', { lateStartSeconds: 420, pauses: [{ atSecond: 1600, seconds: 180 }] });
    expect(results.map((x) => x.verdict)).toEqual(['hit', 'hit', 'hit', 'hit', 'hit']);
    expectOnTruth(r, results, 10, 5);
  });

  it('leaves out extra repeats at the end', () => {
    const { ride: r, results } = ride('vo2max-5x3', { lateStartSeconds: 300, extraRepeats: 2 });
    expect(r.intervals.filter((t) => t.index < 0)).toHaveLength(2);
    expect(results.map((x) => x.verdict)).toEqual(['hit', 'hit', 'hit', 'hit', 'hit']);
    expectOnTruth(r, results, 10, 5);
  });

  it('has a skipped repeat missed and the others where they were ridden', () => {
    const { ride: r, results } = ride('vo2max-5x3', { lateStartSeconds: 300, skipRepeats: [2] });
    expect(results.map((x) => x.verdict)).toEqual(['hit', 'hit', 'missed', 'hit', 'hit']);
    expectOnTruth(
      r,
      results.filter((x) => x.index !== 2),
      10,
      5,
    );
  });

  it('says under for a fading set', () => {
    const { results } = ride('vo2max-5x3', { executionPercent: [100, 100, 100, 88, 88] });
    expect(results.map((x) => x.verdict)).toEqual(['hit', 'hit', 'hit', 'under', 'under']);
    expect(results[4]!.avgPercentFtp).toBeGreaterThanOrEqual(99);
    expect(results[4]!.avgPercentFtp).toBeLessThanOrEqual(103);
  });

  it('finds an interval cut by a stop in its middle', () => {
    const { ride: r, results } = ride('threshold-2x10', { lateStartSeconds: 0, pauses: [{ atSecond: 900 + 300, seconds: 240 }] });
    expect(results[0]!.verdict).not.toBe('missed');
    expect(Math.abs(results[0]!.startSeconds! - r.intervals[0]!.start)).toBeLessThanOrEqual(3);
    expect(results[1]!.verdict).toBe('hit');
  });

  it('finds sprints on the road to the second and averages exactly the window found', () => {
    const { ride: r, results } = ride('sprint-8x10s', { lateStartSeconds: 240 });
    expect(results.filter((x) => x.verdict === 'hit').length).toBeGreaterThanOrEqual(7);
    for (const res of results.filter((x) => x.verdict === 'hit')) {
      expect(Math.abs(res.startSeconds! - r.intervals[res.index]!.start)).toBeLessThanOrEqual(2);
      expect(res.avgPower).toBe(Math.round(mean(r.power, res.startSeconds!, res.seconds)));
    }
  });

  it('finds over-unders, ridden as one effort, at their planned places', () => {
    const { ride: r, results } = ride('threshold-over-under', { lateStartSeconds: 180 });
    expect(results.every((x) => x.verdict !== 'missed')).toBe(true);
    for (const res of results) expect(Math.abs(res.startSeconds! - r.intervals[res.index]!.start)).toBeLessThanOrEqual(10);
  });

  it('aligns a 4 h ride with 30 intervals, a late start and three stops (its speed: npm run bench)', () => {
    const steps: WorkoutStep[] = [
      { kind: 'ramp', seconds: 900, fromPercentFtp: 50, toPercentFtp: 75 },
      { kind: 'intervals', repeat: 30, on: { seconds: 120, percentFtp: 112 }, off: { seconds: 300, percentFtp: 60 } },
      { kind: 'ramp', seconds: 900, fromPercentFtp: 70, toPercentFtp: 50 },
    ];
    const r = workoutRideWithTruth({
      seed: 3,
      startTime: START,
      ftp: FTP,
      workout: { type: 'vo2max', steps },
      lateStartSeconds: 600,
      pauses: 3,
    });
    expect(r.power.length).toBeGreaterThanOrEqual(14_400);
    const planned: WorkInterval[] = workIntervals({ type: 'vo2max', steps });
    expect(planned).toHaveLength(30);
    const results: IntervalResult[] = alignIntervals(r.power, planned, FTP);
    expect(results.filter((x) => x.verdict === 'hit').length).toBeGreaterThanOrEqual(27);
  });
});
