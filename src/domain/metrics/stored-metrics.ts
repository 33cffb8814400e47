/**
 * The metrics kept with each activity: those that do not depend on the athlete's profile, so
 * they can be computed once, where the file is read (a worker thread), and stored as they are.
 */
import type { Activity } from '../activity.js';
import { computeActivityMetrics, type ActivityMetrics } from './activity-metrics.js';

export type StoredMetrics = Pick<
  ActivityMetrics,
  | 'source'
  | 'hasCyclingPower'
  | 'movingSeconds'
  | 'avgPower'
  | 'avgPowerNoZeros'
  | 'normalizedPower'
  | 'maxPower'
  | 'workKilojoules'
  | 'variabilityIndex'
  | 'efficiencyFactor'
  | 'aerobicDecouplingPercent'
  | 'powerCurve'
  | 'avgHeartRate'
  | 'maxHeartRate'
> & {
  /** STORED_METRICS_VERSION when computed (absent on the first version). */
  version?: number;
};

/**
 * Bumped whenever a stored metric's definition changes; rows stored under an older version are
 * recomputed from their streams when the database is opened (Store.refreshStaleMetrics).
 * 2: the power curve on clock time (stops as 0 W), exact at every duration.
 */
export const STORED_METRICS_VERSION = 2;

export function storedMetrics(activity: Activity): StoredMetrics {
  const m = computeActivityMetrics(activity, { ftp: null });
  return {
    source: m.source,
    hasCyclingPower: m.hasCyclingPower,
    movingSeconds: m.movingSeconds,
    avgPower: m.avgPower,
    avgPowerNoZeros: m.avgPowerNoZeros,
    normalizedPower: m.normalizedPower,
    maxPower: m.maxPower,
    workKilojoules: m.workKilojoules,
    variabilityIndex: m.variabilityIndex,
    efficiencyFactor: m.efficiencyFactor,
    aerobicDecouplingPercent: m.aerobicDecouplingPercent,
    powerCurve: m.powerCurve,
    avgHeartRate: m.avgHeartRate,
    maxHeartRate: m.maxHeartRate,
    version: STORED_METRICS_VERSION,
  };
}

/** Computes the stored metrics now and keeps them on the activity for the store. */
export function precomputeStoredMetrics(activity: Activity): void {
  activity.storedMetrics = storedMetrics(activity);
}

/** The activity's stored metrics: those computed where it was read, else computed here. */
export function storedMetricsOf(activity: Activity): StoredMetrics {
  return activity.storedMetrics?.version === STORED_METRICS_VERSION ? activity.storedMetrics : storedMetrics(activity);
}
