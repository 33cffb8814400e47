/**
 * A workout as a FIT workout file that Garmin and Wahoo head units load: a `file_id` of type
 * workout (5), one `workout` message (sport cycling, name, number of steps) and one `workout_step`
 * per step, written with Garmin's own encoder (@garmin/fitsdk). The SDK writes raw field values;
 * the conventions of the FIT profile are ours to apply:
 * - a time step's `duration_value` is milliseconds (its `duration_time` sub-field is seconds, scale 1000);
 * - a power target is `custom_target_value_low/high` in watts + 1000 (values up to 1000 mean % FTP,
 *   which a unit resolves against its own FTP setting; watts carry this plan's FTP), `target_value` 0;
 * - an interval set is its on step, its off step and a `repeat_until_steps_cmplt` step whose
 *   `duration_value` is the message_index of the on step and `target_value` the number of repeats.
 * Targets: a step at p % FTP targets (p ± 2.5) % FTP in watts, rounded, at least 1 W (the raw 1000
 * of 0 W is the profile's `watts_offset` and reads as 1000 % FTP); ERG mode holds the middle of the
 * range, which is the planned power.
 * Ramps: a FIT step holds one target, so a ramp becomes 1-min steady blocks (whole seconds), each at
 * the ramp's mean over its block: ERG follows the ramp and the work equals the plan's. One step with
 * low/high = from/to would have ERG hold the midpoint for the whole warm-up and call anything in
 * 50–75 % "on target".
 * Texts are cut to 31 bytes of UTF-8 (a 32-byte field with its terminator), between characters:
 * FIT allows longer strings, but units show one short line and the SDK's C example structures
 * allocate 16 bytes for names; the workout's type and set lead its name, so a cut keeps the meaning.
 */
import { Encoder, Profile, type FileIdMesg, type WorkoutMesg, type WorkoutStepMesg } from '@garmin/fitsdk';
import { formatStepDuration } from './describe-workout.js';
import type { PlannedWorkout, WorkoutStep } from './types.js';
import { workoutFileBaseName } from './zwift-workout.js';

/** Half the width of a step's target range, % FTP. */
export const FIT_POWER_BAND_PERCENT = 2.5;
/** Custom power targets above this are watts + 1000. */
const WATTS_OFFSET = 1000;
/** Length of the steady blocks a ramp is cut into. */
export const FIT_RAMP_BLOCK_SECONDS = 60;
/** Bytes of a name or step name, without the terminating NUL. */
export const FIT_TEXT_BYTES = 31;
/** Below this % FTP a step is recovery (the recovery zone of Coggan's levels). */
const RECOVERY_BELOW_PERCENT = 56;
/** Zone names by lower bound, % FTP (the zones of src/domain/coaching/work-intervals.ts). */
const ZONES: readonly (readonly [number, string])[] = [
  [151, 'Sprint'],
  [121, 'Anaerobic'],
  [106, 'VO2max'],
  [94, 'Threshold'],
  [88, 'Sweet spot'],
  [76, 'Tempo'],
  [RECOVERY_BELOW_PERCENT, 'Endurance'],
];

type Intensity = 'warmup' | 'active' | 'rest' | 'cooldown';
type FitStep =
  | { kind: 'time'; seconds: number; percentFtp: number; intensity: Intensity; name: string }
  | { kind: 'repeat'; fromIndex: number; times: number };

/** What the file needs of a workout: a name, its steps and its id (the default serial number's seed). */
export type FitWorkoutInput = Pick<PlannedWorkout, 'id' | 'name'> & { steps: readonly WorkoutStep[] };

export interface FitWorkoutOptions {
  /** file_id.time_created; absent: not written (the domain has no clock). */
  timeCreated?: Date;
  /**
   * file_id.serial_number (non-zero); default: a hash of the workout's id (else name), so that two
   * workouts differ on a unit (Garmin asks for a unique type, manufacturer, product and serial)
   * and one workout keeps its serial when the FTP changes.
   */
  serialNumber?: number;
}

const utf8 = new TextEncoder();

/** Text cut to `FIT_TEXT_BYTES` of UTF-8 at a character (preferably a word) boundary; control characters become spaces. */
export function fitText(text: string): string {
  let out = '';
  let bytes = 0;
  let cut = false;
  // eslint-disable-next-line no-control-regex
  for (const ch of text.replace(/[\u0000-\u001F\u007F]/g, ' ')) {
    const size = utf8.encode(ch).length;
    if (bytes + size > FIT_TEXT_BYTES) {
      cut = true;
      break;
    }
    out += ch;
    bytes += size;
  }
  const space = out.lastIndexOf(' ');
  if (cut && space > out.length / 2) out = out.slice(0, space).replace(/[\s+\-–,:;/·(]+$/, '');
  return out.trim();
}

const zoneName = (percent: number): string => ZONES.find(([from]) => percent >= from)?.[1] ?? 'Recovery';
const at = (percent: number): string => `@ ${Math.round(percent)} %`;

/** A ramp as steady blocks of about `FIT_RAMP_BLOCK_SECONDS`, each at the ramp's mean over the block. */
function rampBlocks(step: Extract<WorkoutStep, { kind: 'ramp' }>, label: string, intensity: Intensity): FitStep[] {
  const count = Math.max(1, Math.round(step.seconds / FIT_RAMP_BLOCK_SECONDS));
  const edge = (i: number): number => Math.round((i * step.seconds) / count);
  const blocks: FitStep[] = [];
  for (let i = 0; i < count; i++) {
    const [start, end] = [edge(i), edge(i + 1)];
    if (end <= start) continue;
    const percentFtp = step.fromPercentFtp + ((step.toPercentFtp - step.fromPercentFtp) * (start + end)) / 2 / step.seconds;
    blocks.push({ kind: 'time', seconds: end - start, percentFtp, intensity, name: `${label} ${i + 1}/${count} ${at(percentFtp)}` });
  }
  return blocks;
}

/** The plan's steps as FIT steps: ramps cut into blocks, interval sets as on, off and a repeat step; empty steps left out. */
function fitSteps(steps: readonly WorkoutStep[]): FitStep[] {
  const out: FitStep[] = [];
  const push = (seconds: number, percentFtp: number, intensity: Intensity, name: string): void => {
    if (seconds > 0) out.push({ kind: 'time', seconds, percentFtp, intensity, name });
  };
  steps.forEach((step, index) => {
    const first = index === 0;
    const last = index === steps.length - 1;
    if (step.kind === 'ramp') {
      const rising = step.toPercentFtp > step.fromPercentFtp;
      if (first && rising) out.push(...rampBlocks(step, 'Warm-up', 'warmup'));
      else if (last && !rising) out.push(...rampBlocks(step, 'Cool-down', 'cooldown'));
      else out.push(...rampBlocks(step, 'Ramp', 'active'));
    } else if (step.kind === 'steady') {
      const easy = step.percentFtp < RECOVERY_BELOW_PERCENT && !first && !last;
      const name = `${zoneName(step.percentFtp)} ${formatStepDuration(step.seconds)} ${at(step.percentFtp)}`;
      push(step.seconds, step.percentFtp, easy ? 'rest' : 'active', name);
    } else if (step.repeat >= 1) {
      const fromIndex = out.length;
      const { on, off } = step;
      const times = step.repeat > 1 ? `${step.repeat}×` : '';
      push(
        on.seconds,
        on.percentFtp,
        'active',
        `${zoneName(on.percentFtp)} ${times}${formatStepDuration(on.seconds)} ${at(on.percentFtp)}`,
      );
      const easier = off.percentFtp < on.percentFtp; // over-unders: the "off" is the over
      const offName = `${easier ? 'Recovery' : zoneName(off.percentFtp)} ${formatStepDuration(off.seconds)} ${at(off.percentFtp)}`;
      push(off.seconds, off.percentFtp, easier ? 'rest' : 'active', offName);
      if (step.repeat > 1 && out.length > fromIndex) out.push({ kind: 'repeat', fromIndex, times: step.repeat });
    }
  });
  return out;
}

/** Watts of a % FTP target, rounded, at least 1 (a raw 1000, "0 W", would read as 1000 % FTP). */
const watts = (percent: number, ftp: number): number => Math.max(1, Math.round((percent * ftp) / 100));

function stepMesg(step: FitStep, messageIndex: number, ftp: number): WorkoutStepMesg {
  if (step.kind === 'repeat')
    return { messageIndex, durationType: 'repeatUntilStepsCmplt', durationValue: step.fromIndex, targetValue: step.times };
  return {
    messageIndex,
    wktStepName: fitText(step.name),
    durationType: 'time',
    durationValue: step.seconds * 1000,
    targetType: 'power',
    targetValue: 0,
    customTargetValueLow: WATTS_OFFSET + watts(step.percentFtp - FIT_POWER_BAND_PERCENT, ftp),
    customTargetValueHigh: WATTS_OFFSET + watts(step.percentFtp + FIT_POWER_BAND_PERCENT, ftp),
    intensity: step.intensity,
  };
}

/** FNV-1a of the text, never 0 (serial_number is uint32z: 0 is "invalid"). */
function serialOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash || 1;
}

function mesgNum(name: 'FILE_ID' | 'WORKOUT' | 'WORKOUT_STEP'): number {
  const num = Profile.MesgNum[name];
  if (num === undefined) throw new Error(`The FIT profile has no ${name} message.`);
  return num;
}

/** The FIT workout file of one workout, power targets in watts of `ftp`. Throws on a bad FTP or a workout without steps. */
export function workoutToFit(workout: FitWorkoutInput, ftp: number, options: FitWorkoutOptions = {}): Uint8Array {
  if (!Number.isFinite(ftp) || ftp <= 0) throw new RangeError(`FTP must be a positive number of watts (got ${ftp}).`);
  const steps = fitSteps(workout.steps);
  if (steps.length === 0) throw new RangeError(`The workout "${workout.name}" has no steps to write.`);
  const encoder = new Encoder();
  const fileId: FileIdMesg = {
    type: 'workout',
    manufacturer: 'development',
    product: 0,
    serialNumber: options.serialNumber ?? serialOf(workout.id ?? workout.name),
    ...(options.timeCreated ? { timeCreated: options.timeCreated } : {}),
  };
  encoder.onMesg(mesgNum('FILE_ID'), fileId);
  const summary: WorkoutMesg = { sport: 'cycling', numValidSteps: steps.length, wktName: fitText(workout.name) || 'Workout' };
  encoder.onMesg(mesgNum('WORKOUT'), summary);
  steps.forEach((step, i) => encoder.onMesg(mesgNum('WORKOUT_STEP'), stepMesg(step, i, ftp)));
  return encoder.close();
}

/** A .fit file for one workout. */
export interface FitWorkoutFile {
  fileName: string;
  content: Uint8Array;
}

/**
 * One .fit per distinct structured workout, named like its .zwo (`workoutFiles`), in order of first
 * appearance; each file's serial number comes from its workout's id.
 */
export function workoutFitFiles(
  workouts: readonly PlannedWorkout[],
  ftp: number,
  options: Pick<FitWorkoutOptions, 'timeCreated'> = {},
): FitWorkoutFile[] {
  const files = new Map<string, FitWorkoutFile>();
  for (const w of workouts) {
    if (w.id === undefined || w.steps === undefined || w.steps.length === 0 || files.has(w.id)) continue;
    const content = workoutToFit({ id: w.id, name: w.name, steps: w.steps }, ftp, { timeCreated: options.timeCreated });
    files.set(w.id, { fileName: `${workoutFileBaseName(w.id)}.fit`, content });
  }
  return [...files.values()];
}
