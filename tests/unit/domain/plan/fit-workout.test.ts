/**
 * FIT workout files, read back with Garmin's own decoder (@garmin/fitsdk): the file is intact, the
 * workout message names the workout, and every step of every library workout is there with its
 * duration and its watts at two FTPs — ramps as 1-min blocks at the ramp's mean, interval sets as
 * on, off and a repeat step — so that playing the file gives the plan's duration and, second by
 * second, its power.
 */
import { Decoder, Stream, type FitMessages, type WorkoutStepMesg } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import {
  FIT_POWER_BAND_PERCENT,
  FIT_RAMP_BLOCK_SECONDS,
  FIT_TEXT_BYTES,
  WORKOUT_LIBRARY,
  fitText,
  powerTrace,
  stepsDurationSeconds,
  workoutById,
  workoutFiles,
  workoutFitFiles,
  workoutToFit,
  type PlannedWorkout,
  type WorkoutStep,
} from '../../../../src/domain/plan/index.js';

/** FIT custom power targets above this are watts + 1000 (FIT profile, workout_power). */
const WATTS_OFFSET = 1000;

function decode(bytes: Uint8Array): FitMessages {
  const decoder = new Decoder(Stream.fromByteArray(bytes));
  expect(decoder.isFIT()).toBe(true);
  expect(decoder.checkIntegrity()).toBe(true);
  const { messages, errors } = decoder.read();
  expect(errors).toEqual([]);
  return messages;
}

/** The target range, watts, of a step planned at `percent` % FTP; 1 W at least (a raw 1000 would mean 1000 % FTP). */
const band = (percent: number, ftp: number): [number, number] => [
  Math.max(1, Math.round(((percent - FIT_POWER_BAND_PERCENT) * ftp) / 100)),
  Math.max(1, Math.round(((percent + FIT_POWER_BAND_PERCENT) * ftp) / 100)),
];
const wattsOf = (m: WorkoutStepMesg): [number, number] => [
  Number(m.customTargetPowerLow) - WATTS_OFFSET,
  Number(m.customTargetPowerHigh) - WATTS_OFFSET,
];

/** Checks the decoded steps against the planned ones, in order; returns nothing, fails on the first difference. */
function expectSteps(fit: readonly WorkoutStepMesg[], steps: readonly WorkoutStep[], ftp: number): void {
  let i = 0;
  const timeStep = (seconds: number, percent: number): WorkoutStepMesg => {
    const m = fit[i]!;
    expect(m.messageIndex).toBe(i++);
    expect(m.durationType).toBe('time');
    expect(m.durationTime).toBe(seconds);
    expect(m.targetType).toBe('power');
    expect(m.targetPowerZone).toBe(0); // custom
    expect(wattsOf(m)).toEqual(band(percent, ftp));
    return m;
  };
  steps.forEach((step) => {
    if (step.kind === 'steady') timeStep(step.seconds, step.percentFtp);
    else if (step.kind === 'ramp') {
      // Blocks of about a minute covering the ramp exactly, each at the ramp's mean over the block.
      const count = Math.max(1, Math.round(step.seconds / FIT_RAMP_BLOCK_SECONDS));
      let start = 0;
      for (let b = 0; b < count; b++) {
        const seconds = Number(fit[i]!.durationTime);
        expect(Math.abs(seconds - step.seconds / count)).toBeLessThanOrEqual(1);
        const mid = start + seconds / 2;
        timeStep(seconds, step.fromPercentFtp + ((step.toPercentFtp - step.fromPercentFtp) * mid) / step.seconds);
        start += seconds;
      }
      expect(start).toBe(step.seconds);
    } else {
      const first = i;
      expect(timeStep(step.on.seconds, step.on.percentFtp).intensity).toBe('active');
      const off = timeStep(step.off.seconds, step.off.percentFtp);
      expect(off.intensity).toBe(step.off.percentFtp < step.on.percentFtp ? 'rest' : 'active');
      if (step.repeat > 1) {
        const repeat = fit[i]!;
        expect(repeat.messageIndex).toBe(i++);
        expect(repeat.durationType).toBe('repeatUntilStepsCmplt');
        expect(repeat.durationStep).toBe(first); // back to the on step
        expect(repeat.repeatSteps).toBe(step.repeat);
      }
    }
  });
  expect(i).toBe(fit.length);
}

/** Plays the file as a head unit would (repeats included): the target's middle, watts, second by second. */
function play(fit: readonly WorkoutStepMesg[]): number[] {
  const trace: number[] = [];
  const run = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      const m = fit[k]!;
      if (m.durationType === 'repeatUntilStepsCmplt') {
        for (let r = 1; r < Number(m.repeatSteps); r++) run(Number(m.durationStep), k);
        continue;
      }
      const [low, high] = wattsOf(m);
      for (let s = 0; s < Number(m.durationTime); s++) trace.push((low + high) / 2);
    }
  };
  run(0, fit.length);
  return trace;
}

describe.each([250, 300])('every library workout as a FIT workout at FTP %i W', (ftp) => {
  it.each(WORKOUT_LIBRARY.map((w) => [w.id, w] as const))('%s', (_id, workout) => {
    const messages = decode(workoutToFit(workout, ftp));
    expect(messages.fileIdMesgs).toHaveLength(1);
    expect(messages.fileIdMesgs![0]!.type).toBe('workout');
    const [summary] = messages.workoutMesgs!;
    expect(summary!.sport).toBe('cycling');
    expect(summary!.wktName).toBe(fitText(workout.name));
    const fit = messages.workoutStepMesgs!;
    expect(summary!.numValidSteps).toBe(fit.length);
    expectSteps(fit, workout.steps, ftp);

    const played = play(fit);
    expect(played).toHaveLength(workout.durationSeconds);
    expect(played).toHaveLength(stepsDurationSeconds(workout.steps));
    // Second by second within the rounding of a watt, or within half a block's climb on a ramp; same work.
    const planned = Array.from(powerTrace(workout.steps), (p) => (p * ftp) / 100);
    const steepest = Math.max(
      0,
      ...workout.steps.map((s) => (s.kind === 'ramp' ? (Math.abs(s.toPercentFtp - s.fromPercentFtp) / s.seconds) * (ftp / 100) : 0)),
    );
    const worst = Math.max(...played.map((w, t) => Math.abs(w - planned[t]!)));
    expect(worst).toBeLessThanOrEqual(0.5 + steepest * (FIT_RAMP_BLOCK_SECONDS / 2 + 1));
    const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(played) - sum(planned))).toBeLessThanOrEqual(0.5 * played.length);
  });
});

describe('workoutToFit', () => {
  it('writes Sweet spot 3×10 for 250 W: file id, name, named steps in watts, the set as a repeat', () => {
    const w = workoutById('sweetspot-3x10')!;
    const created = new Date('2025-03-03T06:00:00Z');
    const messages = decode(workoutToFit(w, 250, { timeCreated: created, serialNumber: 4242 }));
    expect(messages.fileIdMesgs![0]).toEqual({
      type: 'workout',
      manufacturer: 'development',
      product: 0,
      serialNumber: 4242,
      timeCreated: created,
    });
    expect(messages.workoutMesgs![0]).toMatchObject({ sport: 'cycling', wktName: 'Sweet spot 3×10', numValidSteps: 23 });
    const fit = messages.workoutStepMesgs!;
    expect(fit.map((s) => s.intensity ?? 'repeat')).toEqual([
      ...Array<string>(10).fill('warmup'),
      'active',
      'rest',
      'repeat',
      ...Array<string>(10).fill('cooldown'),
    ]);
    // 90 % of 250 W ± 2.5 %: 218.75 → 219 to 231.25 → 231; the recovery 55 %: 131.25 → 131 to 143.75 → 144.
    expect(fit[10]).toMatchObject({ wktStepName: 'Sweet spot 3×10 min @ 90 %', durationTime: 600 });
    expect(wattsOf(fit[10]!)).toEqual([219, 231]);
    expect(fit[11]).toMatchObject({ wktStepName: 'Recovery 5 min @ 55 %', durationTime: 300 });
    expect(wattsOf(fit[11]!)).toEqual([131, 144]);
    expect(fit[12]).toMatchObject({ durationType: 'repeatUntilStepsCmplt', durationStep: 10, repeatSteps: 3 });
    expect(fit[0]!.wktStepName).toBe('Warm-up 1/10 @ 51 %');
    expect(fit[22]!.wktStepName).toBe('Cool-down 10/10 @ 51 %');
  });

  it('keeps an over-under "off" at work and the easy spin between sets as rest', () => {
    const fit = decode(workoutToFit(workoutById('threshold-over-under')!, 250)).workoutStepMesgs!;
    const overs = fit.filter((s) => s.wktStepName?.startsWith('Threshold 1 min @ 105 %'));
    expect(overs).toHaveLength(3);
    for (const over of overs) expect(over.intensity).toBe('active');
    const between = fit.filter((s) => s.wktStepName === 'Recovery 5 min @ 55 %');
    expect(between.map((s) => s.intensity)).toEqual(['rest', 'rest']);
  });

  it('never targets below 1 W and writes one interval without a repeat step', () => {
    const steps: WorkoutStep[] = [
      { kind: 'steady', seconds: 60, percentFtp: 1 },
      { kind: 'intervals', repeat: 1, on: { seconds: 30, percentFtp: 150 }, off: { seconds: 30, percentFtp: 40 } },
    ];
    const fit = decode(workoutToFit({ name: 'Edge cases', steps }, 250)).workoutStepMesgs!;
    expect(fit[0]!.customTargetPowerLow).toBe(WATTS_OFFSET + 1); // 1 % − 2.5 % of FTP: below 0, written as 1 W
    expect(wattsOf(fit[0]!)).toEqual([1, band(1, 250)[1]]);
    expect(fit.map((s) => s.durationType)).toEqual(['time', 'time', 'time']);
    expect(play(fit)).toHaveLength(120);
  });

  it('cuts names to what units show, on a character and word boundary, without control characters', () => {
    const long = 'Sweet spot 3×10 + 90 min endurance, then hills';
    const cut = fitText(long);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(FIT_TEXT_BYTES);
    expect(long.startsWith(cut)).toBe(true);
    expect(cut).toMatch(/[a-z0-9]$/i);
    const accents = fitText('é'.repeat(40)); // 2 bytes each, no space to cut at
    expect(accents).toBe('é'.repeat(Math.floor(FIT_TEXT_BYTES / 2)));
    expect(fitText('A\u0000B\nC')).toBe('A B C');
    const messages = decode(workoutToFit({ name: `🚴 ${long}`, steps: [{ kind: 'steady', seconds: 60, percentFtp: 60 }] }, 250));
    expect(messages.workoutMesgs![0]!.wktName).toBe(fitText(`🚴 ${long}`));
  });

  it('is deterministic, gives each workout its own serial number, and refuses a bad FTP or an empty workout', () => {
    const a = workoutById('vo2max-5x3')!;
    const b = workoutById('vo2max-6x3')!;
    expect(workoutToFit(a, 280)).toEqual(workoutToFit(a, 280));
    const serial = (bytes: Uint8Array): unknown => decode(bytes).fileIdMesgs![0]!.serialNumber;
    expect(serial(workoutToFit(a, 280))).not.toBe(serial(workoutToFit(b, 280)));
    expect(serial(workoutToFit(a, 280))).toBe(serial(workoutToFit(a, 300))); // a new FTP replaces the same workout
    expect(() => workoutToFit(a, 0)).toThrow(RangeError);
    expect(() => workoutToFit(a, Number.NaN)).toThrow(RangeError);
    expect(() => workoutToFit({ name: 'Nothing', steps: [] }, 250)).toThrow(RangeError);
  });
});

describe('workoutFitFiles', () => {
  it('writes one .fit per distinct structured workout, named like its .zwo', () => {
    const planned = (id: string): PlannedWorkout => {
      const w = workoutById(id)!;
      return { ...w, durationMinutes: w.durationSeconds / 60, steps: [...w.steps] };
    };
    const proposal: PlannedWorkout = {
      name: 'Free ride',
      type: 'endurance',
      intensity: 'easy',
      durationMinutes: 60,
      tss: 40,
      intensityFactor: 0.6,
    };
    const workouts = [planned('tempo-2x20'), proposal, planned('threshold-2x20-plus30'), planned('tempo-2x20')];
    const created = new Date('2025-03-03T06:00:00Z');
    const files = workoutFitFiles(workouts, 265, { timeCreated: created });
    expect(files.map((f) => f.fileName)).toEqual(workoutFiles(workouts).map((f) => f.fileName.replace(/\.zwo$/, '.fit')));
    expect(files.map((f) => f.fileName)).toEqual(['tempo-2x20.fit', 'threshold-2x20-plus30.fit']);
    const decoded = files.map((f) => decode(f.content));
    expect(decoded.map((m) => m.workoutMesgs![0]!.wktName)).toEqual([workouts[0]!.name, fitText(workouts[2]!.name)]);
    expect(decoded.map((m) => m.fileIdMesgs![0]!.timeCreated)).toEqual([created, created]);
    expect(new Set(decoded.map((m) => m.fileIdMesgs![0]!.serialNumber)).size).toBe(2);
  });
});
