import { describe, expect, it } from 'vitest';
import {
  WORKOUT_LIBRARY,
  WORKOUT_TYPES,
  classifyIntensity,
  describeSteps,
  powerTrace,
  workoutById,
  workoutMetrics,
  type WorkoutStep,
} from '../../../../src/domain/plan/index.js';

/** NP written out from its definition, independently of the metrics engine. */
function npFromDefinition(trace: number[]): number {
  const rolling: number[] = [];
  for (let i = 29; i < trace.length; i++) {
    let sum = 0;
    for (let k = i - 29; k <= i; k++) sum += trace[k]!;
    rolling.push(sum / 30);
  }
  const meanFourth = rolling.reduce((s, v) => s + v ** 4, 0) / rolling.length;
  return meanFourth ** 0.25;
}

describe('workout metrics (NP-based, FTP = 100)', () => {
  it('a steady hour at 100 % FTP is IF 1.00 and TSS 100', () => {
    const m = workoutMetrics([{ kind: 'steady', seconds: 3600, percentFtp: 100 }], 'threshold');
    expect(m.durationSeconds).toBe(3600);
    expect(m.intensityFactor).toBe(1);
    expect(m.tss).toBeCloseTo(100, 10);
  });

  it('2×20 min @ 90 % with 5 min recoveries: TSS from the NP of the 1 Hz trace, not the sum of per-step IF²', () => {
    const steps: WorkoutStep[] = [
      { kind: 'intervals', repeat: 2, on: { seconds: 1200, percentFtp: 90 }, off: { seconds: 300, percentFtp: 50 } },
    ];
    const m = workoutMetrics(steps, 'sweetspot');

    // First principles: the trace is 20 min at 90, 5 min at 50, 20 min at 90, 5 min at 50 (3000 s).
    const trace = [...Array(1200).fill(90), ...Array(300).fill(50), ...Array(1200).fill(90), ...Array(300).fill(50)] as number[];
    const np = npFromDefinition(trace);
    // Rough check of that NP: windows inside the blocks are 90 or 50, 4th-power weighted by time:
    // (2400·90⁴ + 600·50⁴)/3000 ≈ 5.37e7 → ≈ 85.6; the 30 s transitions move it a little.
    expect(np).toBeGreaterThan(85);
    expect(np).toBeLessThan(86.5);
    const expectedIf = np / 100;
    const expectedTss = (3000 / 3600) * expectedIf ** 2 * 100;
    expect(m.durationSeconds).toBe(3000);
    expect(m.intensityFactor).toBeCloseTo(expectedIf, 9);
    expect(m.tss).toBeCloseTo(expectedTss, 9);

    // Σ hours_i × IF_i² × 100 = 2·(1/3)·0.81·100 + 2·(1/12)·0.25·100 = 54 + 4.1667 = 58.17.
    const perStep = 2 * (1200 / 3600) * 0.9 ** 2 * 100 + 2 * (300 / 3600) * 0.5 ** 2 * 100;
    expect(perStep).toBeCloseTo(58.1667, 3);
    expect(m.tss).toBeGreaterThan(perStep + 2); // ≈ 61.1: the 4th power weights the work blocks
  });

  it('ramps: a second holds the value at its middle, so the mean is exact', () => {
    const trace = powerTrace([{ kind: 'ramp', seconds: 600, fromPercentFtp: 50, toPercentFtp: 75 }]);
    expect(trace.length).toBe(600);
    expect(trace.reduce((s, v) => s + v, 0) / 600).toBeCloseTo(62.5, 10);
    expect(trace[0]).toBeCloseTo(50 + (25 * 0.5) / 600, 10);
  });

  it('intensity classes: hard = threshold and above or IF ≥ 0.85; moderate = tempo/sweet spot or IF ≥ 0.75', () => {
    expect(classifyIntensity('sprint', 0.6)).toBe('hard');
    expect(classifyIntensity('threshold', 0.8)).toBe('hard');
    expect(classifyIntensity('sweetspot', 0.84)).toBe('moderate');
    expect(classifyIntensity('sweetspot', 0.85)).toBe('hard');
    expect(classifyIntensity('tempo', 0.7)).toBe('moderate');
    expect(classifyIntensity('endurance', 0.74)).toBe('easy');
    expect(classifyIntensity('endurance', 0.75)).toBe('moderate');
    expect(classifyIntensity('recovery', 0.5)).toBe('easy');
  });

  it('describes steps compactly', () => {
    expect(
      describeSteps([
        { kind: 'ramp', seconds: 600, fromPercentFtp: 50, toPercentFtp: 75 },
        { kind: 'intervals', repeat: 2, on: { seconds: 1200, percentFtp: 90 }, off: { seconds: 300, percentFtp: 55 } },
        { kind: 'ramp', seconds: 600, fromPercentFtp: 70, toPercentFtp: 50 },
      ]),
    ).toBe('10 min warm-up 50→75 % FTP, 2×20 min @ 88–92 % FTP, 5 min easy between, 10 min cool-down 70→50 % FTP');
  });
});

describe('workout library', () => {
  it('has several variants of every type, each with its metrics computed from its steps', () => {
    for (const type of WORKOUT_TYPES) {
      const ofType = WORKOUT_LIBRARY.filter((w) => w.type === type);
      expect(ofType.length, type).toBeGreaterThanOrEqual(5);
      expect(new Set(ofType.map((w) => w.durationSeconds)).size, type).toBeGreaterThanOrEqual(3);
    }
    const ids = new Set<string>();
    for (const w of WORKOUT_LIBRARY) {
      expect(ids.has(w.id), w.id).toBe(false);
      ids.add(w.id);
      const m = workoutMetrics(w.steps, w.type);
      expect(w.tss).toBe(m.tss);
      expect(w.intensityFactor).toBe(m.intensityFactor);
      expect(w.durationSeconds % 60, w.id).toBe(0);
      expect(w.description.length).toBeGreaterThan(0);
    }
  });

  it('classes by type: rides are easy, tempo and sweet spot moderate, threshold and above hard', () => {
    for (const w of WORKOUT_LIBRARY) {
      const expected =
        w.type === 'recovery' || w.type === 'endurance' ? 'easy' : w.type === 'tempo' || w.type === 'sweetspot' ? 'moderate' : 'hard';
      expect(w.intensity, w.id).toBe(expected);
    }
  });

  it('has extended variants that only add endurance riding', () => {
    const base = workoutById('threshold-2x20')!;
    const plus60 = workoutById('threshold-2x20-plus60')!;
    expect(plus60.durationSeconds - base.durationSeconds).toBe(3600);
    expect(plus60.tss).toBeGreaterThan(base.tss);
    expect(plus60.intensityFactor).toBeLessThan(base.intensityFactor);
  });
});
