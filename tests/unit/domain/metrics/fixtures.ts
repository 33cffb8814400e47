import type { Activity, Streams } from '../../../../src/domain/activity.js';

/** 1 Hz moving streams from plain arrays (elapsed = 0, 1, 2, …). */
export function makeStreams(options: { power?: ArrayLike<number> | null; heartRate?: ArrayLike<number> | null; length?: number }): Streams {
  const length = options.length ?? options.power?.length ?? options.heartRate?.length ?? 0;
  const elapsed = new Float64Array(length);
  for (let i = 0; i < length; i++) elapsed[i] = i;
  return {
    elapsed,
    power: options.power ? Float32Array.from(options.power) : null,
    heartRate: options.heartRate ? Float32Array.from(options.heartRate) : null,
    cadence: null,
    speed: null,
    altitude: null,
    distance: null,
    latitude: null,
    longitude: null,
  };
}

export function makeActivity(overrides: Partial<Activity> = {}): Activity {
  return {
    id: 'a1',
    source: 'ride.fit',
    sourceKind: 'fit',
    sourceHash: 'hash',
    sessionIndex: 0,
    sport: 'cycling',
    subSport: null,
    sourceType: 'cycling',
    linkedFile: null,
    name: null,
    description: null,
    startTime: new Date('2024-05-01T08:00:00Z'),
    timerSeconds: null,
    elapsedSeconds: null,
    movingSeconds: null,
    distanceMeters: null,
    ascentMeters: null,
    avgPower: null,
    maxPower: null,
    normalizedPower: null,
    power: 'measured',
    avgHeartRate: null,
    maxHeartRate: null,
    avgCadence: null,
    avgSpeed: null,
    workKilojoules: null,
    device: null,
    laps: [],
    streams: null,
    warnings: [],
    externalId: null,
    ...overrides,
  };
}

/** An array of `seconds` copies of `value`. */
export function constant(seconds: number, value: number): number[] {
  return new Array<number>(seconds).fill(value);
}

/** Textbook NP: for every full 30 s window, average it with a plain loop, take ^4, mean, ^(1/4). NaN = 0. */
export function referenceNormalizedPower(power: readonly number[]): number | null {
  const p = power.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  if (p.length < 30) return null;
  let sum = 0;
  let count = 0;
  for (let start = 0; start + 30 <= p.length; start++) {
    let window = 0;
    for (let j = start; j < start + 30; j++) window += p[j]!;
    sum += (window / 30) ** 4;
    count++;
  }
  return (sum / count) ** 0.25;
}

/** A power curve with the watts of `model` at each duration (rounded to 1 W unless `round` is false). */
export function curveFrom(model: (t: number) => number, durations: readonly number[], round = true): Record<number, number> {
  const curve: Record<number, number> = {};
  for (const t of durations) curve[t] = round ? Math.round(model(t)) : model(t);
  return curve;
}

/** The two-parameter critical power model P(t) = CP + W′/t. */
export const twoParameter = (cp: number, wPrime: number) => (t: number) => cp + wPrime / t;
