import { describe, expect, it } from 'vitest';
import { Decoder, Stream } from '@garmin/fitsdk';
import { workIntervals } from '../../../src/domain/coaching/work-intervals.js';
import { workoutById, type Workout } from '../../../src/domain/plan/index.js';
import { encodeActivityFit } from '../../../src/synthetic/fit-writer.js';
import { workoutRide, workoutRideWithTruth } from '../../../src/synthetic/workout-ride.js';

const FTP = 260;
const START = new Date('2026-03-03T07:00:00Z');

function library(id: string): Workout {
  const w = workoutById(id);
  if (!w) throw new Error(`no workout ${id}`);
  return w;
}

const mean = (power: Float64Array, from: number, seconds: number): number => {
  let s = 0;
  for (let i = from; i < from + seconds; i++) s += power[i] as number;
  return s / seconds;
};

describe('workoutRide', () => {
  it('is deterministic: the same options give the same session, another seed another ride', () => {
    const options = { seed: 4, startTime: START, ftp: FTP, workout: library('vo2max-5x3'), lateStartSeconds: 120, pauses: 1 };
    expect(workoutRide(options)).toEqual(workoutRide(options));
    expect(workoutRide({ ...options, seed: 5 }).records).not.toEqual(workoutRide(options).records);
  });

  it('rides each work interval where the plan puts it, after the late start, at its target', () => {
    const workout = library('sweetspot-3x10');
    const ride = workoutRideWithTruth({ seed: 1, startTime: START, ftp: FTP, workout, lateStartSeconds: 420 });
    const planned = workIntervals(workout);
    expect(ride.timerSeconds).toBe(420 + workout.durationSeconds);
    expect(ride.intervals.map((t) => [t.index, t.start, t.seconds, t.targetWatts, t.done])).toEqual(
      planned.map((w) => [w.index, 420 + w.plannedStart, 600, Math.round(0.9 * FTP), true]),
    );
    for (const t of ride.intervals) expect(Math.abs(mean(ride.power, t.start, t.seconds) / t.targetWatts - 1)).toBeLessThan(0.03);
    // the rest after each interval is ridden at about 55 % FTP
    for (const t of ride.intervals) expect(mean(ride.power, t.start + 660, 180) / FTP).toBeLessThan(0.7);
  });

  it('stops the timer where asked, braking to a halt first', () => {
    const ride = workoutRideWithTruth({
      seed: 2,
      startTime: START,
      ftp: FTP,
      workout: library('sweetspot-3x10'),
      pauses: [{ atSecond: 1750, seconds: 180 }],
    });
    expect(ride.spec.timerStops).toEqual([{ stop: new Date(START.getTime() + 1751_000), start: new Date(START.getTime() + 1931_000) }]);
    expect(ride.elapsed[1750]).toBe(1750);
    expect(ride.elapsed[1751]).toBe(1931);
    expect(Array.from(ride.power.subarray(1740, 1751))).toEqual(new Array(11).fill(0));
    expect(ride.spec.records).toHaveLength(ride.timerSeconds + 1);
  });

  it('fades, skips and adds repeats as told', () => {
    const workout = library('vo2max-5x3');
    const target = Math.round(1.15 * FTP);
    const ride = workoutRideWithTruth({
      seed: 3,
      startTime: START,
      ftp: FTP,
      workout,
      executionPercent: [100, 100, 100, 90, 85],
      skipRepeats: [1],
      extraRepeats: 2,
    });
    expect(ride.intervals.map((t) => [t.index, t.done])).toEqual([
      [0, true],
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [-1, true],
      [-1, true],
    ]);
    expect(ride.intervals[3]!.targetWatts).toBe(Math.round(1.15 * 0.9 * FTP));
    expect(ride.intervals[4]!.targetWatts).toBe(Math.round(1.15 * 0.85 * FTP));
    expect(mean(ride.power, ride.intervals[4]!.start, 180) / (0.85 * target)).toBeCloseTo(1, 1);
    expect(mean(ride.power, ride.intervals[1]!.start, 180) / FTP).toBeLessThan(0.7);
    // the extra repeats follow the set, one on/off period apart, and the workout is longer by them
    expect(ride.intervals[5]!.start).toBe(ride.intervals[4]!.start + 360);
    expect(ride.intervals[6]!.start).toBe(ride.intervals[5]!.start + 360);
    expect(ride.timerSeconds).toBe(workout.durationSeconds + 720);
  });

  it('rides it all at endurance when the intervals are not done', () => {
    const ride = workoutRideWithTruth({
      seed: 6,
      startTime: START,
      ftp: FTP,
      workout: library('threshold-2x10'),
      noIntervals: true,
      indoor: true,
    });
    expect(ride.intervals.every((t) => !t.done)).toBe(true);
    for (const t of ride.intervals) expect(mean(ride.power, t.start, t.seconds) / FTP).toBeLessThan(0.75);
    expect(ride.spec.subSport).toBe('indoor_cycling');
  });

  it('refuses a workout without steps', () => {
    expect(() => workoutRide({ seed: 1, startTime: START, ftp: FTP, workout: { type: 'endurance', steps: [] } })).toThrow(RangeError);
  });

  it('is a FIT file a head unit would write: one record a second, laps at the steps, the timer stop, the device figures', () => {
    const workout = library('vo2max-5x3');
    const spec = workoutRide({
      seed: 8,
      startTime: START,
      ftp: FTP,
      workout,
      lateStartSeconds: 300,
      pauses: [{ atSecond: 1500, seconds: 120 }],
    });
    const { messages, errors } = new Decoder(Stream.fromByteArray(encodeActivityFit([spec]))).read();
    expect(errors).toEqual([]);
    expect(messages.recordMesgs).toHaveLength(300 + workout.durationSeconds + 1);
    expect(messages.sessionMesgs?.map((m) => [m.sport, m.totalTimerTime])).toEqual([['cycling', 300 + workout.durationSeconds]]);
    // late start, warm-up, 5 × (on, off), cool-down
    expect(messages.lapMesgs).toHaveLength(1 + 1 + 10 + 1);
    expect(messages.eventMesgs?.filter((m) => m.event === 'timer').map((m) => m.eventType)).toEqual([
      'start',
      'stopAll',
      'start',
      'stopAll',
    ]);
    expect(spec.device?.ftp).toBe(FTP);
  });
});
