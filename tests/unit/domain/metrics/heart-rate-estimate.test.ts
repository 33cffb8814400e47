import { describe, expect, it } from 'vitest';
import { bestMeanHeartRate, estimateHeartRateAnchors, sustainedMaxHeartRate } from '../../../../src/domain/metrics/heart-rate-estimate.js';
import { computeActivityMetrics } from '../../../../src/domain/metrics/index.js';
import { constant, makeActivity, makeStreams } from './fixtures.js';

const DAY = 86_400_000;
const start = (daysAgo: number) => new Date(Date.parse('2026-06-01T08:00:00Z') - daysAgo * DAY);

/** A ride: `base` bpm, a 20-min block at `block` bpm, and a 30-s sprint peaking at `peak`. */
function ride(
  id: string,
  daysAgo: number,
  options: { base?: number; block?: number; peak?: number; spike?: number; power?: boolean; sport?: 'cycling' | 'running' } = {},
) {
  const hr = [
    ...constant(1200, options.base ?? 130),
    ...constant(1200, options.block ?? 150),
    ...constant(30, options.peak ?? 170),
    ...constant(600, options.base ?? 130),
  ];
  if (options.spike) hr[100] = options.spike; // one strap artefact sample
  const power = options.power === false ? null : constant(hr.length, 200);
  return makeActivity({
    id,
    sport: options.sport ?? 'cycling',
    startTime: start(daysAgo),
    streams: makeStreams({ heartRate: hr, power }),
    power: options.power === false ? 'none' : 'measured',
  });
}

describe('heart-rate helpers', () => {
  it('sustainedMaxHeartRate: the best 5-s mean, so one spike does not count', () => {
    const hr = [...constant(60, 150), 215, ...constant(60, 150), 171, 172, 173, 174, 175, ...constant(10, 150)];
    expect(sustainedMaxHeartRate(hr)).toBe(173);
    expect(sustainedMaxHeartRate([180, 181])).toBeNull();
  });

  it('bestMeanHeartRate drops implausible readings and needs the coverage', () => {
    expect(bestMeanHeartRate([...constant(10, 160), 250, 0], 12, 0.8)).toBe(160);
    expect(bestMeanHeartRate([...constant(5, 160), ...constant(7, 0)], 12, 0.8)).toBeNull();
  });
});

describe('estimateHeartRateAnchors', () => {
  it('max HR = highest 5-s HR of the last 12 months of rides; LTHR = 95 % of the best 20-min HR on rides with power', () => {
    const estimate = estimateHeartRateAnchors([
      ride('a', 10, { peak: 182, block: 168 }),
      ride('b', 40, { peak: 186, block: 160, spike: 219 }), // the spike is one sample: no 5-s max
      ride('old', 400, { peak: 199, block: 190 }), // more than 12 months before the latest ride
      ride('run', 5, { peak: 196, block: 185, sport: 'running' }), // running HR runs higher: not used
      ride('nopower', 20, { peak: 180, block: 175, power: false }), // counts for max HR, not for LTHR
    ]);
    expect(estimate).toEqual({
      maxHr: 186,
      lthr: Math.round(0.95 * 168),
      maxHrBasis: 'sustained-5-s',
      lthrBasis: 'best-20-min',
      best20MinHr: 168,
      rides: 3,
    });
  });

  it('keeps LTHR within 85–95 % of max HR: easy rides only give 85 %', () => {
    // best 20 min: 1170 s at 135 and the 30-s sprint at 180 → 136 bpm; 0.95 × 136 = 129 < 0.85 × 180 = 153
    const estimate = estimateHeartRateAnchors([ride('a', 1, { peak: 180, block: 135 })]);
    expect(estimate).toMatchObject({ maxHr: 180, lthr: 153, lthrBasis: 'best-20-min', best20MinHr: 136 });
  });

  it('without 20 min of HR on a ride with power, LTHR is 90 % of max HR', () => {
    const estimate = estimateHeartRateAnchors([ride('a', 1, { peak: 180, power: false })]);
    expect(estimate).toMatchObject({ maxHr: 180, lthr: 162, lthrBasis: 'share-of-max', best20MinHr: null });
  });

  it('summaries only: the second-highest ride max, so one spike cannot set it', () => {
    const summary = (id: string, max: number) => makeActivity({ id, startTime: start(1), maxHeartRate: max });
    expect(estimateHeartRateAnchors([summary('a', 204), summary('b', 184), summary('c', 176)])).toMatchObject({
      maxHr: 184,
      lthr: 166,
      maxHrBasis: 'second-highest-summary-max',
    });
    expect(estimateHeartRateAnchors([summary('a', 184)])).toMatchObject({ maxHr: 184 });
  });

  it('no estimate without heart rate, or without any effort worth a max', () => {
    expect(estimateHeartRateAnchors([makeActivity()])).toBeNull();
    expect(estimateHeartRateAnchors([ride('a', 1, { base: 100, block: 110, peak: 120 })])).toBeNull();
    expect(estimateHeartRateAnchors([])).toBeNull();
  });

  it('gives heart-rate zones and hrTSS to a ride without power', () => {
    const r = ride('a', 1, { peak: 180, power: false });
    expect(computeActivityMetrics(r, { ftp: null }).heartRateZones).toBeNull(); // the "No heart-rate data" of the report
    const estimate = estimateHeartRateAnchors([r])!;
    const metrics = computeActivityMetrics(r, { ftp: null, maxHr: estimate.maxHr, lthr: estimate.lthr });
    expect(metrics.heartRateZones?.seconds.reduce((a, b) => a + b, 0)).toBe(r.streams!.heartRate!.length);
    expect(metrics.hrTss).toBeGreaterThan(0);
  });
});
