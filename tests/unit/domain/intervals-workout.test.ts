/**
 * Plan workouts as intervals.icu workout text: `- 10m 55%` steps, `- 10m ramp 50-75%` ramps, `3x`
 * repeat blocks set off by blank lines, and nothing a builder could misread.
 */
import { describe, expect, it } from 'vitest';
import { intervalsDuration, intervalsWorkoutText } from '../../../src/domain/plan/intervals-workout.js';
import { WORKOUT_LIBRARY, workoutById } from '../../../src/domain/plan/workout-library.js';
import { stepsDurationSeconds } from '../../../src/domain/plan/workout-metrics.js';
import type { WorkoutStep } from '../../../src/domain/plan/types.js';

const library = (id: string) => {
  const workout = workoutById(id);
  if (!workout) throw new Error(`no library workout ${id}`);
  return workout;
};

const STEP = /^- (?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)? (?:ramp (\d+)-(\d+)|(\d+))%$/;

/** Reads the text back as intervals.icu would: total seconds and work (seconds × % FTP). */
function readBack(text: string): { seconds: number; work: number } {
  let seconds = 0;
  let work = 0;
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const repeat = /^(\d+)x$/.exec(lines[0]!);
    for (const line of lines) {
      if (!line.startsWith('- ')) continue;
      const m = STEP.exec(line);
      if (!m) throw new Error(`not a step line: ${line}`);
      const s = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
      const percent = m[6] !== undefined ? Number(m[6]) : (Number(m[4]) + Number(m[5])) / 2;
      const times = repeat ? Number(repeat[1]) : 1;
      seconds += s * times;
      work += s * percent * times;
    }
  }
  return { seconds, work };
}

function plannedWork(steps: readonly WorkoutStep[]): number {
  return steps.reduce((sum, s) => {
    if (s.kind === 'steady') return sum + s.seconds * s.percentFtp;
    if (s.kind === 'ramp') return sum + (s.seconds * (s.fromPercentFtp + s.toPercentFtp)) / 2;
    return sum + s.repeat * (s.on.seconds * s.on.percentFtp + s.off.seconds * s.off.percentFtp);
  }, 0);
}

describe('intervalsDuration', () => {
  it('writes hours, minutes and seconds as intervals.icu reads them', () => {
    expect(intervalsDuration(45)).toBe('45s');
    expect(intervalsDuration(90)).toBe('1m30s');
    expect(intervalsDuration(600)).toBe('10m');
    expect(intervalsDuration(3600)).toBe('1h');
    expect(intervalsDuration(5400)).toBe('1h30m');
    expect(intervalsDuration(3725)).toBe('1h2m5s');
  });
});

describe('intervalsWorkoutText', () => {
  it('a sweet spot session: warm-up ramp, a 3x block, cool-down ramp, blank lines between', () => {
    expect(intervalsWorkoutText(library('sweetspot-3x10'))).toBe(
      ['Warmup', '- 10m ramp 50-75%', '', '3x', '- 10m 90%', '- 5m 55%', '', 'Cooldown', '- 10m ramp 70-50%'].join('\n'),
    );
  });

  it('over-unders: each set its own repeat block, the easy spin between them a plain step', () => {
    const text = intervalsWorkoutText(library('threshold-over-under'));
    expect(text).toBe(
      [
        'Warmup',
        '- 15m ramp 50-75%',
        '',
        '3x',
        '- 2m 95%',
        '- 1m 105%',
        '',
        '- 5m 55%',
        '',
        '3x',
        '- 2m 95%',
        '- 1m 105%',
        '',
        '- 5m 55%',
        '',
        '3x',
        '- 2m 95%',
        '- 1m 105%',
        '',
        'Cooldown',
        '- 10m ramp 70-50%',
      ].join('\n'),
    );
  });

  it('short efforts in seconds, long blocks in hours and minutes', () => {
    expect(intervalsWorkoutText(library('vo2max-40-20'))).toContain('10x\n- 40s 118%\n- 20s 50%');
    expect(intervalsWorkoutText(library('anaerobic-6x90s'))).toContain('6x\n- 1m30s 125%\n- 3m 50%');
    expect(intervalsWorkoutText(library('sprint-6x15s'))).toContain('6x\n- 15s 200%\n- 4m45s 60%');
    expect(intervalsWorkoutText(library('endurance-90'))).toBe(
      ['Warmup', '- 5m ramp 50-65%', '', '- 1h20m 68%', '', 'Cooldown', '- 5m ramp 65-50%'].join('\n'),
    );
    expect(intervalsWorkoutText(library('recovery-30'))).toBe('- 30m 50%');
  });

  it('every library workout reads back to its own duration and work', () => {
    for (const workout of WORKOUT_LIBRARY) {
      const text = intervalsWorkoutText(workout);
      const back = readBack(text);
      expect(back.seconds, workout.id).toBe(stepsDurationSeconds(workout.steps));
      // whole percentages: within 0.5 % FTP on average
      expect(Math.abs(back.work - plannedWork(workout.steps)) / back.seconds, workout.id).toBeLessThanOrEqual(0.5);
      // text lines are only our section titles and repeat headers
      for (const line of text.split('\n').filter((l) => l && !l.startsWith('- '))) expect(line).toMatch(/^(Warmup|Cooldown|\d+x)$/);
    }
  });

  it('rounds adapted targets to whole percent; a set of one is plain steps; empty steps are left out', () => {
    const steps: WorkoutStep[] = [
      { kind: 'steady', seconds: 600, percentFtp: 85.5 },
      { kind: 'intervals', repeat: 1, on: { seconds: 300, percentFtp: 104.6 }, off: { seconds: 0, percentFtp: 50 } },
      { kind: 'steady', seconds: 0, percentFtp: 60 },
      { kind: 'intervals', repeat: 0, on: { seconds: 60, percentFtp: 120 }, off: { seconds: 60, percentFtp: 50 } },
    ];
    expect(intervalsWorkoutText({ steps })).toBe('- 10m 86%\n- 5m 105%');
  });

  it('with an FTP, a first line says which FTP the % targets were planned for', () => {
    const text = intervalsWorkoutText(library('recovery-30'), 251.4);
    expect(text).toBe('Targets in % of FTP; planned for an FTP of 251 W.\n\n- 30m 50%');
    expect(text).not.toMatch(/\d+x/);
  });

  it('a workout without steps is one steady block at its IF; nothing at all gives empty text', () => {
    expect(intervalsWorkoutText({ durationMinutes: 75, intensityFactor: 0.68 })).toBe('- 1h15m 68%');
    expect(intervalsWorkoutText({ steps: [] })).toBe('');
  });
});
