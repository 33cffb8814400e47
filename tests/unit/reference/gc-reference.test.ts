/**
 * The reference itself (tests/support/reference), checked against hand-made inputs: its import
 * conventions, and its mean-max against plain brute force.
 */
import { describe, expect, it } from 'vitest';
import {
  bestAverage,
  clockSeries,
  importRecords,
  meanMaxPower,
  normalizedPower,
  trainingStressScore,
  type RawRecord,
  type Sample,
} from '../../support/reference/gc-reference.js';

const T0 = 1_700_000_000;
const rec = (s: number, power?: number): RawRecord => ({ time: T0 + s, power });
const steady = (seconds: number, watts: number, from = 0): Sample[] =>
  Array.from({ length: seconds }, (_, i) => ({ secs: from + i, watts, interpolated: false }));

/** The slowest possible definition: average of every window, kept apart from the prefix sums. */
function bruteForceBest(series: ArrayLike<number>, duration: number): number | null {
  if (series.length < duration) return null;
  let best = -Infinity;
  for (let start = 0; start + duration <= series.length; start++) {
    let sum = 0;
    for (let k = start; k < start + duration; k++) sum += series[k]!;
    best = Math.max(best, sum / duration);
  }
  return best;
}

describe('importRecords (GoldenCheetah FitRideFile conventions)', () => {
  it('fills gaps under 25 s by linear interpolation and leaves gaps of 25 s or more empty', () => {
    const { samples, stats } = importRecords([rec(0, 100), rec(4, 200), rec(5, 210), rec(30, 300), rec(31, 310)], T0);
    expect(samples.map((s) => s.secs)).toEqual([0, 1, 2, 3, 4, 5, 30, 31]);
    expect(samples.map((s) => s.watts)).toEqual([100, 125, 150, 175, 200, 210, 300, 310]);
    expect(samples.filter((s) => s.interpolated).map((s) => s.secs)).toEqual([1, 2, 3]);
    expect(stats).toMatchObject({ interpolated: 3, pauses: 1, pausedSeconds: 24 });
  });

  it('interpolates a 24-s gap but not a 25-s one', () => {
    expect(importRecords([rec(0, 0), rec(24, 240)], T0).samples).toHaveLength(25);
    expect(importRecords([rec(0, 0), rec(25, 250)], T0).samples).toHaveLength(2);
  });

  it('keeps the first record of a second and clamps a timestamp that goes backward', () => {
    const { samples, stats } = importRecords([rec(0, 100), rec(1, 110), rec(1, 999), rec(0, 888), rec(2, 120)], T0);
    expect(samples.map((s) => [s.secs, s.watts])).toEqual([
      [0, 100],
      [1, 110],
      [2, 120],
    ]);
    expect(stats).toMatchObject({ clampedBackward: 1, mergedSameSecond: 2 });
  });

  it('reads a record without power as 0 W, and counts seconds from the session start', () => {
    const { samples } = importRecords([rec(10, 200), rec(11), rec(12, 200)], T0);
    expect(samples.map((s) => [s.secs, s.watts])).toEqual([
      [10, 200],
      [11, 0],
      [12, 200],
    ]);
  });
});

describe('normalizedPower and TSS (GoldenCheetah Coggan.cpp)', () => {
  it('ramps the zero-filled 30-s window up from the first sample and counts every sample', () => {
    // Samples 1..29 have rolling means 200·k/30; from the 30th on the mean is 200.
    const n = 120;
    let total = 0;
    for (let k = 1; k <= n; k++) total += ((200 * Math.min(k, 30)) / 30) ** 4;
    expect(normalizedPower(steady(n, 200))).toBeCloseTo((total / n) ** 0.25, 9);
  });

  it('does not reset the window at a pause: the samples are joined as GoldenCheetah iterates them', () => {
    const joined = [...steady(60, 300), ...steady(60, 100, 1000)];
    const contiguous = [...steady(60, 300), ...steady(60, 100, 60)];
    expect(normalizedPower(joined)).toBeCloseTo(normalizedPower(contiguous)!, 12);
  });

  it('gives TSS 100 for one hour at FTP, less the ramp-up of the first 29 s', () => {
    const samples = steady(3600, 250);
    const np = normalizedPower(samples)!;
    expect(np).toBeLessThan(250);
    expect(np).toBeGreaterThan(249);
    expect(trainingStressScore(samples, 250)).toBeCloseTo(((3600 * np * (np / 250)) / (250 * 3600)) * 100, 9);
    expect(normalizedPower([])).toBeNull();
  });
});

describe('mean-max over the clock series (GoldenCheetah RideFileCache::computeMeanMax)', () => {
  // 0–99 s riding, a 60-s stop (no records), 160–259 s riding, with a 10-s dropout filled at 200–209.
  const records: RawRecord[] = [];
  for (let s = 0; s < 100; s++) records.push(rec(s, 200 + ((s * 37) % 101)));
  for (let s = 160; s < 260; s++) if (s < 200 || s >= 210) records.push(rec(s, 150 + ((s * 53) % 211)));
  const { samples } = importRecords(records, T0);
  const series = clockSeries(samples);

  it('spans first to last sample in clock time, with the pause as 0 W and the short dropout interpolated', () => {
    expect(series).toHaveLength(260);
    expect(Array.from(series.slice(100, 160))).toEqual(new Array(60).fill(0));
    expect(samples.filter((s) => s.interpolated)).toHaveLength(10);
    expect(series[205]).toBeGreaterThan(0);
  });

  it('equals brute force at every duration from 1 s to the whole series', () => {
    for (let d = 1; d <= series.length; d++) expect(bestAverage(series, d), `duration ${d}`).toBeCloseTo(bruteForceBest(series, d)!, 9);
    expect(bestAverage(series, series.length + 1)).toBeNull();
  });

  it('does not join the efforts either side of the pause', () => {
    // 120 s on the moving samples alone would join both blocks; over clock time the window must include zeros.
    const moving = samples.map((s) => s.watts);
    expect(meanMaxPower(samples, [120])[120]).toBeLessThan(bruteForceBest(moving, 120)!);
    expect(meanMaxPower(samples, [120])[120]).toBeCloseTo(bruteForceBest(series, 120)!, 9);
  });
});
