/**
 * A workout in intervals.icu's workout text, the format its builder reads from an event's
 * `description` and turns into the structured workout it sends on to Garmin, Wahoo and Zwift:
 * - a step is a line `- <duration> <target>`: durations `1h30m`, `5m30s`, `45s` (`m` is minutes),
 *   targets in % of FTP (`- 20m 88%`), so that the athlete's own FTP on intervals.icu sets the watts;
 * - a ramp is `- 10m ramp 50-75%` (falling: `- 10m ramp 70-50%`);
 * - a repeat is a line `3x` followed by its steps, with a blank line before and after the block;
 * - any other line is a section title or a note (`Warmup`, `Cooldown`).
 * Our steps carry no cadence, so no `rpm` targets are written. Percentages are whole numbers: the
 * plan's adaptations may scale a target to 85.5 %, which the builder's ± band covers anyway.
 */
import type { WorkoutStep } from './types.js';

/** What the text needs of a workout: its steps, or without them its length and IF (one steady block). */
export interface IntervalsWorkoutInput {
  steps?: readonly WorkoutStep[] | undefined;
  durationMinutes?: number | undefined;
  intensityFactor?: number | undefined;
}

/** `1h30m`, `5m30s`, `45s`: intervals.icu's durations (whole seconds). */
export function intervalsDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || total === 0 ? `${s}s` : ''}`;
}

const percent = (value: number): number => Math.max(0, Math.round(value));
const steadyLine = (seconds: number, percentFtp: number): string => `- ${intervalsDuration(seconds)} ${percent(percentFtp)}%`;

/** The lines of one step that is not a repeat (or a repeat of one); empty for a step of no length. */
function plainLines(step: WorkoutStep): string[] {
  if (step.kind === 'steady') return step.seconds > 0 ? [steadyLine(step.seconds, step.percentFtp)] : [];
  if (step.kind === 'ramp') {
    if (step.seconds <= 0) return [];
    return [`- ${intervalsDuration(step.seconds)} ramp ${percent(step.fromPercentFtp)}-${percent(step.toPercentFtp)}%`];
  }
  return pairLines(step);
}

function pairLines(step: Extract<WorkoutStep, { kind: 'intervals' }>): string[] {
  const lines: string[] = [];
  if (step.on.seconds > 0) lines.push(steadyLine(step.on.seconds, step.on.percentFtp));
  if (step.off.seconds > 0) lines.push(steadyLine(step.off.seconds, step.off.percentFtp));
  return lines;
}

/** The blocks of the text, each a list of lines; blocks are written with one blank line between them. */
function blocks(steps: readonly WorkoutStep[]): string[][] {
  const out: string[][] = [];
  let plain: string[] = [];
  const flush = (): void => {
    if (plain.length > 0) out.push(plain);
    plain = [];
  };
  steps.forEach((step, index) => {
    const rising = step.kind === 'ramp' && step.toPercentFtp > step.fromPercentFtp;
    const falling = step.kind === 'ramp' && step.toPercentFtp < step.fromPercentFtp;
    if (step.kind === 'intervals' && step.repeat > 1) {
      const lines = pairLines(step);
      flush();
      if (lines.length > 0) out.push([`${step.repeat}x`, ...lines]);
    } else if (step.kind === 'intervals' && step.repeat < 1) {
      // nothing to ride
    } else if (index === 0 && rising) {
      out.push(['Warmup', ...plainLines(step)]);
    } else if (index === steps.length - 1 && falling && index > 0) {
      flush();
      out.push(['Cooldown', ...plainLines(step)]);
    } else {
      plain.push(...plainLines(step));
    }
  });
  flush();
  return out.filter((block) => block.some((line) => line.startsWith('- ')));
}

/**
 * The workout in intervals.icu's text format (see the module comment). With `ftp` (watts), a first
 * line says which FTP the plan was made for, since the % targets resolve against the FTP set on
 * intervals.icu. A workout without steps becomes one steady block at its IF; empty when it has no length either.
 */
export function intervalsWorkoutText(workout: IntervalsWorkoutInput, ftp?: number): string {
  let parts = workout.steps && workout.steps.length > 0 ? blocks(workout.steps) : [];
  if (parts.length === 0 && (workout.durationMinutes ?? 0) > 0) {
    parts = [[steadyLine((workout.durationMinutes ?? 0) * 60, (workout.intensityFactor ?? 0.65) * 100)]];
  }
  if (parts.length === 0) return '';
  if (ftp !== undefined && Number.isFinite(ftp) && ftp > 0) {
    parts = [[`Targets in % of FTP; planned for an FTP of ${Math.round(ftp)} W.`], ...parts];
  }
  return parts.map((block) => block.join('\n')).join('\n\n');
}
