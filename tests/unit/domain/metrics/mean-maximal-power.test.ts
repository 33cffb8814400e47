import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clockMeanMaximalPower,
  clockTimePower,
  computeActivityMetrics,
  meanMaximalPower,
  meanMaximalPowerExact,
  STANDARD_DURATIONS_SECONDS,
} from '../../../../src/domain/metrics/index.js';
import { constant, makeActivity, makeStreams } from './fixtures.js';

/** O(n²) reference: every window of every duration, no envelope. */
function bruteForce(power: readonly number[], durations: readonly number[]): Record<number, number> {
  const p = power.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const out: Record<number, number> = {};
  for (const d of [...durations].sort((a, b) => a - b)) {
    if (d > p.length) break;
    let best = 0;
    for (let start = 0; start + d <= p.length; start++) {
      let sum = 0;
      for (let j = start; j < start + d; j++) sum += p[j]!;
      best = Math.max(best, sum / d);
    }
    out[d] = best;
  }
  return out;
}

/** The same stream on clock time, built the slow way: a map from second to watts, 0 W elsewhere. */
function onClock(power: readonly number[], elapsed: readonly number[]): number[] {
  const bySecond = new Map(elapsed.map((t, i) => [t, power[i]!]));
  const out: number[] = [];
  for (let t = elapsed[0]!; t <= elapsed.at(-1)!; t++) out.push(bySecond.get(t) ?? 0);
  return out;
}

describe('STANDARD_DURATIONS_SECONDS', () => {
  it('lists 1 s to 300 min in order', () => {
    expect(STANDARD_DURATIONS_SECONDS).toEqual([
      1, 5, 10, 15, 30, 60, 120, 180, 300, 480, 600, 720, 1200, 1800, 2700, 3600, 5400, 7200, 9000, 10800, 12600, 14400, 16200, 18000,
    ]);
  });
});

describe('meanMaximalPower', () => {
  it('finds a 10 s sprint at 1000 W inside an hour at 200 W', () => {
    const power = [...constant(1800, 200), ...constant(10, 1000), ...constant(1790, 200)];
    const curve = meanMaximalPower(power);
    expect(curve[1]).toBe(1000);
    expect(curve[5]).toBe(1000);
    expect(curve[10]).toBe(1000);
    expect(curve[15]).toBe(Math.round((10 * 1000 + 5 * 200) / 15)); // 733
    expect(curve[30]).toBe(Math.round((10 * 1000 + 20 * 200) / 30)); // 467
    expect(curve[60]).toBe(Math.round((10 * 1000 + 50 * 200) / 60)); // 333
    expect(curve[3600]).toBe(Math.round((10 * 1000 + 3590 * 200) / 3600)); // 202
    expect(curve[5400]).toBeUndefined();
    expect(Object.keys(curve).map(Number)).toEqual(STANDARD_DURATIONS_SECONDS.filter((d) => d <= 3600));
  });

  it('rounds to 1 W while the exact variant keeps the fraction', () => {
    const power = [...constant(10, 1000), ...constant(5, 200)];
    expect(meanMaximalPowerExact(power)[15]).toBeCloseTo(11000 / 15, 12);
    expect(meanMaximalPower(power)[15]).toBe(733);
  });

  it('keeps the exact best at every duration, even where a longer one beats a shorter one', () => {
    // Best 2 s = 5 W but best 3 s = 6.67 W: no envelope caps the 3 s best.
    const exact = meanMaximalPowerExact([10, 0, 10], [1, 2, 3]);
    expect(exact[1]).toBe(10);
    expect(exact[2]).toBe(5);
    expect(exact[3]).toBeCloseTo(20 / 3, 12);
  });

  it('treats NaN as 0 W and leaves out durations longer than the ride', () => {
    expect(meanMaximalPowerExact([NaN, 100, NaN, 100], [1, 2, 4, 5])).toEqual({ 1: 100, 2: 50, 4: 50 });
    expect(meanMaximalPower([])).toEqual({});
  });

  it('matches an O(n²) brute force on random streams', () => {
    const durations = [1, 2, 3, 5, 7, 10, 15, 30, 60];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(Number.NaN)), { maxLength: 120 }), (power) => {
        const expected = bruteForce(power, durations);
        const actual = meanMaximalPowerExact(power, durations);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
        for (const [d, w] of Object.entries(expected)) expect(actual[Number(d)]).toBeCloseTo(w, 6);
      }),
    );
  });
});

describe('clockMeanMaximalPower (stops and gaps as 0 W)', () => {
  const seconds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

  it('never joins the efforts on both sides of a stop', () => {
    // 60 s at 300 W, a 60 s stop, 60 s at 300 W: the best 2 min holds one effort and the stop.
    const power = constant(120, 300);
    const elapsed = [...seconds(0, 60), ...seconds(120, 60)];
    const curve = clockMeanMaximalPower(power, elapsed, [60, 120, 180]);
    expect(curve[60]).toBe(300);
    expect(curve[120]).toBe(150);
    expect(curve[180]).toBeCloseTo((120 * 300) / 180, 9);
    expect(meanMaximalPowerExact(power, [120])[120]).toBe(300); // what the moving stream alone would claim
  });

  it('matches a brute force over clock time on random streams with gaps, at every duration', () => {
    const durations = [1, 2, 3, 5, 7, 10, 15, 30, 60, 90];
    const sample = fc.record({
      watts: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(Number.NaN)),
      gapBefore: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 40 })),
    });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 150 }), fc.integer({ min: 0, max: 5000 }), (samples, start) => {
        const power = samples.map((s) => s.watts);
        const elapsed: number[] = [];
        let t = start;
        samples.forEach((s, i) => {
          t += i === 0 ? 0 : 1 + s.gapBefore;
          elapsed.push(t);
        });
        const expected = bruteForce(onClock(power, elapsed), durations);
        const actual = clockMeanMaximalPower(power, elapsed, durations);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
        for (const [d, w] of Object.entries(expected)) expect(actual[Number(d)]).toBeCloseTo(w, 6);
      }),
    );
  });

  it('a stop of weeks costs no memory and no time: the clock is never laid out in full', () => {
    const weeks = 21 * 86_400;
    const power = [...constant(600, 250), ...constant(600, 300)];
    const elapsed = [...seconds(0, 600), ...seconds(weeks, 600)];
    const curve = clockMeanMaximalPower(power, elapsed);
    expect(curve[600]).toBe(300);
    expect(curve[1200]).toBeCloseTo((600 * 300) / 1200, 9); // one side of the stop only
    expect(curve[18_000]).toBeCloseTo((600 * 300) / 18_000, 9);
    // laid out for W′ balance, the stop shrinks to an hour
    expect(clockTimePower(power, elapsed)).toHaveLength(1200 + 3600);
  });

  it("is what an activity stores: the ride's curve runs on clock time, NP stays on moving time", () => {
    const streams = makeStreams({ power: constant(1200, 300) });
    streams.elapsed = Float64Array.from([...seconds(0, 600), ...seconds(900, 600)]); // a 5-min stop after 10 min
    const metrics = computeActivityMetrics(makeActivity({ streams }), { ftp: 250 });
    expect(metrics.powerCurve[1200]).toBe(225); // 20 min of clock time hold 15 min at 300 W and the stop
    expect(metrics.powerCurve[600]).toBe(300);
    expect(metrics.normalizedPower).toBeCloseTo(300, 6);
    expect(metrics.movingSeconds).toBe(1200);
  });
});
