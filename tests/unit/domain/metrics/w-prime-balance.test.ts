import { describe, expect, it } from 'vitest';
import { isLongEnduranceRide } from '../../../../src/domain/metrics/decoupling-trend.js';
import { looksLikeIntervals, lowestWPrimeBalance, wPrimeBalance } from '../../../../src/domain/metrics/w-prime-balance.js';

const repeat = (watts: number, seconds: number): number[] => Array.from({ length: seconds }, () => watts);

describe("W′ balance (Skiba's differential model)", () => {
  const cp = 250;
  const wPrime = 20_000;

  it('spends (P − CP) joules a second above CP and stays full below CP', () => {
    // 10 s at 150 W (full tank stays full), then 60 s at 350 W: 100 J/s for 60 s.
    const bal = wPrimeBalance([...repeat(150, 10), ...repeat(350, 60)], cp, wPrime);
    expect(bal[9]).toBe(20_000);
    expect(bal[10]).toBe(19_900);
    expect(bal[69]).toBe(14_000);
  });

  it('recovers at (W′ − W′bal) · (CP − P) / W′ per second below CP', () => {
    const bal = wPrimeBalance([...repeat(350, 60), 150, 150], cp, wPrime);
    // 14 000 + 6 000 · 100 / 20 000 = 14 030; then 14 030 + 5 970 · 0.005 = 14 059.85
    expect(bal[60]).toBeCloseTo(14_030, 9);
    expect(bal[61]).toBeCloseTo(14_059.85, 9);
    // At exactly CP nothing is spent or recovered.
    expect(wPrimeBalance([...repeat(350, 10), 250], cp, wPrime)[10]).toBe(19_000);
  });

  it('finds the lowest balance of two intervals, in J and % of W′, with the time above CP', () => {
    // 2 × (60 s at 400 W, 60 s at 100 W): −9 000 J, +recovery, −9 000 J.
    const power = [...repeat(400, 60), ...repeat(100, 60), ...repeat(400, 60), ...repeat(100, 60)];
    const low = lowestWPrimeBalance(power, cp, wPrime)!;
    // Recovery over 60 s at 100 W: the gap 9 000 J shrinks by (1 − 150/20 000) each second.
    const afterRest = 20_000 - 9_000 * (1 - 150 / 20_000) ** 60;
    expect(low.minJoules).toBeCloseTo(afterRest - 9_000, 6);
    expect(low.minPercent).toBeCloseTo(((afterRest - 9_000) / 20_000) * 100, 6);
    expect(low.atSecond).toBe(179);
    expect(low.secondsAboveCp).toBe(120);
  });

  it('counts dropouts (NaN) as 0 W, keeps a ride beyond the model below zero, and needs a CP model', () => {
    expect(wPrimeBalance([350, Number.NaN, 350], cp, wPrime)[1]).toBeCloseTo(19_900 + (100 * 250) / 20_000, 9);
    expect(lowestWPrimeBalance(repeat(500, 100), cp, wPrime)!.minJoules).toBe(-5_000);
    expect(lowestWPrimeBalance([], cp, wPrime)).toBeNull();
    expect(lowestWPrimeBalance([300], 0, wPrime)).toBeNull();
  });

  it('calls a ride an interval session by variability index ≥ 1.10 or ≥ 5 min above CP', () => {
    expect(looksLikeIntervals(1.1, 0)).toBe(true);
    expect(looksLikeIntervals(1.05, 300)).toBe(true);
    expect(looksLikeIntervals(1.05, 299)).toBe(false);
    expect(looksLikeIntervals(null, 0)).toBe(false);
  });
});

describe('long endurance rides (for the decoupling trend)', () => {
  it('are ≥ 90 min of moving time at IF ≤ 0.80', () => {
    expect(isLongEnduranceRide(5400, 0.8)).toBe(true);
    expect(isLongEnduranceRide(5399, 0.7)).toBe(false);
    expect(isLongEnduranceRide(7200, 0.81)).toBe(false);
    expect(isLongEnduranceRide(7200, null)).toBe(false);
  });
});
