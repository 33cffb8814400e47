/**
 * Activities ↔ rows of `activities`: the columns an activity is stored as (streams compact, see
 * stream-codec.ts), the activity a row reads back as, and the streams as an export gives them.
 */
import type { Activity, Lap, Streams } from '../../domain/activity.js';
import type { StoredMetrics } from '../../domain/metrics/stored-metrics.js';
import * as t from '../schema.js';
import { decodeStreams, encodeStreams } from '../stream-codec.js';

export type ActivityRow = typeof t.activities.$inferSelect;

/**
 * Columns of an activity. The summary figures are the ones analysis goes by: for a recording,
 * ours from the stream (NP, average power and HR); for a summary, the source's. The device's
 * own figures stay in `device`.
 */
export function activityColumns(a: Activity, m: StoredMetrics) {
  return {
    activityKey: a.id,
    source: a.source,
    sourceKind: a.sourceKind,
    sourceHash: a.sourceHash,
    sessionIndex: a.sessionIndex,
    sport: a.sport,
    subSport: a.subSport,
    sourceType: a.sourceType,
    name: a.name,
    description: a.description,
    externalId: a.externalId,
    startTime: a.startTime,
    timerSeconds: a.timerSeconds,
    elapsedSeconds: a.elapsedSeconds,
    movingSeconds: a.movingSeconds,
    distanceMeters: a.distanceMeters,
    ascentMeters: a.ascentMeters,
    avgPower: a.streams && m.avgPower !== null ? m.avgPower : a.avgPower,
    maxPower: a.streams && m.maxPower !== null ? m.maxPower : a.maxPower,
    normalizedPower: m.normalizedPower ?? a.normalizedPower,
    power: a.power,
    avgHeartRate: m.avgHeartRate ?? a.avgHeartRate,
    maxHeartRate: m.maxHeartRate ?? a.maxHeartRate,
    avgCadence: a.avgCadence,
    avgSpeed: a.avgSpeed,
    workKilojoules: m.workKilojoules ?? a.workKilojoules,
    device: a.device,
    laps: a.laps.map((l) => ({ ...l, startTime: l.startTime.toISOString() })),
    warnings: a.warnings,
    metrics: m as unknown as Record<string, unknown>,
    streams: a.streams ? encodeStreams(a.streams) : null,
  };
}

export function toActivity(row: ActivityRow, withStreams: boolean): Activity {
  return {
    id: row.id,
    source: row.source,
    sourceKind: row.sourceKind,
    sourceHash: row.sourceHash,
    sessionIndex: row.sessionIndex,
    sport: row.sport,
    subSport: row.subSport,
    sourceType: row.sourceType,
    name: row.name,
    description: row.description,
    startTime: row.startTime,
    timerSeconds: row.timerSeconds,
    elapsedSeconds: row.elapsedSeconds,
    movingSeconds: row.movingSeconds,
    distanceMeters: row.distanceMeters,
    ascentMeters: row.ascentMeters,
    avgPower: row.avgPower,
    maxPower: row.maxPower,
    normalizedPower: row.normalizedPower,
    power: row.power,
    avgHeartRate: row.avgHeartRate,
    maxHeartRate: row.maxHeartRate,
    avgCadence: row.avgCadence,
    avgSpeed: row.avgSpeed,
    workKilojoules: row.workKilojoules,
    device: row.device ?? null,
    laps: (row.laps as (Omit<Lap, 'startTime'> & { startTime: string })[]).map((l) => ({ ...l, startTime: new Date(l.startTime) })),
    streams: withStreams && row.streams ? decodeStreams(row.streams) : null,
    warnings: row.warnings,
    externalId: row.externalId,
    linkedFile: null,
  };
}

/** Decimals kept per stream in an export: as recorded, without float noise. */
const EXPORT_DECIMALS: Record<keyof Streams, number> = {
  elapsed: 0,
  power: 1,
  heartRate: 1,
  cadence: 1,
  speed: 3,
  altitude: 1,
  distance: 1,
  latitude: 7,
  longitude: 7,
};

export function streamsForExport(streams: Streams): Partial<Record<keyof Streams, (number | null)[]>> {
  const out: Partial<Record<keyof Streams, (number | null)[]>> = {};
  for (const key of Object.keys(EXPORT_DECIMALS) as (keyof Streams)[]) {
    const values: Float32Array | Float64Array | null = streams[key];
    if (!values) continue;
    const scale = 10 ** EXPORT_DECIMALS[key];
    out[key] = Array.from(values, (v: number) => (Number.isFinite(v) ? Math.round(v * scale) / scale : null));
  }
  return out;
}
