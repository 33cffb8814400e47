/**
 * A workout's steps as compact text, e.g.
 * "10 min warm-up 50→75 % FTP, 2×20 min @ 88–92 % FTP, 5 min easy between, 10 min cool-down 70→50 % FTP".
 */
import type { WorkoutStep } from './types.js';

/** Below this % FTP a recovery segment is just "easy". */
const EASY_PERCENT = 60;
/** Work targets at or above this are shown as a ±2 % band a rider can hold. */
const BAND_FROM_PERCENT = 76;

/** "30 s", "1 min 30 s", "20 min", "1 h 30 min". */
export function formatStepDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  if (s > 0 || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

/** Efforts at or above this are sprints: ridden all-out, the number is a floor. */
const ALL_OUT_PERCENT = 150;

function target(percent: number): string {
  const p = Math.round(percent);
  if (p >= ALL_OUT_PERCENT) return `all-out (≥ ${p} % FTP)`;
  if (p >= BAND_FROM_PERCENT) return `@ ${p - 2}–${p + 2} % FTP`;
  return `@ ${p} % FTP`;
}

function recovery(seconds: number, percent: number): string {
  return percent < EASY_PERCENT ? `${formatStepDuration(seconds)} easy` : `${formatStepDuration(seconds)} ${target(percent)}`;
}

export function describeSteps(steps: readonly WorkoutStep[]): string {
  const parts = steps.map((step, index) => {
    if (step.kind === 'steady') {
      return step.percentFtp < EASY_PERCENT
        ? `${formatStepDuration(step.seconds)} easy (${Math.round(step.percentFtp)} % FTP)`
        : `${formatStepDuration(step.seconds)} ${target(step.percentFtp)}`;
    }
    if (step.kind === 'ramp') {
      const rising = step.toPercentFtp > step.fromPercentFtp;
      const label = index === 0 && rising ? ' warm-up' : index === steps.length - 1 && !rising ? ' cool-down' : ' ramp';
      return `${formatStepDuration(step.seconds)}${label} ${Math.round(step.fromPercentFtp)}→${Math.round(step.toPercentFtp)} % FTP`;
    }
    const on = `${step.repeat}×${formatStepDuration(step.on.seconds)} ${target(step.on.percentFtp)}`;
    return `${on}, ${recovery(step.off.seconds, step.off.percentFtp)} between`;
  });
  return parts.join(', ');
}
