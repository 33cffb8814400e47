/**
 * A workout as a Zwift workout file (.zwo): XML with <workout_file>, <author>, <name>,
 * <description>, <sportType>bike</sportType> and a <workout> of SteadyState, Warmup, Cooldown,
 * Ramp and IntervalsT elements; power is a fraction of FTP (0.95 = 95 %). Zwift's Warmup and
 * Cooldown ramp from PowerLow to PowerHigh, so a cool-down has PowerLow above PowerHigh.
 */
import type { Plan, PlannedWorkout, WorkoutStep } from './types.js';

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside XML elements and double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const power = (percent: number): string => String(Math.round(percent * 10) / 1000);

function stepElement(step: WorkoutStep, index: number, count: number): string {
  if (step.kind === 'steady') return `<SteadyState Duration="${step.seconds}" Power="${power(step.percentFtp)}"/>`;
  if (step.kind === 'intervals') {
    return `<IntervalsT Repeat="${step.repeat}" OnDuration="${step.on.seconds}" OffDuration="${step.off.seconds}" OnPower="${power(step.on.percentFtp)}" OffPower="${power(step.off.percentFtp)}"/>`;
  }
  const rising = step.toPercentFtp > step.fromPercentFtp;
  const tag = index === 0 && rising ? 'Warmup' : index === count - 1 && !rising ? 'Cooldown' : 'Ramp';
  return `<${tag} Duration="${step.seconds}" PowerLow="${power(step.fromPercentFtp)}" PowerHigh="${power(step.toPercentFtp)}"/>`;
}

export interface ZwiftWorkoutInput {
  name: string;
  description?: string | undefined;
  steps: readonly WorkoutStep[];
}

/** The .zwo text; `author` and `description` are user-visible and escaped like every other text. */
export function workoutToZwo(workout: ZwiftWorkoutInput, options: { author?: string; description?: string } = {}): string {
  const description = options.description ?? workout.description ?? '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<workout_file>',
    `  <author>${escapeXml(options.author ?? 'domestique')}</author>`,
    `  <name>${escapeXml(workout.name)}</name>`,
    `  <description>${escapeXml(description)}</description>`,
    '  <sportType>bike</sportType>',
    '  <workout>',
    ...workout.steps.map((step, i) => `    ${stepElement(step, i, workout.steps.length)}`),
    '  </workout>',
    '</workout_file>',
    '',
  ];
  return lines.join('\n');
}

/** The base name of a workout's files (.zwo, .fit) for its id: lower-case letters, digits and dashes only. */
export function workoutFileBaseName(id: string): string {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'workout';
}

/** A file name for a workout id (see `workoutFileBaseName`). */
export function zwoFileName(id: string): string {
  return `${workoutFileBaseName(id)}.zwo`;
}

/** A .zwo file for one workout. */
export interface WorkoutFile {
  fileName: string;
  xml: string;
}

/**
 * One .zwo per distinct structured workout, in order of first appearance (a workout repeated in
 * the plan is one file). `goal` adds a "Goal: …" line to each description.
 */
export function workoutFiles(workouts: Iterable<PlannedWorkout>, options: { author?: string; goal?: string | null } = {}): WorkoutFile[] {
  const files = new Map<string, WorkoutFile>();
  for (const w of workouts) {
    if (w.id === undefined || w.steps === undefined || files.has(w.id)) continue;
    const description = [w.description ?? '', options.goal ? `Goal: ${options.goal}` : ''].filter(Boolean).join('\n');
    files.set(w.id, {
      fileName: zwoFileName(w.id),
      xml: workoutToZwo({ name: w.name, steps: w.steps }, { author: options.author ?? 'domestique', description }),
    });
  }
  return [...files.values()];
}

/** The .zwo files of a whole plan (see `workoutFiles`). */
export function planWorkoutFiles(plan: Plan, options: { author?: string; goal?: string | null } = {}): WorkoutFile[] {
  return workoutFiles(
    plan.weeks.flatMap((week) => week.days.flatMap((d) => d.workouts)),
    options,
  );
}
