import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import FitParser from 'fit-file-parser';
import { Decoder, Stream } from '@garmin/fitsdk';
import type { ParsedFit } from 'fit-file-parser';
import { fitSportId, fitSubSportId } from '../../../src/synthetic/fit-profile.js';
import type { FitRecordSample, FitSessionSpec } from '../../../src/synthetic/fit-spec.js';
import { encodeActivityFit } from '../../../src/synthetic/fit-writer.js';
import { mulberry32 } from '../../../src/synthetic/random.js';
import { syntheticRide } from '../../../src/synthetic/synthetic-ride.js';
import { syntheticRun } from '../../../src/synthetic/synthetic-run.js';
import { syntheticSeason } from '../../../src/synthetic/synthetic-season.js';

const T0 = new Date('2024-05-01T08:00:00Z');
const at = (s: number, base = T0): Date => new Date(base.getTime() + s * 1000);

async function parse(bytes: Uint8Array): Promise<ParsedFit> {
  // force: false makes the parser check both CRCs and fail on anything malformed.
  return new FitParser({ force: false }).parseAsync(Buffer.from(bytes));
}

const keys = (o: object): string[] => Object.keys(o);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (d: number): number => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

/** A small hand-made ride: 0–4 s, a timer stop from 5 s to 20 s, then 20–24 s; record 2 has no power, record 3 no GPS. */
function handMadeSession(): FitSessionSpec {
  const seconds = [0, 1, 2, 3, 4, 20, 21, 22, 23, 24];
  const records: FitRecordSample[] = seconds.map((s, i) => ({
    time: at(s),
    power: i === 2 ? undefined : 150 + 10 * i,
    heartRate: 120 + i,
    cadence: i === 4 ? 0 : 85 + i,
    speed: 8.123 + i / 10,
    distance: 8.4567 * i,
    altitude: 101.3 + i,
    latitude: i === 3 ? undefined : 41.98 + i * 1e-4,
    longitude: i === 3 ? undefined : 2.82 - i * 1e-4,
  }));
  return {
    sport: 'cycling',
    subSport: 'road',
    startTime: T0,
    records,
    timerStops: [{ stop: at(5), start: at(20) }],
    laps: [
      { start: at(0), end: at(21) },
      { start: at(21), end: at(24) },
    ],
    device: { normalizedPower: 212, tss: 87.4, ftp: 250, intensityFactor: 0.848 },
  };
}

describe('encodeActivityFit', () => {
  it('round-trips records through fit-file-parser (CRC checked) within scale rounding', async () => {
    const spec = handMadeSession();
    const parsed = await parse(encodeActivityFit([spec]));
    const records = parsed.records ?? [];
    expect(records).toHaveLength(spec.records.length);
    records.forEach((rec, i) => {
      const src = spec.records[i] as FitRecordSample;
      const r = rec as typeof rec & { timestamp?: Date };
      expect(r.timestamp?.getTime()).toBe(src.time.getTime());
      expect(rec.heart_rate).toBe(src.heartRate);
      expect(rec.cadence).toBe(src.cadence);
      expect(rec.speed).toBeCloseTo(src.speed as number, 3); // scale 1000
      expect(rec.distance).toBeCloseTo(src.distance as number, 2); // scale 100
      expect(Math.abs((rec.altitude as number) - (src.altitude as number))).toBeLessThanOrEqual(0.1 + 1e-9); // scale 5, offset 500
      if (src.power === undefined) expect(keys(rec)).not.toContain('power');
      else expect(rec.power).toBe(src.power);
      if (src.latitude === undefined) {
        expect(keys(rec)).not.toContain('position_lat');
        expect(keys(rec)).not.toContain('position_long');
      } else {
        expect(Math.abs((rec.position_lat as number) - src.latitude)).toBeLessThan(1e-7); // semicircles
        expect(Math.abs((rec.position_long as number) - (src.longitude as number))).toBeLessThan(1e-7);
      }
      expect(keys(rec)).not.toContain('enhanced_speed');
      expect(keys(rec)).not.toContain('enhanced_altitude');
    });
  });

  it('writes file_id, device_info, timer events, laps, the session with device figures, and the activity', async () => {
    const spec = handMadeSession();
    const parsed = await parse(
      encodeActivityFit([spec], { manufacturer: 1, product: 3121, serialNumber: 3456789012, timeZoneOffsetMinutes: 120 }),
    );
    expect(parsed.file_ids?.[0]).toMatchObject({ type: 'activity', manufacturer: 'garmin', product: 3121, serial_number: 3456789012 });
    expect(parsed.device_infos?.[0]).toMatchObject({ device_index: 'creator', manufacturer: 'garmin', product: 3121 });

    const events = (parsed.events ?? []).map((e) => [e.event, e.event_type, e.timestamp?.getTime()]);
    expect(events).toEqual([
      ['timer', 'start', at(0).getTime()],
      ['timer', 'stop_all', at(5).getTime()],
      ['timer', 'start', at(20).getTime()],
      ['timer', 'stop_all', at(24).getTime()],
    ]);

    const session = parsed.sessions?.[0];
    expect(parsed.sessions).toHaveLength(1);
    expect(session).toMatchObject({
      sport: 'cycling',
      sub_sport: 'road',
      total_elapsed_time: 24,
      total_timer_time: 9, // 24 s elapsed less the 15 s stop
      normalized_power: 212,
      training_stress_score: 87.4,
      intensity_factor: 0.848,
      threshold_power: 250,
      max_power: 240,
      max_heart_rate: 129,
      first_lap_index: 0,
      num_laps: 2,
    });
    expect(session?.start_time?.getTime()).toBe(T0.getTime());
    expect(session?.total_distance).toBeCloseTo(8.4567 * 9, 2);
    expect(session?.avg_heart_rate).toBeGreaterThanOrEqual(120);
    expect(session?.avg_power).toBeGreaterThan(150);

    const laps = parsed.laps ?? [];
    expect(laps).toHaveLength(2);
    expect(laps[0]?.start_time?.getTime()).toBe(at(0).getTime());
    expect(laps[0]?.total_elapsed_time).toBe(21);
    expect(laps[0]?.total_timer_time).toBe(6);
    expect(laps[0]?.total_distance).toBeCloseTo(8.4567 * 5, 2); // up to the record at 20 s
    expect(laps[1]?.start_time?.getTime()).toBe(at(21).getTime());
    expect(laps[1]?.total_timer_time).toBe(3);
    expect(laps[1]?.total_distance).toBeCloseTo(8.4567 * 4, 2);
    expect(laps[1]?.lap_trigger).toBe('session_end');

    expect(parsed.activity).toMatchObject({ num_sessions: 1, type: 'manual', total_timer_time: 9 });
    expect(parsed.activity.local_timestamp?.getTime()).toBe(at(24).getTime() + 7_200_000);
  });

  it('writes one whole-session lap by default, none for laps: [], and no device fields unless given', async () => {
    const base = handMadeSession();
    const defaulted = await parse(encodeActivityFit([{ ...base, laps: undefined, device: undefined }]));
    expect(defaulted.laps).toHaveLength(1);
    expect(defaulted.laps?.[0]?.total_timer_time).toBe(9);
    const session = defaulted.sessions?.[0] ?? {};
    for (const k of ['normalized_power', 'training_stress_score', 'intensity_factor', 'threshold_power'])
      expect(keys(session)).not.toContain(k);

    const none = await parse(encodeActivityFit([{ ...base, laps: [] }], { deviceInfo: false }));
    expect(none.laps).toHaveLength(0);
    expect(none.device_infos).toHaveLength(0);
    expect(none.sessions?.[0]?.num_laps).toBe(0);
  });

  it('writes enhanced_speed / enhanced_altitude instead of the legacy fields when asked', async () => {
    const spec = handMadeSession();
    const parsed = await parse(encodeActivityFit([spec], { enhancedFields: true }));
    const rec = (parsed.records?.[1] ?? {}) as Record<string, unknown>;
    expect(keys(rec)).not.toContain('speed');
    expect(keys(rec)).not.toContain('altitude');
    expect(rec.enhanced_speed as number).toBeCloseTo(8.223, 3);
    expect(Math.abs((rec.enhanced_altitude as number) - 102.3)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect((parsed.sessions?.[0] as Record<string, unknown>).enhanced_avg_speed).toBeTypeOf('number');
  });

  it('falls back to enhanced fields for values that do not fit the uint16 legacy fields', async () => {
    const records: FitRecordSample[] = [
      { time: at(0), speed: 70, altitude: 13_000 },
      { time: at(1), speed: 5, altitude: -600 },
    ];
    const parsed = await parse(encodeActivityFit([{ sport: 'generic', startTime: T0, records }]));
    const [a, b] = (parsed.records ?? []) as Record<string, unknown>[];
    expect(a?.enhanced_speed).toBeCloseTo(70, 3);
    expect(a?.enhanced_altitude).toBeCloseTo(13_000, 1);
    expect(b?.speed).toBeCloseTo(5, 3);
    expect(keys(b ?? {})).not.toContain('altitude');
    expect(b?.enhanced_altitude).toBe(-500); // FIT cannot go below -500 m: clamped to the floor
  });

  it('writes two sessions (cycling then running) with their own laps', async () => {
    const bike = syntheticRide({ seed: 3, startTime: T0, durationSeconds: 1800, ftp: 260 });
    const runStart = at(1800 + 120);
    const run = syntheticRun({ seed: 4, startTime: runStart, durationSeconds: 900 });
    const parsed = await parse(encodeActivityFit([bike, run]));
    expect(parsed.sessions).toHaveLength(2);
    expect(parsed.sessions?.map((s) => s.sport)).toEqual(['cycling', 'running']);
    expect(parsed.sessions?.[1]?.start_time?.getTime()).toBe(runStart.getTime());
    expect(parsed.sessions?.[1]?.first_lap_index).toBe(bike.laps?.length);
    expect(parsed.laps).toHaveLength((bike.laps?.length ?? 0) + (run.laps?.length ?? 0));
    expect(parsed.records).toHaveLength(bike.records.length + run.records.length);
    expect(parsed.activity).toMatchObject({ num_sessions: 2, type: 'auto_multi_sport', total_timer_time: 2700 });
  });

  it('is also read without errors by the official Garmin FIT SDK decoder', () => {
    const ride = syntheticRide({
      seed: 1,
      startTime: T0,
      durationSeconds: 1800,
      ftp: 250,
      pauses: 1,
      dropouts: true,
      smartRecording: true,
    });
    const run = syntheticRun({ seed: 1, startTime: at(3000), durationSeconds: 600 });
    for (const enhancedFields of [false, true]) {
      const decoder = new Decoder(Stream.fromByteArray(encodeActivityFit([ride, run], { enhancedFields })));
      expect(decoder.isFIT()).toBe(true);
      expect(decoder.checkIntegrity()).toBe(true);
      const { messages, errors } = decoder.read();
      expect(errors).toEqual([]);
      expect(messages.recordMesgs).toHaveLength(ride.records.length + run.records.length);
      expect(messages.sessionMesgs?.map((m) => [m.sport, m.totalTimerTime])).toEqual([
        ['cycling', 1800],
        ['running', 600],
      ]);
    }
  });

  it('writes a multisport file with one running timer and arbitrary events, read alike by both decoders', async () => {
    const leg = (sport: string, from: number, seconds: number): FitSessionSpec => ({
      sport,
      startTime: at(from),
      timerEvents: false,
      records: Array.from({ length: seconds + 1 }, (_, t) => ({ time: at(from + t), heartRate: 140 })),
    });
    const swim = {
      ...leg('swimming', 0, 600),
      events: [
        { time: at(-30), event: 'power_up', eventType: 'start' },
        { time: at(0), event: 'timer', eventType: 'start' },
      ],
    } satisfies FitSessionSpec;
    const bike = {
      ...leg('cycling', 600, 1200),
      events: [
        { time: at(650), event: 'power_up', eventType: 'stop_all' },
        { time: at(1200), event: 'timer', eventType: 'start', data: 7 },
      ],
    } satisfies FitSessionSpec;
    const run = {
      ...leg('running', 1800, 600),
      events: [{ time: at(2400), event: 'timer', eventType: 'stop_all' }],
    } satisfies FitSessionSpec;
    const bytes = encodeActivityFit([swim, bike, run]);
    const parsed = await parse(bytes);
    expect((parsed.events ?? []).map((e) => [e.event, e.event_type, e.timestamp?.getTime()])).toEqual([
      ['power_up', 'start', at(-30).getTime()],
      ['timer', 'start', at(0).getTime()],
      ['power_up', 'stop_all', at(650).getTime()],
      ['timer', 'start', at(1200).getTime()],
      ['timer', 'stop_all', at(2400).getTime()],
    ]);
    expect((parsed.events ?? [])[3]?.data).toBe(7);
    expect(parsed.sessions?.map((s) => [s.sport, s.total_timer_time])).toEqual([
      ['swimming', 600],
      ['cycling', 1200],
      ['running', 600],
    ]);

    const decoder = new Decoder(Stream.fromByteArray(bytes));
    expect(decoder.checkIntegrity()).toBe(true);
    const { messages, errors } = decoder.read();
    expect(errors).toEqual([]);
    expect(messages.eventMesgs?.map((m) => [m.event, m.eventType])).toEqual([
      ['powerUp', 'start'],
      ['timer', 'start'],
      ['powerUp', 'stopAll'],
      ['timer', 'start'],
      ['timer', 'stopAll'],
    ]);
    expect(messages.sessionMesgs?.map((m) => m.sport)).toEqual(['swimming', 'cycling', 'running']);
    expect(() => encodeActivityFit([{ ...swim, events: [{ time: at(0), event: 'nap', eventType: 'start' }] }])).toThrow(RangeError);
    expect(() => encodeActivityFit([{ ...swim, events: [{ time: at(0), event: 'timer', eventType: 'pause' as never }] }])).toThrow(
      RangeError,
    );
  });

  it('leaves out the session message or some of its fields when asked', async () => {
    const base: FitSessionSpec = {
      sport: 'cycling',
      startTime: T0,
      records: [
        { time: T0, power: 100 },
        { time: at(60), power: 120 },
      ],
    };
    const none = await parse(encodeActivityFit([{ ...base, sessionMessage: false, laps: [] }]));
    expect(none.sessions).toHaveLength(0);
    expect(none.laps).toHaveLength(0);
    expect(none.records).toHaveLength(2);
    const partial = await parse(
      encodeActivityFit([{ ...base, omitSessionFields: ['start_time', 'timestamp', 'sport'], omitLapFields: ['sport'] }]),
    );
    const session = (partial.sessions?.[0] ?? {}) as Record<string, unknown>;
    for (const k of ['start_time', 'timestamp', 'sport']) expect(keys(session)).not.toContain(k);
    expect(session.total_elapsed_time).toBe(60);
    expect(keys(partial.laps?.[0] ?? {})).not.toContain('sport');
    const decoder = new Decoder(Stream.fromByteArray(encodeActivityFit([{ ...base, omitSessionFields: ['start_time'] }])));
    expect(decoder.read().errors).toEqual([]);
  });

  it('maps sport and sub-sport names to FIT enum numbers', async () => {
    expect([fitSportId('generic'), fitSportId('running'), fitSportId('cycling'), fitSportId('transition'), fitSportId('swimming')]).toEqual(
      [0, 1, 2, 3, 5],
    );
    expect(['generic', 'indoor_cycling', 'road', 'mountain', 'gravel_cycling', 'virtual_activity'].map(fitSubSportId)).toEqual([
      0, 6, 7, 8, 46, 58,
    ]);
    expect(fitSportId('cross_country_skiing')).toBe(12); // anything in the profile
    expect(() => fitSportId('quidditch')).toThrow(RangeError);
    expect(() => fitSubSportId('broomstick')).toThrow(RangeError);
    for (const [sport, subSport] of [
      ['swimming', 'lap_swimming'],
      ['transition', 'generic'],
      ['cycling', 'virtual_activity'],
      ['cycling', 'gravel_cycling'],
    ] as const) {
      const parsed = await parse(encodeActivityFit([{ sport, subSport, startTime: T0, records: [{ time: T0, heartRate: 100 }] }]));
      expect(parsed.sessions?.[0]).toMatchObject({ sport, sub_sport: subSport });
    }
  });

  it('rejects records out of time order and timer stops that end before they start', () => {
    const records = [{ time: at(5) }, { time: at(4) }];
    expect(() => encodeActivityFit([{ sport: 'cycling', startTime: T0, records }])).toThrow(RangeError);
    expect(() =>
      encodeActivityFit([{ sport: 'cycling', startTime: T0, records: [{ time: at(0) }], timerStops: [{ stop: at(3), start: at(2) }] }]),
    ).toThrow(RangeError);
    expect(() => encodeActivityFit([])).toThrow(RangeError);
  });

  it('never writes a field a sample leaves out, whatever the mix of fields (local message reuse)', async () => {
    const sample = fc.record(
      {
        power: fc.integer({ min: 0, max: 2000 }),
        heartRate: fc.integer({ min: 30, max: 230 }),
        cadence: fc.integer({ min: 0, max: 200 }),
        speed: fc.integer({ min: 0, max: 30_000 }).map((x) => x / 1000),
        distance: fc.integer({ min: 0, max: 30_000_000 }).map((x) => x / 100),
        altitude: fc.integer({ min: -400, max: 8000 }),
        latitude: fc.double({ min: -80, max: 80, noNaN: true }),
        longitude: fc.double({ min: -179, max: 179, noNaN: true }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(sample, { minLength: 1, maxLength: 60 }), async (samples) => {
        const records: FitRecordSample[] = samples.map((s, i) => ({ ...s, time: at(i) }));
        const parsed = await parse(encodeActivityFit([{ sport: 'cycling', startTime: T0, records }]));
        const out = parsed.records ?? [];
        expect(out).toHaveLength(records.length);
        out.forEach((rec, i) => {
          const src = records[i] as FitRecordSample;
          const present = keys(rec);
          const pairs: [keyof FitRecordSample, string][] = [
            ['power', 'power'],
            ['heartRate', 'heart_rate'],
            ['cadence', 'cadence'],
            ['speed', 'speed'],
            ['distance', 'distance'],
            ['altitude', 'altitude'],
          ];
          for (const [from, to] of pairs) expect(present.includes(to), `${to} in record ${i}`).toBe(src[from] !== undefined);
          const gps = src.latitude !== undefined && src.longitude !== undefined;
          expect(present.includes('position_lat')).toBe(gps);
          if (src.power !== undefined) expect(rec.power).toBe(src.power);
          if (src.speed !== undefined) expect(rec.speed).toBeCloseTo(src.speed, 3);
          if (gps) expect(Math.abs((rec.position_long as number) - (src.longitude as number))).toBeLessThan(1e-7);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('treats NaN as missing and clamps out-of-range values to valid ones', async () => {
    const records: FitRecordSample[] = [{ time: at(0), power: Number.NaN, heartRate: 300, cadence: -5 }];
    const parsed = await parse(encodeActivityFit([{ sport: 'cycling', startTime: T0, records }]));
    const rec = parsed.records?.[0] ?? {};
    expect(keys(rec)).not.toContain('power');
    expect(rec.heart_rate).toBe(254);
    expect(rec.cadence).toBe(0);
  });

  it('encodes a 4 h ride with every record', async () => {
    const ride = syntheticRide({ seed: 42, startTime: T0, durationSeconds: 4 * 3600, ftp: 250, pauses: 2 });
    const bytes = encodeActivityFit([ride]);
    expect(bytes.length).toBeGreaterThan(200_000);
    expect(bytes.length).toBeLessThan(800_000);
    const parsed = await parse(bytes);
    expect(parsed.records).toHaveLength(ride.records.length);
    expect(parsed.sessions?.[0]?.total_timer_time).toBe(4 * 3600);
  });
});

describe('synthetic generators', () => {
  it('mulberry32 is deterministic and uniform-ish', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const opts = {
      seed: 7,
      startTime: T0,
      durationSeconds: 1800,
      ftp: 250,
      kind: 'race' as const,
      pauses: 1,
      smartRecording: true,
      dropouts: true,
    };
    expect(syntheticRide(opts)).toEqual(syntheticRide(opts));
    expect(syntheticRun({ seed: 7, startTime: T0, durationSeconds: 900 })).toEqual(
      syntheticRun({ seed: 7, startTime: T0, durationSeconds: 900 }),
    );
    const other = syntheticRide({ ...opts, seed: 8 });
    expect(other.records.map((r) => r.power)).not.toEqual(syntheticRide(opts).records.map((r) => r.power));
    const bytesA = encodeActivityFit([syntheticRide(opts)]);
    const bytesB = encodeActivityFit([syntheticRide(opts)]);
    expect(Buffer.from(bytesA).equals(Buffer.from(bytesB))).toBe(true);
  });

  it('produces plausible power for each kind of ride', () => {
    const ftp = 250;
    const avg = (spec: FitSessionSpec): number => mean(spec.records.flatMap((r) => (r.power === undefined ? [] : [r.power])));
    const ride = (kind: 'endurance' | 'intervals' | 'race' | 'recovery', seed: number): FitSessionSpec =>
      syntheticRide({ seed, startTime: T0, durationSeconds: 2 * 3600, ftp, kind });
    for (const seed of [1, 2, 3]) {
      const endurance = ride('endurance', seed);
      expect(avg(endurance) / ftp).toBeGreaterThan(0.55);
      expect(avg(endurance) / ftp).toBeLessThan(0.75);
      const recovery = ride('recovery', seed);
      expect(avg(recovery)).toBeLessThan(avg(endurance));
      expect(Math.max(...recovery.records.map((r) => r.power ?? 0)) / ftp).toBeLessThan(1.2);
      const race = ride('race', seed);
      const raceMax = Math.max(...race.records.map((r) => r.power ?? 0)) / ftp;
      expect(raceMax).toBeGreaterThan(2);
      expect(raceMax).toBeLessThan(3.3);
      expect(race.device?.intensityFactor).toBeGreaterThan(endurance.device?.intensityFactor ?? 1);

      // Intervals: work laps average 105–120 % FTP, and heart rate lags power inside them.
      const intervals = ride('intervals', seed);
      const laps = intervals.laps ?? [];
      const lapRecords = laps.map((lap) => intervals.records.filter((r) => r.time >= lap.start && r.time < lap.end));
      const work = lapRecords.filter((rs) => mean(rs.map((r) => r.power ?? 0)) > ftp);
      expect(work.length).toBeGreaterThanOrEqual(3);
      for (const rs of work) {
        const lapAvg = mean(rs.map((r) => r.power ?? 0)) / ftp;
        expect(lapAvg).toBeGreaterThan(1.03);
        expect(lapAvg).toBeLessThan(1.22);
        const hrStart = mean(rs.slice(0, 15).map((r) => r.heartRate ?? 0));
        const hrEnd = mean(rs.slice(-30).map((r) => r.heartRate ?? 0));
        expect(hrEnd - hrStart).toBeGreaterThan(5);
      }
      // Coasting exists, and cadence is 0 exactly when power is 0.
      const zeros = endurance.records.filter((r) => r.power === 0).length / endurance.records.length;
      expect(zeros).toBeGreaterThan(0.01);
      expect(zeros).toBeLessThan(0.2);
      for (const r of [...endurance.records, ...intervals.records]) expect(r.cadence === 0).toBe(r.power === 0);
    }
    // Sprints: over a few endurance rides, at least one effort above 2x FTP.
    const peaks = [4, 5, 6, 7, 8].map((seed) => Math.max(...ride('endurance', seed).records.map((r) => r.power ?? 0)) / ftp);
    expect(Math.max(...peaks)).toBeGreaterThan(2);
    expect(Math.max(...peaks)).toBeLessThan(3.3);
  });

  it('keeps speed, distance, altitude and GPS consistent', () => {
    const spec = syntheticRide({ seed: 11, startTime: T0, durationSeconds: 3600, ftp: 280, hilliness: 1.5 });
    const rs = spec.records;
    let gpsTotal = 0;
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1] as FitRecordSample;
      const b = rs[i] as FitRecordSample;
      const dd = (b.distance as number) - (a.distance as number);
      expect(dd).toBeGreaterThanOrEqual(0);
      // distance is the integral of speed (trapezoid over the second, up to the sub-step rounding)
      expect(Math.abs(dd - ((a.speed as number) + (b.speed as number)) / 2)).toBeLessThan(0.3);
      expect(Math.abs((b.altitude as number) - (a.altitude as number))).toBeLessThanOrEqual(0.125 * dd + 1e-6);
      const gd = haversine(a.latitude as number, a.longitude as number, b.latitude as number, b.longitude as number);
      expect(Math.abs(gd - dd)).toBeLessThan(0.05 + 0.01 * dd);
      gpsTotal += gd;
    }
    const last = rs[rs.length - 1] as FitRecordSample;
    expect(Math.abs(gpsTotal - (last.distance as number)) / (last.distance as number)).toBeLessThan(0.01);
    const avgKmh = ((last.distance as number) / 3600) * 3.6;
    expect(avgKmh).toBeGreaterThan(20);
    expect(avgKmh).toBeLessThan(40);
    expect(Math.max(...rs.map((r) => r.speed as number)) * 3.6).toBeLessThan(81);
    const hr = rs.map((r) => r.heartRate as number);
    expect(Math.max(...hr)).toBeLessThanOrEqual(185);
    expect(mean(hr)).toBeGreaterThan(110);
  });

  it('writes timer stops with no records inside them, and the parser agrees on timer time', async () => {
    const spec = syntheticRide({ seed: 5, startTime: T0, durationSeconds: 3 * 3600, ftp: 250, pauses: 3 });
    const stops = spec.timerStops ?? [];
    expect(stops).toHaveLength(3);
    const paused = stops.reduce((a, p) => a + (p.start.getTime() - p.stop.getTime()) / 1000, 0);
    for (const p of stops) {
      expect(spec.records.some((r) => r.time > p.stop && r.time < p.start)).toBe(false);
      const before = spec.records.filter((r) => r.time <= p.stop).at(-1);
      expect(before?.speed ?? 1).toBeLessThan(0.5); // braked to a halt
    }
    const parsed = await parse(encodeActivityFit([spec]));
    expect(parsed.sessions?.[0]?.total_timer_time).toBe(3 * 3600);
    expect(parsed.sessions?.[0]?.total_elapsed_time).toBe(3 * 3600 + paused);
    expect(parsed.events?.filter((e) => e.event_type === 'stop_all')).toHaveLength(4);
    const lapTimer = (parsed.laps ?? []).reduce((a, l) => a + (l.total_timer_time ?? 0), 0);
    expect(lapTimer).toBeCloseTo(3 * 3600, 3);
  });

  it('smart recording leaves 1–8 s gaps; dropouts leave fields out', async () => {
    const spec = syntheticRide({
      seed: 9,
      startTime: T0,
      durationSeconds: 2 * 3600,
      ftp: 250,
      smartRecording: true,
      dropouts: true,
      pauses: 1,
    });
    const stop = spec.timerStops?.[0];
    expect(spec.records.length).toBeLessThan(0.6 * 7200);
    for (let i = 1; i < spec.records.length; i++) {
      const a = spec.records[i - 1] as FitRecordSample;
      const b = spec.records[i] as FitRecordSample;
      const gap = (b.time.getTime() - a.time.getTime()) / 1000;
      if (stop && a.time <= stop.stop && b.time >= stop.start) continue;
      expect(gap).toBeGreaterThanOrEqual(1);
      expect(gap).toBeLessThanOrEqual(8);
    }
    const noPower = spec.records.filter((r) => r.power === undefined);
    const noHr = spec.records.filter((r) => r.heartRate === undefined);
    const noGps = spec.records.filter((r) => r.latitude === undefined);
    expect(noPower.length).toBeGreaterThan(0);
    expect(noHr.length).toBeGreaterThan(0);
    expect(noGps.length).toBeGreaterThan(0);
    const parsed = await parse(encodeActivityFit([spec]));
    const out = parsed.records ?? [];
    expect(out.filter((r) => !('power' in r))).toHaveLength(noPower.length);
    expect(out.filter((r) => !('heart_rate' in r))).toHaveLength(noHr.length);
    expect(out.filter((r) => !('position_lat' in r))).toHaveLength(noGps.length);
    expect(parsed.sessions?.[0]?.total_timer_time).toBe(2 * 3600);
  });

  it('indoor rides have no GPS or altitude; rides without a power meter have no power or device figures', async () => {
    const indoor = syntheticRide({ seed: 2, startTime: T0, durationSeconds: 1800, ftp: 250, indoor: true, kind: 'intervals' });
    expect(indoor.subSport).toBe('indoor_cycling');
    expect(indoor.records.every((r) => r.latitude === undefined && r.altitude === undefined)).toBe(true);
    const noMeter = syntheticRide({ seed: 2, startTime: T0, durationSeconds: 1800, ftp: 250, powerMeter: false });
    expect(noMeter.records.every((r) => r.power === undefined)).toBe(true);
    expect(noMeter.device).toBeUndefined();
    const parsed = await parse(encodeActivityFit([noMeter]));
    expect(keys(parsed.sessions?.[0] ?? {})).not.toContain('avg_power');
  });

  it('generates plausible runs', () => {
    const run = syntheticRun({ seed: 1, startTime: T0, durationSeconds: 3600, power: true });
    expect(run.sport).toBe('running');
    const last = run.records.at(-1) as FitRecordSample;
    const avgSpeed = (last.distance as number) / 3600;
    expect(avgSpeed).toBeGreaterThan(2.2);
    expect(avgSpeed).toBeLessThan(4.5);
    expect(run.laps?.length).toBeGreaterThanOrEqual(8); // 1 km auto laps
    expect(mean(run.records.map((r) => r.cadence as number))).toBeGreaterThan(75);
    expect(run.records.some((r) => (r.power ?? 0) > 100)).toBe(true);
  });

  it('generates a season: rides of 1–4 h spread over a year, in order, with a realistic mix', () => {
    const start = new Date('2024-01-01T00:00:00Z');
    const season = syntheticSeason({ seed: 3, start, rides: 40, ftp: 260 });
    expect(season).toHaveLength(40);
    expect(syntheticSeason({ seed: 3, start, rides: 4, ftp: 260 })).toEqual(syntheticSeason({ seed: 3, start, rides: 4, ftp: 260 }));
    let prevEnd = 0;
    const ifs: number[] = [];
    for (const ride of season) {
      const first = ride.records[0] as FitRecordSample;
      const last = ride.records.at(-1) as FitRecordSample;
      const stopped = (ride.timerStops ?? []).reduce((a, p) => a + p.start.getTime() - p.stop.getTime(), 0);
      const hours = (last.time.getTime() - first.time.getTime() - stopped) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(0.99);
      expect(hours).toBeLessThanOrEqual(4.01);
      expect(ride.startTime.getTime()).toBeGreaterThan(prevEnd);
      expect(ride.startTime.getTime() - start.getTime()).toBeLessThan(366 * 86_400_000);
      expect(ride.device?.ftp).toBe(260);
      prevEnd = last.time.getTime();
      ifs.push(ride.device?.intensityFactor ?? 0);
    }
    const subSports = new Set(season.map((r) => r.subSport));
    expect(subSports.has('road')).toBe(true);
    expect(subSports.has('indoor_cycling') || subSports.has('virtual_activity')).toBe(true);
    expect(Math.min(...ifs)).toBeLessThan(0.65);
    expect(Math.max(...ifs)).toBeGreaterThan(0.8);
  });
});
