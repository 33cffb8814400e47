/**
 * Strava's detail and streams → an Activity: the same 1 Hz moving timeline and metrics as the FIT
 * file of the same ride (Strava's still seconds left out like a stopped timer), its identity from
 * Strava's id, estimated power flagged, a ride without power, a manual entry without streams.
 */
import { describe, expect, it } from 'vitest';
import { isSameActivity, type Activity } from '../../../src/domain/activity.js';
import { storedMetrics } from '../../../src/domain/metrics/stored-metrics.js';
import { sha256Hex } from '../../../src/ingest/identity.js';
import { ingestFile } from '../../../src/ingest/ingest.js';
import {
  activityFromStrava,
  type StravaDetailInput,
  type StravaStreamsInput,
} from '../../../src/ingest/strava-api/activity-from-strava.js';
import { encodeActivityFit } from '../../../src/synthetic/fit-writer.js';
import type { FitSessionSpec } from '../../../src/synthetic/fit-spec.js';
import { syntheticRide } from '../../../src/synthetic/synthetic-ride.js';

const START = new Date('2026-09-20T07:00:00Z');

function detail(overrides: Partial<StravaDetailInput> = {}): StravaDetailInput {
  return {
    id: '13000000001',
    name: 'Sunday intervals',
    description: null,
    type: 'Ride',
    startTime: START,
    elapsedSeconds: 3895,
    movingSeconds: 3600,
    distanceMeters: 30_000,
    ascentMeters: 210,
    averageWatts: 190,
    weightedAverageWatts: 215,
    maxWatts: 480,
    kilojoules: 684,
    deviceWatts: true,
    averageHeartrate: 140,
    maxHeartrate: 171,
    averageCadence: 88,
    deviceName: 'Edge 1040',
    ...overrides,
  };
}

/**
 * The ride as Strava's streams: one sample a second from start to end, the pauses (the timer
 * stopped in the FIT file) recorded as still seconds with `moving` false and 0 W.
 */
function stravaStreamsOf(spec: FitSessionSpec): StravaStreamsInput {
  const t0 = spec.startTime.getTime();
  const bySecond = new Map(spec.records.map((r) => [Math.round((r.time.getTime() - t0) / 1000), r]));
  const last = Math.max(...bySecond.keys());
  const s = { time: [] as number[], watts: [] as number[], heartrate: [] as number[], cadence: [] as number[] };
  const more = {
    velocity_smooth: [] as number[],
    distance: [] as number[],
    altitude: [] as number[],
    moving: [] as boolean[],
    latlng: [] as [number, number][],
  };
  let previous = spec.records[0]!;
  for (let t = 0; t <= last; t++) {
    const r = bySecond.get(t);
    const at = r ?? previous;
    s.time.push(t);
    s.watts.push(r ? (r.power ?? 0) : 0);
    s.heartrate.push(at.heartRate ?? 0);
    s.cadence.push(r ? (r.cadence ?? 0) : 0);
    more.velocity_smooth.push(r ? (r.speed ?? 0) : 0);
    more.distance.push(at.distance ?? 0);
    more.altitude.push(at.altitude ?? 0);
    more.moving.push(r !== undefined);
    more.latlng.push([at.latitude ?? 0, at.longitude ?? 0]);
    previous = at;
  }
  return { ...s, ...more };
}

async function fitActivity(spec: FitSessionSpec): Promise<Activity> {
  const result = await ingestFile(encodeActivityFit([spec]), 'ride.fit');
  if (!result.ok) throw new Error(result.error.message);
  return result.value.activities[0]!;
}

describe('activityFromStrava', () => {
  const spec = syntheticRide({ seed: 7, startTime: START, durationSeconds: 3600, ftp: 250, kind: 'intervals', pauses: 2 });

  it('a 1 h ride with two pauses: the moving time and power of its FIT file', async () => {
    const fit = await fitActivity(spec);
    const strava = activityFromStrava(detail(), stravaStreamsOf(spec));
    expect(strava.movingSeconds).not.toBeNull();
    expect(Math.abs(strava.movingSeconds! - fit.movingSeconds!)).toBeLessThanOrEqual(2);
    expect(strava.streams!.elapsed.length).toBe(strava.movingSeconds);
    // the still seconds are not in the timeline: it jumps over both pauses
    const jumps = Array.from(strava.streams!.elapsed).filter((e, i, a) => i > 0 && e - a[i - 1]! > 1);
    expect(jumps).toHaveLength(2);
    const m = strava.storedMetrics!;
    const f = storedMetrics(fit);
    expect(m.hasCyclingPower).toBe(true);
    expect(Math.abs(m.normalizedPower! - f.normalizedPower!) / f.normalizedPower!).toBeLessThan(0.01);
    expect(Math.abs(m.avgPower! - f.avgPower!) / f.avgPower!).toBeLessThan(0.01);
    expect(m.maxPower).toBe(f.maxPower);
    expect(isSameActivity(fit, strava), 'the FIT upload and the Strava fetch are one ride').toBe(true);
  });

  it('its identity is the Strava id; the summary comes from the detail', () => {
    const a = activityFromStrava(detail(), stravaStreamsOf(spec));
    const b = activityFromStrava(detail({ name: 'Renamed' }), stravaStreamsOf(spec));
    expect(a).toMatchObject({
      source: 'strava:13000000001',
      sourceKind: 'strava-api',
      sourceHash: sha256Hex('strava-api:13000000001'),
      sessionIndex: 0,
      sport: 'cycling',
      subSport: null,
      sourceType: 'Ride',
      externalId: '13000000001',
      name: 'Sunday intervals',
      power: 'measured',
      elapsedSeconds: 3895,
      timerSeconds: 3600,
      distanceMeters: 30_000,
      ascentMeters: 210,
      normalizedPower: 215,
      workKilojoules: 684,
      avgHeartRate: 140,
      warnings: [],
    });
    expect(a.avgSpeed).toBeCloseTo(30_000 / 3600, 6);
    expect(b.id, 'fetched again: the same activity').toBe(a.id);
    expect(b.sourceHash).toBe(a.sourceHash);
    expect(activityFromStrava(detail({ id: '13000000002' }), {}).id).not.toBe(a.id);
  });

  it("maps Strava's ride types to the FIT sport and sub-sport", () => {
    const sub = (type: string) => {
      const a = activityFromStrava(detail({ type }), {});
      return [a.sport, a.subSport];
    };
    expect(sub('VirtualRide')).toEqual(['cycling', 'virtual_activity']);
    expect(sub('GravelRide')).toEqual(['cycling', 'gravel_cycling']);
    expect(sub('MountainBikeRide')).toEqual(['cycling', 'mountain']);
    expect(sub('Run')).toEqual(['running', null]);
  });

  it("flags Strava's estimated power and keeps it out of the power metrics", () => {
    const a = activityFromStrava(detail({ deviceWatts: false }), stravaStreamsOf(spec));
    expect(a.power).toBe('estimated');
    expect(a.warnings.map((w) => w.code)).toEqual(['estimated-power']);
    expect(a.warnings[0]!.message).toMatch(/Strava estimated the power/);
    expect(a.storedMetrics!.hasCyclingPower).toBe(false);
  });

  it('a ride without a power meter: no power, heart rate kept', () => {
    const streams = stravaStreamsOf(spec);
    delete streams.watts;
    const a = activityFromStrava(
      detail({ averageWatts: null, weightedAverageWatts: null, maxWatts: null, kilojoules: null, deviceWatts: null }),
      streams,
    );
    expect(a.power).toBe('none');
    expect(a.streams!.power).toBeNull();
    expect(a.streams!.heartRate).not.toBeNull();
    expect(a.storedMetrics!.hasCyclingPower).toBe(false);
    expect(a.storedMetrics!.avgHeartRate).toBeGreaterThan(60);
  });

  it('still seconds are not moving time, and a short gap inside a moving stretch is filled', () => {
    const moving = [...Array<boolean>(10).fill(true), ...Array<boolean>(5).fill(false), ...Array<boolean>(10).fill(true)];
    const time = moving.map((_, i) => (i >= 20 ? i + 3 : i)); // 3 s missing inside the last stretch (smart recording)
    const a = activityFromStrava(detail({ movingSeconds: 20 }), { time, moving, watts: moving.map((m) => (m ? 200 : 0)) });
    expect(a.movingSeconds).toBe(23);
    expect(Array.from(a.streams!.elapsed.slice(0, 11))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15]);
    expect(Array.from(a.streams!.power!).every((w) => w === 200)).toBe(true);
  });

  it('a manual entry (no streams) keeps the figures Strava states', () => {
    const a = activityFromStrava(detail({ deviceWatts: null }), {});
    expect(a.streams).toBeNull();
    expect(a.movingSeconds).toBe(3600);
    expect(a.power).toBe('measured');
    expect(a.storedMetrics).toBeDefined();
  });
});
