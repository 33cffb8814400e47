/** criticalPowerModel: which power-duration model to trust, with a confidence and a reason for the athlete. */
import { describe, expect, it } from 'vitest';
import { criticalPowerModel, PLAUSIBLE_W_PRIME_JOULES } from '../../../../src/domain/metrics/index.js';
import { curveFrom, twoParameter } from './fixtures.js';

describe('criticalPowerModel confidence', () => {
  it('no or one effort in 2–20 min: confidence none with a reason', () => {
    const none = criticalPowerModel({ 5: 900, 60: 500 });
    expect(none.confidence).toBe('none');
    expect(none.eftp).toBeNull();
    expect(none.reason).toMatch(/Only 0 maximal efforts/);
    const one = criticalPowerModel({ 5: 900, 60: 500, 300: 350 });
    expect(one.confidence).toBe('none');
    expect(one.reason).toMatch(/Only 1 maximal effort /);
  });

  it('two efforts: confidence low', () => {
    const model = criticalPowerModel({ 180: 400, 600: 320 });
    expect(model.confidence).toBe('low');
    expect(model.eftp).not.toBeNull();
    expect(model.reason).toMatch(/Only 2/);
  });

  it('flat, sub-maximal bests: W′ too small → low; inverted → none', () => {
    // Steady rides only: 2 min best barely above 20 min best.
    const flat = criticalPowerModel({ 120: 215, 180: 214, 300: 212, 600: 209, 1200: 205 });
    expect(flat.confidence).toBe('low');
    expect(flat.reason).toMatch(/sub-maximal/);
    const inverted = criticalPowerModel({ 120: 200, 300: 200, 1200: 200 });
    expect(inverted.confidence).toBe('none');
    expect(inverted.eftp).toBeNull();
  });

  it('three points or an incomplete span: medium', () => {
    const model = criticalPowerModel(curveFrom(twoParameter(280, 20_000), [120, 300, 600]));
    expect(model.confidence).toBe('medium');
  });

  it('scattered bests: low on r²', () => {
    const model = criticalPowerModel({ 120: 420, 180: 330, 300: 370, 480: 300, 600: 330, 720: 290, 1200: 300 });
    expect(model.confidence).toBe('low');
    expect(model.reason).toMatch(/r²/);
  });

  it('W′ above the plausible range: low, and the eFTP is still given', () => {
    expect(PLAUSIBLE_W_PRIME_JOULES.max).toBe(50_000);
    const model = criticalPowerModel(curveFrom(twoParameter(250, 80_000), [120, 180, 300, 600, 1200], false));
    expect(model.confidence).toBe('low');
    expect(model.reason).toMatch(/implausibly high/);
    expect(model.eftp).toBeCloseTo(250, 6);
  });

  it('keeps every fit for inspection, and no 60-min power without bests around an hour', () => {
    const model = criticalPowerModel(curveFrom(twoParameter(280, 20_000), [5, 60, 120, 300, 600, 1200]));
    expect(model.twoParameter).not.toBeNull();
    expect(model.threeParameter).not.toBeNull();
    expect(model.longDuration).toBeNull();
    expect(model.power60Min).toBeNull();
  });
});
