import { describe, expect, it } from 'vitest';
import { MAX_FILL_SECONDS, resample, STREAM_NAMES, type RawSamples } from '../../../src/ingest/resample.js';

const T0 = 1_700_000_000;

function samples(points: { t: number; power?: number; hr?: number }[]): RawSamples {
  const n = points.length;
  const channel = () => new Float64Array(n).fill(NaN);
  const s: RawSamples = {
    time: new Float64Array(n),
    channels: Object.fromEntries(STREAM_NAMES.map((k) => [k, channel()])) as RawSamples['channels'],
  };
  points.forEach((p, i) => {
    s.time[i] = T0 + p.t;
    if (p.power !== undefined) s.channels.power[i] = p.power;
    if (p.hr !== undefined) s.channels.heartRate[i] = p.hr;
  });
  return s;
}

const seq = (from: number, to: number, f: (t: number) => number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ t: from + i, power: f(from + i) }));

describe('resample to 1 Hz moving time', () => {
  it('keeps a clean 1 Hz recording as it is', () => {
    const r = resample(samples(seq(0, 99, (t) => t)), null, T0)!;
    expect(r.streams.elapsed.length).toBe(100);
    expect(r.streams.power![42]).toBe(42);
    expect(r.streams.heartRate).toBeNull();
  });

  it('interpolates short gaps (smart recording) and leaves long gaps out as pauses', () => {
    const points = [
      { t: 0, power: 100 },
      { t: 4, power: 200 },
      { t: 4 + MAX_FILL_SECONDS + 1, power: 300 },
    ];
    const r = resample(samples(points), null, T0)!;
    expect(Array.from(r.streams.power!)).toEqual([100, 125, 150, 175, 200, 300]);
    expect(Array.from(r.streams.elapsed)).toEqual([0, 1, 2, 3, 4, 15]);
    expect(r.stats.longGaps).toBe(1);
    expect(r.stats.secondsFilled).toBe(3);
  });

  it('drops samples while the timer is stopped, and does not fill across a stop', () => {
    const points = seq(0, 29, () => 200);
    // running 0–10, stopped, running again 20–29
    const r = resample(
      samples(points),
      [
        [T0, T0 + 10],
        [T0 + 20, Infinity],
      ],
      T0,
    )!;
    // samples at both 0 and 10 exist: the one at the start belongs to the pause before; the
    // open-ended last interval keeps its first sample
    expect(r.streams.elapsed.length).toBe(10 + 10);
    expect(r.stats.outsideTimer).toBe(points.length - 20);
    expect(r.streams.elapsed[9]).toBe(10);
    expect(r.streams.elapsed[10]).toBe(20);
  });

  it('sorts out-of-order samples and moves a duplicate into the empty second next to it', () => {
    const points = [
      { t: 0, power: 1 },
      { t: 2, power: 3 },
      { t: 1, power: 2 },
      { t: 3, power: 4 },
      { t: 3, power: 5 },
      { t: 5, power: 6 },
    ];
    const r = resample(samples(points), null, T0)!;
    expect(r.stats.outOfOrder).toBe(1);
    expect(r.stats.duplicatesShifted).toBe(1);
    expect(Array.from(r.streams.elapsed)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(r.streams.power!)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('merges a duplicate when there is no empty second for it', () => {
    const points = [
      { t: 0, power: 1 },
      { t: 1, power: 2 },
      { t: 1, power: 99 },
      { t: 2, power: 3 },
    ];
    const r = resample(samples(points), null, T0)!;
    expect(r.stats.duplicatesMerged).toBe(1);
    expect(Array.from(r.streams.power!)).toEqual([1, 2, 3]);
  });

  it('treats implausible samples as dropouts and bridges short ones only', () => {
    const points = seq(0, 29, () => 250);
    points[5]!.power = 3000; // spike: dropout, bridged
    for (let i = 10; i < 20; i++) points[i]!.power = 9999; // long dropout: stays missing
    const r = resample(samples(points), null, T0)!;
    expect(r.stats.dropouts.power).toBe(11);
    expect(r.streams.power![5]).toBe(250);
    expect(Number.isNaN(r.streams.power![15]!)).toBe(true);
  });

  it('treats 0 bpm as no sensor, not as a dropout', () => {
    const points = seq(0, 9, () => 100).map((p) => ({ ...p, hr: 0 }));
    const r = resample(samples(points), null, T0)!;
    expect(r.streams.heartRate).toBeNull();
    expect(r.stats.dropouts.heartRate).toBe(0);
  });

  it('returns null when nothing is inside the timer', () => {
    expect(resample(samples(seq(0, 9, () => 1)), [[T0 + 100, T0 + 200]], T0)).toBeNull();
    expect(resample(samples([]), null, T0)).toBeNull();
  });
});
