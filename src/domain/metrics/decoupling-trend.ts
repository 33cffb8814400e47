/**
 * Which rides Pw:HR aerobic decoupling is tracked on: long, steady endurance rides, where a
 * drift of heart rate against power says something about aerobic fitness (on short or hard rides
 * it mostly says how the ride was paced). The usual reading: under 5 % is good aerobic fitness.
 */

export const LONG_ENDURANCE_RULE = {
  /** Moving time at least this long… */
  minMovingSeconds: 90 * 60,
  /** …at an intensity factor no higher than this. */
  maxIntensityFactor: 0.8,
} as const;

/** Decoupling under this (in %) reads as good aerobic fitness. */
export const GOOD_DECOUPLING_PERCENT = 5;

/** True for a long endurance ride by LONG_ENDURANCE_RULE (both figures needed). */
export function isLongEnduranceRide(movingSeconds: number | null, intensityFactor: number | null): boolean {
  return (
    movingSeconds !== null &&
    intensityFactor !== null &&
    movingSeconds >= LONG_ENDURANCE_RULE.minMovingSeconds &&
    intensityFactor <= LONG_ENDURANCE_RULE.maxIntensityFactor
  );
}
