import { describe, expect, it } from 'vitest';
import {
  aerobicDecoupling,
  averagePower,
  computeActivityMetrics,
  DEFAULT_RIDE_INTENSITY_FACTOR,
  DURATION_TSS_PER_HOUR,
  durationTss,
  estimatedPowerTss,
  intensityFactor,
  maxPower,
  trainingStressScore,
  variabilityIndex,
  workKilojoules,
  type ActivityMetrics,
} from '../../../../src/domain/metrics/index.js';
import { constant, makeActivity, makeStreams } from './fixtures.js';

const athlete = { ftp: 250, lthr: 170, maxHr: 190, restingHr: 50, sex: 'male' as const };

function expectNoNonFinite(metrics: ActivityMetrics): void {
  const visit = (value: unknown): void => {
    if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(metrics);
}

describe('constant power for an hour', () => {
  it('at FTP: NP = P, IF = 1, TSS = 100, VI = 1', () => {
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power: constant(3600, 250) }) }), athlete);
    expect(m.source).toBe('stream');
    expect(m.normalizedPower).toBe(250);
    expect(m.avgPower).toBe(250);
    expect(m.avgPowerNoZeros).toBe(250);
    expect(m.intensityFactor).toBe(1);
    expect(m.tss).toBeCloseTo(100, 10);
    expect(m.variabilityIndex).toBe(1);
    expect(m.workKilojoules).toBe(900);
    expect(m.maxPower).toBe(250);
    expect(m.movingSeconds).toBe(3600);
    expect(m.load).toBeCloseTo(100, 10);
    expect(m.loadSource).toBe('power');
    expectNoNonFinite(m);
  });

  it('below FTP: IF = P/FTP and TSS = IF² × 100', () => {
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power: constant(3600, 200) }) }), athlete);
    expect(m.intensityFactor).toBeCloseTo(0.8, 12);
    expect(m.tss).toBeCloseTo(64, 10);
  });
});

describe('power figures', () => {
  it('averages with and without zeros, work and max ignore NaN', () => {
    const power = [0, 0, 100, 200, NaN, 300];
    expect(averagePower(power)).toBeCloseTo(100, 12); // 600 / 6
    expect(averagePower(power, { includeZeros: false })).toBeCloseTo(200, 12); // 600 / 3
    expect(averagePower([0, NaN], { includeZeros: false })).toBeNull();
    expect(averagePower([])).toBeNull();
    expect(workKilojoules(power)).toBeCloseTo(0.6, 12);
    expect(maxPower(power)).toBe(300);
    expect(maxPower([NaN])).toBeNull();
  });

  it('IF, TSS and VI are null when an input is missing', () => {
    expect(intensityFactor(250, null)).toBeNull();
    expect(intensityFactor(250, 0)).toBeNull();
    expect(intensityFactor(null, 250)).toBeNull();
    expect(trainingStressScore(250, 3600, null)).toBeNull();
    expect(trainingStressScore(250, null, 250)).toBeNull();
    expect(variabilityIndex(250, 0)).toBeNull();
  });

  it('2 h, 1 h at 100 W then 1 h at 300 W: VI > 1 and TSS from moving hours', () => {
    const m = computeActivityMetrics(
      makeActivity({ streams: makeStreams({ power: [...constant(3600, 100), ...constant(3600, 300)] }) }),
      athlete,
    );
    expect(m.avgPower).toBe(200);
    expect(m.variabilityIndex).toBeCloseTo(m.normalizedPower! / 200, 12);
    expect(m.tss).toBeCloseTo(2 * (m.normalizedPower! / 250) ** 2 * 100, 10);
  });

  it('a ride shorter than 30 s has NP, IF, TSS and VI null but an average', () => {
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power: constant(20, 300) }) }), athlete);
    expect(m.normalizedPower).toBeNull();
    expect(m.intensityFactor).toBeNull();
    expect(m.tss).toBeNull();
    expect(m.variabilityIndex).toBeNull();
    expect(m.avgPower).toBe(300);
    expectNoNonFinite(m);
  });

  it('no FTP: IF, TSS and power zones null, NP still computed; the load falls back to ride time', () => {
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power: constant(600, 200) }) }), { ftp: null });
    expect(m.normalizedPower).toBe(200);
    expect(m.intensityFactor).toBeNull();
    expect(m.tss).toBeNull();
    expect(m.powerZones).toBeNull();
    // was: no load at all; now every ride has one (the duration rung of the ladder)
    expect(m.load).toBeCloseTo((600 / 3600) * DURATION_TSS_PER_HOUR, 10);
    expect(m.loadSource).toBe('duration');
  });
});

describe('power zones', () => {
  it('puts each second in its Coggan zone, lower bounds inclusive, NaN as Z1', () => {
    // FTP 200: bounds 110, 150, 180, 210, 240, 300 W.
    const power = [0, NaN, 109, 110, 149, 150, 179, 180, 209, 210, 239, 240, 299, 300, 1000];
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power }) }), { ftp: 200 });
    expect(m.powerZones?.lowerBounds).toEqual([0, 110, 150, 180, 210, 240, 300]);
    expect(m.powerZones?.seconds).toEqual([3, 2, 2, 2, 2, 2, 2]);
  });
});

describe('heart rate', () => {
  it('EF = NP / avg HR and decoupling from the two halves', () => {
    const power = constant(3600, 200);
    const heartRate = [...constant(1800, 140), ...constant(1800, 147)];
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power, heartRate }) }), athlete);
    expect(m.avgHeartRate).toBeCloseTo(143.5, 10);
    expect(m.maxHeartRate).toBe(147);
    expect(m.efficiencyFactor).toBeCloseTo(200 / 143.5, 10);
    const ef1 = 200 / 140;
    const ef2 = 200 / 147;
    expect(m.aerobicDecouplingPercent).toBeCloseTo(((ef1 - ef2) / ef1) * 100, 10); // 4.76 %
    expect(aerobicDecoupling(power, constant(3600, 150))).toBeCloseTo(0, 12);
  });

  it('decoupling is null without heart rate or with halves under 30 s', () => {
    expect(aerobicDecoupling(constant(50, 200), constant(50, 140))).toBeNull();
    expect(aerobicDecoupling(constant(600, 200), constant(600, NaN))).toBeNull();
  });

  it('time in Friel LTHR zones', () => {
    // LTHR 170: bounds 137.7, 153, 159.8, 170 bpm.
    const heartRate = [0, NaN, 120, 137, 138, 152, 153, 159, 160, 169, 170, 185];
    const m = computeActivityMetrics(makeActivity({ sport: 'running', power: 'none', streams: makeStreams({ heartRate }) }), athlete);
    expect(m.heartRateZones?.basis).toBe('lthr');
    expect(m.heartRateZones?.seconds).toEqual([2, 2, 2, 2, 2]);
  });

  it('time in max-HR zones when LTHR is unknown, none without either', () => {
    // Max HR 200: bounds 120, 140, 160, 180 bpm.
    const heartRate = [100, 119, 120, 139, 140, 159, 160, 179, 180, 200];
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ heartRate }) }), { ftp: null, maxHr: 200 });
    expect(m.heartRateZones?.basis).toBe('max-hr');
    expect(m.heartRateZones?.lowerBounds).toEqual([0, 120, 140, 160, 180]);
    expect(m.heartRateZones?.seconds).toEqual([2, 2, 2, 2, 2]);
    expect(computeActivityMetrics(makeActivity({ streams: makeStreams({ heartRate }) }), { ftp: null }).heartRateZones).toBeNull();
  });

  it('a ride without power gets hrTSS as its load', () => {
    const m = computeActivityMetrics(makeActivity({ power: 'none', streams: makeStreams({ heartRate: constant(3600, 170) }) }), athlete);
    expect(m.tss).toBeNull();
    expect(m.hrTss).toBeCloseTo(100, 10);
    expect(m.load).toBeCloseTo(100, 10);
    expect(m.loadSource).toBe('heart-rate');
    expect(m.trimp).toBeGreaterThan(0);
  });
});

describe('which power counts', () => {
  const streams = makeStreams({ power: constant(3600, 300), heartRate: constant(3600, 150) });

  it('ignores a run’s power', () => {
    const m = computeActivityMetrics(makeActivity({ sport: 'running', streams }), athlete);
    expect(m.hasCyclingPower).toBe(false);
    for (const key of [
      'avgPower',
      'normalizedPower',
      'maxPower',
      'workKilojoules',
      'tss',
      'intensityFactor',
      'efficiencyFactor',
      'aerobicDecouplingPercent',
      'powerZones',
    ] as const) {
      expect(m[key]).toBeNull();
    }
    expect(m.powerCurve).toEqual({});
    expect(m.loadSource).toBe('heart-rate');
  });

  it('ignores estimated power on a ride, from streams or summary', () => {
    const fromStreams = computeActivityMetrics(makeActivity({ power: 'estimated', streams }), athlete);
    expect(fromStreams.normalizedPower).toBeNull();
    expect(fromStreams.tss).toBeNull();
    expect(fromStreams.powerCurve).toEqual({});
    const fromSummary = computeActivityMetrics(
      makeActivity({ sourceKind: 'strava-csv', power: 'estimated', avgPower: 180, normalizedPower: 200, timerSeconds: 3600 }),
      athlete,
    );
    expect(fromSummary.avgPower).toBeNull();
    expect(fromSummary.normalizedPower).toBeNull();
    expect(fromSummary.tss).toBeNull();
  });

  it('treats an all-NaN power stream as no power', () => {
    const m = computeActivityMetrics(makeActivity({ streams: makeStreams({ power: constant(600, NaN) }) }), athlete);
    expect(m.avgPower).toBeNull();
    expect(m.normalizedPower).toBeNull();
    expectNoNonFinite(m);
  });
});

describe('summary-only activities (Strava CSV)', () => {
  it('uses the summary NP, average power and timer time', () => {
    const m = computeActivityMetrics(
      makeActivity({ sourceKind: 'strava-csv', avgPower: 200, normalizedPower: 225, timerSeconds: 7200, avgHeartRate: 150, maxPower: 800 }),
      athlete,
    );
    expect(m.source).toBe('summary');
    expect(m.movingSeconds).toBe(7200);
    expect(m.normalizedPower).toBe(225);
    expect(m.avgPower).toBe(200);
    expect(m.avgPowerNoZeros).toBeNull();
    expect(m.intensityFactor).toBeCloseTo(0.9, 12);
    expect(m.tss).toBeCloseTo(2 * 0.81 * 100, 10);
    expect(m.variabilityIndex).toBeCloseTo(1.125, 12);
    expect(m.efficiencyFactor).toBeCloseTo(1.5, 12);
    expect(m.workKilojoules).toBeCloseTo(1440, 10);
    expect(m.maxPower).toBe(800);
    expect(m.powerCurve).toEqual({});
    expect(m.powerZones).toBeNull();
    expect(m.hrTss).toBeCloseTo(2 * ((150 - 50) / (170 - 50)) ** 2 * 100, 10);
    expectNoNonFinite(m);
  });

  it('prefers moving time and stated kJ, and gives nulls with nothing to go on', () => {
    const m = computeActivityMetrics(
      makeActivity({ sourceKind: 'strava-csv', avgPower: 200, movingSeconds: 3000, timerSeconds: 3600, workKilojoules: 610 }),
      athlete,
    );
    expect(m.movingSeconds).toBe(3000);
    expect(m.workKilojoules).toBe(610);
    expect(m.normalizedPower).toBeNull();
    expect(m.tss).toBeNull();
    const empty = computeActivityMetrics(makeActivity({ sourceKind: 'strava-csv', power: 'none' }), { ftp: null });
    expect(empty.movingSeconds).toBeNull();
    expect(empty.load).toBeNull();
    expect(empty.trimp).toBeNull();
    expectNoNonFinite(empty);
  });
});

describe("the load ladder: measured power, heart rate, Strava's estimated power, ride time", () => {
  const csvRide = (overrides: Parameters<typeof makeActivity>[0] = {}) =>
    makeActivity({ sourceKind: 'strava-csv', movingSeconds: 7200, ...overrides });

  it('1. measured power with an FTP: TSS, even when heart rate is there too', () => {
    const m = computeActivityMetrics(csvRide({ power: 'measured', avgPower: 200, normalizedPower: 225, avgHeartRate: 150 }), athlete);
    expect(m.loadSource).toBe('power');
    expect(m.load).toBeCloseTo(2 * 0.9 ** 2 * 100, 10);
    expect(m.load).toBe(m.tss);
  });

  it("2. heart rate before Strava's estimated power", () => {
    const m = computeActivityMetrics(csvRide({ power: 'estimated', avgPower: 180, avgHeartRate: 150 }), athlete);
    expect(m.loadSource).toBe('heart-rate');
    expect(m.load).toBeCloseTo(2 * ((150 - 50) / (170 - 50)) ** 2 * 100, 10);
    // an LTHR from max HR only, or an assumed resting HR: flagged
    expect(
      computeActivityMetrics(csvRide({ power: 'estimated', avgPower: 180, avgHeartRate: 150 }), { ftp: 250, maxHr: 190 }).loadSource,
    ).toBe('heart-rate-estimated');
  });

  it("3. Strava's estimated power as NP: Weighted Average Power first, else Average Watts; never a power figure", () => {
    const weighted = computeActivityMetrics(csvRide({ power: 'estimated', avgPower: 180, normalizedPower: 200 }), { ftp: 250 });
    expect(weighted.loadSource).toBe('estimated-power');
    expect(weighted.load).toBeCloseTo(2 * (200 / 250) ** 2 * 100, 10);
    expect(weighted.tss).toBeNull();
    expect(weighted.normalizedPower).toBeNull();
    expect(weighted.intensityFactor).toBeNull();
    const average = computeActivityMetrics(csvRide({ power: 'estimated', avgPower: 180 }), { ftp: 250 });
    expect(average.load).toBeCloseTo(2 * (180 / 250) ** 2 * 100, 10);
    expect(estimatedPowerTss({ sport: 'cycling', power: 'estimated', normalizedPower: null, avgPower: 180 }, 7200, 250)).toBeCloseTo(
      average.load!,
      10,
    );
    expect(estimatedPowerTss({ sport: 'running', power: 'estimated', normalizedPower: null, avgPower: 180 }, 7200, 250)).toBeNull();
    expect(estimatedPowerTss({ sport: 'cycling', power: 'measured', normalizedPower: null, avgPower: 180 }, 7200, 250)).toBeNull();
  });

  it("4. without an FTP, Strava's estimate cannot be TSS: ride time at IF 0.65, 42.25 TSS an hour", () => {
    expect(DEFAULT_RIDE_INTENSITY_FACTOR).toBe(0.65);
    expect(DURATION_TSS_PER_HOUR).toBe(42.25);
    const m = computeActivityMetrics(csvRide({ power: 'estimated', avgPower: 180 }), { ftp: null });
    expect(m.loadSource).toBe('duration');
    expect(m.load).toBeCloseTo(2 * 42.25, 10);
    const bare = computeActivityMetrics(csvRide({ power: 'none' }), athlete);
    expect(bare.loadSource).toBe('duration');
    expect(bare.load).toBeCloseTo(84.5, 10);
    expect(durationTss({ sport: 'cycling' }, 1800)).toBeCloseTo(21.125, 10);
    expect(durationTss({ sport: 'cycling' }, null)).toBeNull();
  });

  it('other sports: heart rate when they have it, else no load (a run is not ridden at IF 0.65)', () => {
    const run = computeActivityMetrics(csvRide({ sport: 'running', power: 'none', avgHeartRate: 150 }), athlete);
    expect(run.loadSource).toBe('heart-rate');
    expect(run.load).toBeGreaterThan(0);
    const hike = computeActivityMetrics(csvRide({ sport: 'hiking', power: 'estimated', avgPower: 120 }), athlete);
    expect(hike.load).toBeNull();
    expect(hike.loadSource).toBeNull();
  });

  it('a ride without any time has no load', () => {
    const m = computeActivityMetrics(makeActivity({ sourceKind: 'strava-csv', power: 'none' }), athlete);
    expect(m.load).toBeNull();
    expect(m.loadSource).toBeNull();
  });
});
