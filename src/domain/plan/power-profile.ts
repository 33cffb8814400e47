/**
 * Strengths and limiters from a power curve, for the plan's workout choice. Each ability compares
 * the athlete's best power at one duration, as a multiple of FTP, with a typical all-rounder's:
 * sprint 5 s ≈ 4.0 × FTP, anaerobic 1 min ≈ 1.9 ×, VO2max 5 min ≈ 1.18 ×, threshold 20 min ≈ 1.05 ×,
 * endurance 60 min ≈ 0.95 × (ratios of Coggan's power-profile table for a mid-level rider). Below
 * 95 % of typical is a limiter, above 105 % a strength; durations without data say nothing.
 *
 * This is the one table: the offline coach's strengths and limiters and the report's figures read
 * it too. Why these ratios: in Coggan's men's table (Allen, Coggan & McGregor, "Training and Racing
 * with a Power Meter") best 5 s ÷ FTP is about 3.9 at the top row and rises towards the bottom
 * (world class 24.00 / 6.04 W/kg ≈ 4.0, cat. I 20.44 / 4.98 ≈ 4.1, untrained ≈ 5.5), 1 min ÷ FTP
 * ≈ 1.8–1.9 and 5 min ÷ FTP ≈ 1.19 for the racing categories. A 5 s ratio of 3.4 (the offline
 * coach's old copy) is lower than any row, so it called ordinary sprints strengths. 20 min ≈ 1.05 ×
 * FTP is the inverse of FTP ≈ 95 % of the best 20 min (see ftp-suggestion.ts).
 */
import type { PowerCurve } from '../metrics/mean-maximal-power.js';
import type { PowerAbility } from './types.js';

export const TYPICAL_RATIO_TO_FTP: Readonly<Record<PowerAbility, { seconds: number; ratio: number }>> = {
  sprint: { seconds: 5, ratio: 4.0 },
  anaerobic: { seconds: 60, ratio: 1.9 },
  vo2max: { seconds: 300, ratio: 1.18 },
  threshold: { seconds: 1200, ratio: 1.05 },
  endurance: { seconds: 3600, ratio: 0.95 },
};

const LIMITER_BELOW = 0.95;
const STRENGTH_ABOVE = 1.05;

export interface PowerProfile {
  /** Weakest first. */
  limiters: PowerAbility[];
  /** Strongest first. */
  strengths: PowerAbility[];
  /** Best power ÷ FTP ÷ typical ratio, per ability with data. */
  scores: Partial<Record<PowerAbility, number>>;
}

export function powerProfile(curve: Readonly<PowerCurve>, ftp: number): PowerProfile {
  const scores: Partial<Record<PowerAbility, number>> = {};
  if (!(ftp > 0)) return { limiters: [], strengths: [], scores };
  for (const [ability, { seconds, ratio }] of Object.entries(TYPICAL_RATIO_TO_FTP) as [
    PowerAbility,
    { seconds: number; ratio: number },
  ][]) {
    const watts = curve[seconds];
    if (watts !== undefined && watts > 0) scores[ability] = watts / ftp / ratio;
  }
  const entries = Object.entries(scores) as [PowerAbility, number][];
  return {
    limiters: entries
      .filter(([, s]) => s < LIMITER_BELOW)
      .sort((a, b) => a[1] - b[1])
      .map(([a]) => a),
    strengths: entries
      .filter(([, s]) => s > STRENGTH_ABOVE)
      .sort((a, b) => b[1] - a[1])
      .map(([a]) => a),
    scores,
  };
}
