/**
 * W′ balance (Skiba's differential model, Skiba et al. 2015; GoldenCheetah's "W' bal" in its
 * differential form): the anaerobic work capacity W′ left at each second of a ride, from the
 * athlete's critical power CP and W′.
 *
 *   above CP:  W′bal −= (P − CP) · dt
 *   at or below CP:  W′bal += (W′ − W′bal) · (CP − P) / W′ · dt
 *
 * starting full (W′bal = W′). W′bal may go below zero when the ride beats the CP model (the model
 * underestimates the rider); the value is kept, not clamped, so that shows. Pure: no I/O.
 */
import { powerWithZeros } from './power-samples.js';

/** Rides that look like interval sessions: the rule the reports state. */
export const INTERVAL_RIDE_RULE = {
  /** Variability index (NP ÷ average power) at or above this… */
  minVariabilityIndex: 1.1,
  /** …or at least this much time above CP in total. */
  minSecondsAboveCp: 300,
} as const;

/** W′bal in joules at the end of each sample of a 1 Hz power stream (NaN / negative samples count as 0 W). */
export function wPrimeBalance(power: ArrayLike<number>, cp: number, wPrime: number, dt = 1): Float64Array {
  const watts = powerWithZeros(power);
  const out = new Float64Array(watts.length);
  if (!(cp > 0) || !(wPrime > 0)) return out.fill(Number.NaN);
  let balance = wPrime;
  for (let i = 0; i < watts.length; i++) {
    const p = watts[i]!;
    if (p > cp) balance -= (p - cp) * dt;
    else balance += ((wPrime - balance) * (cp - p) * dt) / wPrime;
    out[i] = balance;
  }
  return out;
}

export interface WPrimeBalanceLow {
  /** The lowest W′bal reached, J (below 0 when the ride beat the model). */
  minJoules: number;
  /** The same as a percentage of W′. */
  minPercent: number;
  /** Sample index (second) where it was reached. */
  atSecond: number;
  /** Seconds spent above CP. */
  secondsAboveCp: number;
}

/** The lowest W′ balance of a ride and its time above CP; null without samples or a usable CP / W′. */
export function lowestWPrimeBalance(power: ArrayLike<number>, cp: number, wPrime: number): WPrimeBalanceLow | null {
  if (power.length === 0 || !(cp > 0) || !(wPrime > 0)) return null;
  const balance = wPrimeBalance(power, cp, wPrime);
  let min = wPrime;
  let at = 0;
  for (let i = 0; i < balance.length; i++) {
    if (balance[i]! < min) {
      min = balance[i]!;
      at = i;
    }
  }
  let above = 0;
  for (let i = 0; i < power.length; i++) if ((power[i] ?? 0) > cp) above++;
  return { minJoules: min, minPercent: (min / wPrime) * 100, atSecond: at, secondsAboveCp: above };
}

/** True when a ride looks like an interval session by INTERVAL_RIDE_RULE. */
export function looksLikeIntervals(variabilityIndex: number | null, secondsAboveCp: number): boolean {
  return (
    (variabilityIndex !== null && variabilityIndex >= INTERVAL_RIDE_RULE.minVariabilityIndex) ||
    secondsAboveCp >= INTERVAL_RIDE_RULE.minSecondsAboveCp
  );
}
