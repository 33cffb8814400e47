/**
 * Duration, IF and TSS of a structured workout, computed the way a head unit would from the ride:
 * expand the steps to a 1 Hz power trace in % FTP (so FTP = 100), take its Normalized Power
 * (30 s rolling mean, 4th-power mean, 4th root), then IF = NP / 100 and
 * TSS = hours × IF² × 100. Summing per-step IF² would ignore the 30 s smoothing and the 4th-power
 * weighting, and under-rate intervals.
 */
import { normalizedPower } from '../metrics/normalized-power.js';
import type { Intensity, WorkoutMetrics, WorkoutStep, WorkoutType } from './types.js';

/** Total seconds of the steps. */
export function stepsDurationSeconds(steps: readonly WorkoutStep[]): number {
  let total = 0;
  for (const step of steps) {
    total += step.kind === 'intervals' ? step.repeat * (step.on.seconds + step.off.seconds) : step.seconds;
  }
  return total;
}

/**
 * The steps as a 1 Hz trace, % FTP. A ramp's second i holds the value at its middle,
 * from + (to − from)·(i + ½)/seconds, so a ramp's mean is exactly (from + to)/2.
 */
export function powerTrace(steps: readonly WorkoutStep[]): Float64Array {
  const trace = new Float64Array(stepsDurationSeconds(steps));
  let t = 0;
  const fill = (seconds: number, percent: number): void => {
    trace.fill(percent, t, t + seconds);
    t += seconds;
  };
  for (const step of steps) {
    if (step.kind === 'steady') fill(step.seconds, step.percentFtp);
    else if (step.kind === 'ramp') {
      for (let i = 0; i < step.seconds; i++)
        trace[t + i] = step.fromPercentFtp + ((step.toPercentFtp - step.fromPercentFtp) * (i + 0.5)) / step.seconds;
      t += step.seconds;
    } else {
      for (let r = 0; r < step.repeat; r++) {
        fill(step.on.seconds, step.on.percentFtp);
        fill(step.off.seconds, step.off.percentFtp);
      }
    }
  }
  return trace;
}

/** Types that are hard whatever their IF: threshold and above. */
const HARD_TYPES: ReadonlySet<WorkoutType> = new Set(['threshold', 'vo2max', 'anaerobic', 'sprint']);
const MODERATE_TYPES: ReadonlySet<WorkoutType> = new Set(['tempo', 'sweetspot']);

/** IF at and above which any workout is hard. */
export const HARD_INTENSITY_FACTOR = 0.85;
/** IF at and above which an endurance or recovery ride is moderate. */
export const MODERATE_INTENSITY_FACTOR = 0.75;

/**
 * Intensity class. Hard: work at threshold or above (threshold, VO2max, anaerobic, sprint — even a
 * sprint session with a low IF costs a day of freshness) or any workout with IF ≥ 0.85.
 * Moderate: tempo and sweet spot, or an easy-type ride with IF ≥ 0.75. Easy: everything else.
 */
export function classifyIntensity(type: WorkoutType, intensityFactor: number): Intensity {
  if (HARD_TYPES.has(type) || intensityFactor >= HARD_INTENSITY_FACTOR) return 'hard';
  if (MODERATE_TYPES.has(type) || intensityFactor >= MODERATE_INTENSITY_FACTOR) return 'moderate';
  return 'easy';
}

/** Metrics of steps ridden exactly. Workouts shorter than 30 s (no NP window) count their mean power as NP. */
export function workoutMetrics(steps: readonly WorkoutStep[], type: WorkoutType): WorkoutMetrics {
  const trace = powerTrace(steps);
  const durationSeconds = trace.length;
  let np = normalizedPower(trace);
  if (np === null) np = durationSeconds === 0 ? 0 : trace.reduce((s, v) => s + v, 0) / durationSeconds;
  const intensityFactor = np / 100;
  const tss = (durationSeconds / 3600) * intensityFactor * intensityFactor * 100;
  return { durationSeconds, normalizedPercentFtp: np, intensityFactor, tss, intensity: classifyIntensity(type, intensityFactor) };
}
