import { describe, expect, it } from 'vitest';
import { targetRange, workIntervals } from '../../../../src/domain/coaching/work-intervals.js';
import { workoutById, type WorkoutStep, type WorkoutType } from '../../../../src/domain/plan/index.js';

const library = (id: string): { type: WorkoutType; steps: WorkoutStep[] } => {
  const w = workoutById(id);
  if (!w) throw new Error(`no workout ${id}`);
  return { type: w.type, steps: [...w.steps] };
};

describe('targetRange', () => {
  it('is the zone the planned % falls in when the plan sits inside it', () => {
    expect(targetRange(80)).toEqual({ low: 76, high: 87 });
    expect(targetRange(90)).toEqual({ low: 88, high: 93 });
    expect(targetRange(100)).toEqual({ low: 94, high: 105 });
    expect(targetRange(115)).toEqual({ low: 106, high: 120 });
    expect(targetRange(130)).toEqual({ low: 121, high: 150 });
    expect(targetRange(200)).toEqual({ low: 151, high: 300 });
    expect(targetRange(65)).toEqual({ low: 56, high: 75 });
  });

  it('holds the planned % ± 2 when it sits on a zone edge, so riding the plan to the watt is on target', () => {
    expect(targetRange(88)).toEqual({ low: 86, high: 93 });
    expect(targetRange(95)).toEqual({ low: 93, high: 105 });
    expect(targetRange(105)).toEqual({ low: 94, high: 107 });
    expect(targetRange(106)).toEqual({ low: 104, high: 120 });
    expect(targetRange(120)).toEqual({ low: 106, high: 122 });
    expect(targetRange(150)).toEqual({ low: 121, high: 152 });
    expect(targetRange(87.5)).toEqual({ low: 76, high: 89.5 });
    expect(targetRange(320)).toEqual({ low: 151, high: 322 });
    expect(targetRange(1)).toEqual({ low: 0, high: 55 });
    for (let p = 0; p <= 320; p += 0.5) {
      const { low, high } = targetRange(p);
      expect(low).toBeLessThanOrEqual(Math.max(0, p - 2));
      expect(high).toBeGreaterThanOrEqual(p + 2);
    }
  });
});

describe('workIntervals', () => {
  it('lists every `on` of a set with its start in the workout, its target and what is around it (Sweet spot 3×10)', () => {
    const got = workIntervals(library('sweetspot-3x10'));
    expect(got).toEqual(
      [0, 1, 2].map((i) => ({
        index: i,
        percentFtp: 90,
        targetLowPercent: 88,
        targetHighPercent: 93,
        seconds: 600,
        plannedStart: 600 + i * 900,
        percentBefore: i === 0 ? 75 : 55,
        percentAfter: 55,
        secondsAfter: 300,
      })),
    );
  });

  it('counts steady steps from 76 % FTP and `on`s from 80 %, and nothing else', () => {
    const steps: WorkoutStep[] = [
      { kind: 'ramp', seconds: 300, fromPercentFtp: 50, toPercentFtp: 100 },
      { kind: 'steady', seconds: 600, percentFtp: 75 },
      { kind: 'steady', seconds: 600, percentFtp: 76 },
      { kind: 'intervals', repeat: 2, on: { seconds: 60, percentFtp: 79 }, off: { seconds: 60, percentFtp: 50 } },
      { kind: 'intervals', repeat: 2, on: { seconds: 30, percentFtp: 80 }, off: { seconds: 90, percentFtp: 50 } },
    ];
    const got = workIntervals({ type: 'tempo', steps });
    expect(got.map((w) => [w.index, w.percentFtp, w.seconds, w.plannedStart])).toEqual([
      [0, 76, 600, 900],
      [1, 80, 30, 1740],
      [2, 80, 30, 1860],
    ]);
    expect(got[0]).toMatchObject({ percentBefore: 75, percentAfter: 79, secondsAfter: 60 });
    expect(got[2]).toMatchObject({ percentBefore: 50, percentAfter: 50, secondsAfter: 90 });
  });

  it('has none for endurance and recovery rides, whatever their steps, nor for a workout without steps', () => {
    const hard: WorkoutStep[] = [{ kind: 'steady', seconds: 600, percentFtp: 95 }];
    expect(workIntervals({ type: 'endurance', steps: hard })).toEqual([]);
    expect(workIntervals({ type: 'recovery', steps: hard })).toEqual([]);
    expect(workIntervals({ type: 'threshold', steps: undefined })).toEqual([]);
    expect(workIntervals(library('endurance-spinups-60'))).toEqual([]);
  });

  it("keeps an over-under's hard `off` as the level after each `on` (it is one effort on the road)", () => {
    const got = workIntervals(library('threshold-over-under'));
    expect(got).toHaveLength(9);
    expect(got.map((w) => w.plannedStart)).toEqual([900, 1080, 1260, 1740, 1920, 2100, 2580, 2760, 2940]);
    expect(got[1]).toMatchObject({ percentFtp: 95, percentBefore: 105, percentAfter: 105, secondsAfter: 60 });
    expect(got[3]).toMatchObject({ percentBefore: 55 });
  });

  it('an interval set without rest between repeats is back to back', () => {
    const steps: WorkoutStep[] = [
      { kind: 'steady', seconds: 300, percentFtp: 60 },
      { kind: 'intervals', repeat: 3, on: { seconds: 120, percentFtp: 110 }, off: { seconds: 0, percentFtp: 50 } },
      { kind: 'steady', seconds: 300, percentFtp: 55 },
    ];
    const got = workIntervals({ type: 'vo2max', steps });
    expect(got.map((w) => [w.plannedStart, w.percentBefore, w.percentAfter])).toEqual([
      [300, 60, 110],
      [420, 110, 110],
      [540, 110, 55],
    ]);
  });
});
