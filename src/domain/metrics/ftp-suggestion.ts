import { positiveOrNull } from './athlete-context.js';
import { criticalPowerModel, type ModelConfidence } from './critical-power-model.js';
import { seasonCurveWatts, type SeasonPowerCurve } from './power-curve.js';

export interface FtpSuggestion {
  method: 'best-20-min' | 'critical-power';
  /** Suggested FTP, W (rounded to 1 W). */
  watts: number;
  /** What the number rests on, one sentence with units. */
  basis: string;
  confidence: ModelConfidence;
  /** watts − current FTP; null when no FTP is set. */
  differenceWatts: number | null;
  /** (watts − current FTP) / current FTP × 100; null when no FTP is set. */
  differencePercent: number | null;
}

/** Share of the best 20 min power taken as FTP (Coggan's 20-min test). */
export const TWENTY_MINUTE_FACTOR = 0.95;

/**
 * FTP suggestions from the season's bests, never a replacement for the athlete's FTP:
 * - best-20-min: FTP ≈ 0.95 × best 20 min power (assumes that 20 min was all-out: confidence medium);
 * - critical-power: FTP ≈ CP of the 2-parameter fit of the 2–20 min bests (see criticalPowerModel),
 *   left out when that model's confidence is 'none'.
 * Each carries the difference from the current FTP.
 */
export function suggestFtp(season: Readonly<SeasonPowerCurve>, currentFtp: number | null): FtpSuggestion[] {
  const current = positiveOrNull(currentFtp);
  const withDifference = (s: Omit<FtpSuggestion, 'differenceWatts' | 'differencePercent'>): FtpSuggestion => ({
    ...s,
    differenceWatts: current === null ? null : s.watts - current,
    differencePercent: current === null ? null : ((s.watts - current) / current) * 100,
  });
  const suggestions: FtpSuggestion[] = [];

  const best20 = season[1200];
  if (best20 && best20.watts > 0) {
    suggestions.push(
      withDifference({
        method: 'best-20-min',
        watts: Math.round(best20.watts * TWENTY_MINUTE_FACTOR),
        basis: `95 % of your best 20 min power, ${Math.round(best20.watts)} W on ${best20.date}.`,
        confidence: 'medium',
      }),
    );
  }

  const model = criticalPowerModel(seasonCurveWatts(season));
  if (model.eftp !== null && model.twoParameter) {
    const { cp, wPrime, points } = model.twoParameter;
    suggestions.push(
      withDifference({
        method: 'critical-power',
        watts: Math.round(model.eftp),
        basis: `Critical power ${Math.round(cp)} W (W′ ${(wPrime / 1000).toFixed(1)} kJ) from ${points} best efforts between 2 and 20 min. ${model.reason}`,
        confidence: model.confidence,
      }),
    );
  }
  return suggestions;
}
