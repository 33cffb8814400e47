import { describe, expect, it } from 'vitest';
import {
  criticalPowerModel,
  fitLongDurationPowerLaw,
  fitMortonThreeParameter,
  fitTwoParameterCp,
  pointsInRange,
  seasonCurveWatts,
  seasonPowerCurve,
  powerLawWatts,
  STANDARD_DURATIONS_SECONDS,
  type ActivityPowerCurve,
} from '../../../../src/domain/metrics/index.js';
import { curveFrom, twoParameter } from './fixtures.js';

const morton = (cp: number, wPrime: number, pmax: number) => (t: number) => cp + wPrime / (t + wPrime / (pmax - cp));

describe('seasonPowerCurve', () => {
  const curves: ActivityPowerCurve[] = [
    { activityId: 'a', date: '2024-03-01', curve: { 5: 900, 60: 450, 1200: 280 } },
    { activityId: 'b', date: '2024-04-01', curve: { 5: 1000, 60: 430, 1200: 280, 3600: 250 } },
    { activityId: 'c', date: '2024-06-01', curve: { 5: 1200, 60: 500 } },
  ];

  it('keeps the best of bests and where each came from, newest on ties', () => {
    const season = seasonPowerCurve(curves);
    expect(season[5]).toEqual({ watts: 1200, activityId: 'c', date: '2024-06-01' });
    expect(season[1200]).toEqual({ watts: 280, activityId: 'b', date: '2024-04-01' });
    expect(season[3600]).toEqual({ watts: 250, activityId: 'b', date: '2024-04-01' });
    expect(seasonCurveWatts(season)).toEqual({ 5: 1200, 60: 500, 1200: 280, 3600: 250 });
  });

  it('only counts activities inside the window (inclusive)', () => {
    const season = seasonPowerCurve(curves, { from: '2024-03-01', to: '2024-05-31' });
    expect(season[5]).toEqual({ watts: 1000, activityId: 'b', date: '2024-04-01' });
    expect(season[60]).toEqual({ watts: 450, activityId: 'a', date: '2024-03-01' });
    expect(seasonPowerCurve(curves, { from: '2025-01-01' })).toEqual({});
  });
});

describe('two-parameter critical power', () => {
  it('recovers CP 280 W and W′ 20 kJ within 2 % from bests at the standard durations', () => {
    const model = criticalPowerModel(curveFrom(twoParameter(280, 20_000), STANDARD_DURATIONS_SECONDS));
    const fit = model.twoParameter!;
    expect(fit.points).toBe(7); // 2, 3, 5, 8, 10, 12, 20 min
    expect(Math.abs(fit.cp - 280) / 280).toBeLessThan(0.02);
    expect(Math.abs(fit.wPrime - 20_000) / 20_000).toBeLessThan(0.02);
    expect(fit.r2).toBeGreaterThan(0.99);
    expect(model.confidence).toBe('high');
    expect(model.eftp).toBeCloseTo(fit.cp, 12);
    // The 60-min power comes from the long-duration power law (bests from 20 min to 5 h here), not CP + W′/3600.
    expect(model.power60Min).toBeCloseTo(powerLawWatts(model.longDuration!, 3600), 12);
  });

  it('is exact on unrounded data', () => {
    const fit = fitTwoParameterCp(curveFrom(twoParameter(300, 15_000), [120, 300, 600, 1200], false))!;
    expect(fit.cp).toBeCloseTo(300, 8);
    expect(fit.wPrime).toBeCloseTo(15_000, 5);
  });
});

describe('Morton three-parameter model', () => {
  it('recovers CP, W′ and Pmax from three-parameter data', () => {
    const durations = STANDARD_DURATIONS_SECONDS.filter((t) => t <= 1200);
    const fit = fitMortonThreeParameter(curveFrom(morton(250, 18_000, 1100), durations, false))!;
    expect(fit.cp).toBeCloseTo(250, 4);
    expect(fit.wPrime).toBeCloseTo(18_000, 1);
    expect(fit.pmax).toBeCloseTo(1100, 2);
    expect(fit.r2).toBeCloseTo(1, 10);
  });

  it('stays within 2 % on data rounded to 1 W', () => {
    const durations = STANDARD_DURATIONS_SECONDS.filter((t) => t <= 1200);
    const fit = fitMortonThreeParameter(curveFrom(morton(320, 25_000, 1500), durations))!;
    expect(Math.abs(fit.cp - 320) / 320).toBeLessThan(0.02);
    expect(Math.abs(fit.wPrime - 25_000) / 25_000).toBeLessThan(0.02);
    expect(Math.abs(fit.pmax - 1500) / 1500).toBeLessThan(0.02);
    expect(fit.rmsePercent).toBeLessThan(0.5);
  });

  it('needs a short effort and two in 2–20 min', () => {
    expect(fitMortonThreeParameter({ 120: 400, 300: 350, 600: 320, 1200: 300 })).toBeNull();
    expect(fitMortonThreeParameter({ 5: 1000, 30: 600, 60: 500, 1200: 300 })).toBeNull();
  });

  it('is reported alongside the two-parameter fit', () => {
    const model = criticalPowerModel(curveFrom(morton(250, 18_000, 1100), STANDARD_DURATIONS_SECONDS));
    expect(model.threeParameter?.cp).toBeCloseTo(250, 0);
    // The 2-parameter line through Morton data sits a little above the Morton CP.
    expect(model.twoParameter!.cp).toBeGreaterThan(250);
  });
});

describe('long-duration model (power law from 20 min on)', () => {
  const powerLaw = (a: number, b: number) => (t: number) => a * t ** b;
  const LONG = STANDARD_DURATIONS_SECONDS.filter((t) => t >= 1200);

  it('recovers a power-law curve within 1 % from 20 min to 5 h, between the bests too', () => {
    // 300 W at 20 min falling to ~230 W at 5 h (exponent −0.1), rounded to 1 W as the bests are.
    const truth = powerLaw(300 * 1200 ** 0.1, -0.1);
    const fit = fitLongDurationPowerLaw(curveFrom(truth, STANDARD_DURATIONS_SECONDS))!;
    expect(fit.points).toBe(LONG.length);
    expect(fit.shortestSeconds).toBe(1200);
    expect(fit.longestSeconds).toBe(18_000);
    expect(fit.b).toBeCloseTo(-0.1, 2);
    expect(fit.rmsePercent).toBeLessThan(0.5);
    for (const t of [1200, 1500, 2400, 3600, 4500, 7200, 10_000, 18_000]) {
      expect(Math.abs(powerLawWatts(fit, t) - truth(t)) / truth(t), `${t} s`).toBeLessThan(0.01);
    }
    expect(fitLongDurationPowerLaw(curveFrom(truth, LONG, false))!.b).toBeCloseTo(-0.1, 10);
  });

  it('needs two bests from 20 min on and a non-increasing fit', () => {
    expect(fitLongDurationPowerLaw({ 300: 350, 1200: 300 })).toBeNull();
    expect(fitLongDurationPowerLaw({ 1200: 300, 3600: 260 })).not.toBeNull();
    expect(fitLongDurationPowerLaw({ 1200: 250, 3600: 260 })).toBeNull();
  });

  it('the 1-h figure never comes from the two-parameter model outside its 2–20 min range', () => {
    // The rider: 2–20 min bests that fit CP ≈ 240 W, W′ ≈ 20 kJ, and a real best hour of 206 W.
    const curve = {
      ...curveFrom(twoParameter(240, 20_000), [120, 180, 300, 480, 600, 720, 1200]),
      1800: 230,
      2700: 215,
      3600: 206,
      7200: 185,
    };
    const model = criticalPowerModel(curve);
    const two = model.twoParameter!;
    expect(two.cp + two.wPrime / 3600).toBeGreaterThan(240); // what used to be shown at 1 h
    expect(model.longDuration!.longestSeconds).toBe(7200);
    expect(Math.abs(model.power60Min! - 206) / 206).toBeLessThan(0.03);
    // Bests stopping short of an hour: no 60-min figure at all.
    const short = criticalPowerModel(curveFrom(twoParameter(240, 20_000), [120, 180, 300, 600, 1200, 1800]));
    expect(short.eftp).not.toBeNull();
    expect(short.longDuration?.longestSeconds).toBe(1800);
    expect(short.power60Min).toBeNull();
  });
});

describe('pointsInRange', () => {
  it('keeps the positive bests within [min, max] seconds, by duration', () => {
    expect(pointsInRange({ 1200: 280, 5: 900, 120: 400, 300: 0, 3600: 250 }, 5, 1200)).toEqual([
      [5, 900],
      [120, 400],
      [1200, 280],
    ]);
    expect(pointsInRange({ 60: 500 }, 120, 1200)).toEqual([]);
  });
});
