import { positiveOrNull, type AthleteContext } from './athlete-context.js';

/** Coggan's 7 power zones, lower bounds in % of FTP: Z1 < 55 ≤ Z2 < 75 ≤ Z3 < 90 ≤ Z4 < 105 ≤ Z5 < 120 ≤ Z6 < 150 ≤ Z7. */
export const COGGAN_POWER_ZONE_PERCENT: readonly number[] = Object.freeze([0, 55, 75, 90, 105, 120, 150]);

/**
 * Friel's cycling heart-rate zones, lower bounds in % of LTHR: Z1 < 81 ≤ Z2 < 90 ≤ Z3 < 94 ≤ Z4 < 100 ≤ Z5
 * (Friel's 5a/5b/5c are merged into Z5).
 */
export const FRIEL_LTHR_ZONE_PERCENT: readonly number[] = Object.freeze([0, 81, 90, 94, 100]);

/** Five heart-rate zones from max HR when LTHR is unknown, lower bounds in % of max HR: Z1 < 60 ≤ Z2 < 70 ≤ Z3 < 80 ≤ Z4 < 90 ≤ Z5. */
export const MAX_HR_ZONE_PERCENT: readonly number[] = Object.freeze([0, 60, 70, 80, 90]);

export interface ZoneTimes {
  /** What the percentages are of. */
  basis: 'ftp' | 'lthr' | 'max-hr';
  /** The FTP (W) or heart rate (bpm) the percentages apply to. */
  reference: number;
  /** Lower bound of each zone in W or bpm (zone 1 starts at 0). */
  lowerBounds: number[];
  /** Seconds of moving time spent in each zone (index 0 = Z1). */
  seconds: number[];
}

/**
 * Index of the zone a value falls in: the highest zone whose lower bound it reaches. Compared as
 * value × 100 ≥ percent × reference so that e.g. 110 W at FTP 200 is exactly 55 % (0.55 × 200 is 110.00000000000001).
 */
function zoneIndex(value: number, reference: number, percents: readonly number[]): number {
  const scaled = value * 100;
  let zone = 0;
  for (let z = 1; z < percents.length; z++) {
    if (scaled >= (percents[z] ?? Infinity) * reference) zone = z;
    else break;
  }
  return zone;
}

function zoneTimes(
  samples: ArrayLike<number>,
  reference: number,
  percents: readonly number[],
  basis: ZoneTimes['basis'],
  missingAsZero: boolean,
): ZoneTimes {
  const seconds = percents.map(() => 0);
  for (let i = 0; i < samples.length; i++) {
    let v = samples[i] ?? NaN;
    if (!(Number.isFinite(v) && v > 0)) {
      // Power: missing or negative is 0 W. Heart rate: 0 or missing is no reading, skip it.
      if (!missingAsZero) continue;
      v = 0;
    }
    const z = zoneIndex(v, reference, percents);
    seconds[z] = (seconds[z] ?? 0) + 1;
  }
  return { basis, reference, lowerBounds: percents.map((p) => (p * reference) / 100), seconds };
}

/** Seconds in each Coggan power zone (1 sample = 1 s; NaN power counts as 0 W, i.e. Z1). Null without an FTP. */
export function powerZoneTimes(power: ArrayLike<number>, ftp: number | null): ZoneTimes | null {
  const reference = positiveOrNull(ftp);
  if (reference === null) return null;
  return zoneTimes(power, reference, COGGAN_POWER_ZONE_PERCENT, 'ftp', true);
}

/** Which heart-rate zone model applies: Friel from LTHR when known, else % of max HR, else none. */
export function heartRateZoneModel(
  athlete: AthleteContext,
): { basis: 'lthr' | 'max-hr'; reference: number; percents: readonly number[] } | null {
  const lthr = positiveOrNull(athlete.lthr);
  if (lthr !== null) return { basis: 'lthr', reference: lthr, percents: FRIEL_LTHR_ZONE_PERCENT };
  const maxHr = positiveOrNull(athlete.maxHr);
  if (maxHr !== null) return { basis: 'max-hr', reference: maxHr, percents: MAX_HR_ZONE_PERCENT };
  return null;
}

/** Seconds in each of the 5 heart-rate zones (samples without HR are skipped). Null without LTHR or max HR. */
export function heartRateZoneTimes(heartRate: ArrayLike<number>, athlete: AthleteContext): ZoneTimes | null {
  const model = heartRateZoneModel(athlete);
  if (model === null) return null;
  const times = zoneTimes(heartRate, model.reference, model.percents, model.basis, false);
  return times;
}
