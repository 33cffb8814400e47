/**
 * Max HR and LTHR estimated from the rides, for an athlete who gave neither: without them there
 * are no heart-rate zones and no hrTSS. Both are flagged as estimates wherever they are shown.
 *
 * Rules (cycling activities only — running puts max HR higher):
 * - Window: the 12 months (365 days) up to the latest ride.
 * - Max HR: the highest 5-s-sustained heart rate (best mean of 5 consecutive readings of the
 *   1 Hz stream) over the rides in the window; readings outside 30–220 bpm are dropped as strap
 *   artefacts, and a 5-s mean rules out one-sample spikes. Rides known only as summaries
 *   (a CSV row's max HR) count only when no ride has a stream, and then the second-highest of
 *   those maxima is taken (one spike cannot set it; the only one when there is one).
 *   Below 130 bpm it is no max-HR effort: no estimate.
 * - LTHR: 95 % of the best 20-min heart rate (mean of 1200 consecutive readings, ≥ 90 % of them
 *   present) on rides with measured power (Friel's 20-min test), kept within 85–95 % of the max
 *   HR estimate (a best 20 min below that was no threshold effort); without 20 min of heart rate
 *   on a ride with power, 90 % of the max HR estimate (LTHR_SHARE_OF_MAX_HR).
 */
import { isCycling, type Activity } from '../activity.js';
import { cyclingPowerStream } from './activity-metrics.js';
import { positiveOrNull } from './athlete-context.js';
import { LTHR_SHARE_OF_MAX_HR } from './heart-rate-load.js';

export const HR_ESTIMATE_WINDOW_DAYS = 365;
/** Readings outside this band are strap artefacts, not heart rate. */
export const PLAUSIBLE_HR_BPM = { min: 30, max: 220 } as const;
/** A max HR estimate below this is no maximal effort: no estimate. */
export const MIN_MAX_HR_ESTIMATE_BPM = 130;
export const SUSTAINED_MAX_SECONDS = 5;
export const LTHR_TEST_SECONDS = 1200;
/** Friel: LTHR ≈ 95 % of the average heart rate of a 20-min all-out effort. */
export const LTHR_SHARE_OF_20_MIN_HR = 0.95;
/** LTHR is kept within this share of max HR. */
export const LTHR_SHARE_OF_MAX_HR_RANGE = { min: 0.85, max: 0.95 } as const;

export interface HeartRateEstimate {
  /** bpm, whole. */
  maxHr: number;
  /** bpm, whole. */
  lthr: number;
  /** Where max HR came from: a 5-s-sustained stream value, or the second-highest summary maximum. */
  maxHrBasis: 'sustained-5-s' | 'second-highest-summary-max';
  /** Where LTHR came from: 95 % of the best 20-min HR, or 90 % of the max HR estimate. */
  lthrBasis: 'best-20-min' | 'share-of-max';
  /** The best 20-min heart rate behind the LTHR, bpm; null when LTHR is a share of max. */
  best20MinHr: number | null;
  /** Rides whose heart rate was looked at. */
  rides: number;
}

function plausible(hr: number | undefined): hr is number {
  return hr !== undefined && Number.isFinite(hr) && hr >= PLAUSIBLE_HR_BPM.min && hr <= PLAUSIBLE_HR_BPM.max;
}

/**
 * Best mean heart rate over `seconds` consecutive samples, counting only plausible readings and
 * needing at least `minCoverage` of the window to hold one. Null when no window qualifies.
 */
export function bestMeanHeartRate(heartRate: ArrayLike<number>, seconds: number, minCoverage = 1): number | null {
  const n = heartRate.length;
  if (seconds <= 0 || n < seconds) return null;
  const needed = Math.ceil(seconds * minCoverage);
  let sum = 0;
  let count = 0;
  let best: number | null = null;
  for (let i = 0; i < n; i++) {
    const hr = heartRate[i];
    if (plausible(hr)) {
      sum += hr;
      count++;
    }
    if (i >= seconds) {
      const out = heartRate[i - seconds];
      if (plausible(out)) {
        sum -= out;
        count--;
      }
    }
    if (i >= seconds - 1 && count >= needed && count > 0) {
      const mean = sum / count;
      if (best === null || mean > best) best = mean;
    }
  }
  return best;
}

/** The highest 5-s-sustained heart rate of a stream (every one of the 5 readings plausible). */
export function sustainedMaxHeartRate(heartRate: ArrayLike<number>): number | null {
  return bestMeanHeartRate(heartRate, SUSTAINED_MAX_SECONDS, 1);
}

/** Max HR and LTHR from the rides by the rules above; null when the rides hold too little heart rate. */
export function estimateHeartRateAnchors(activities: readonly Activity[]): HeartRateEstimate | null {
  const rides = activities.filter((a) => isCycling(a.sport));
  if (rides.length === 0) return null;
  const latest = rides.reduce((m, a) => Math.max(m, a.startTime.getTime()), -Infinity);
  const inWindow = rides.filter((a) => a.startTime.getTime() > latest - HR_ESTIMATE_WINDOW_DAYS * 86_400_000);

  const sustained: number[] = [];
  const summaryMaxima: number[] = [];
  let best20: number | null = null;
  let looked = 0;
  for (const ride of inWindow) {
    const stream = ride.streams?.heartRate ?? null;
    const peak = stream ? sustainedMaxHeartRate(stream) : null;
    if (peak !== null) {
      sustained.push(peak);
      looked++;
      if (cyclingPowerStream(ride) !== null) {
        const twenty = bestMeanHeartRate(stream!, LTHR_TEST_SECONDS, 0.9);
        if (twenty !== null && (best20 === null || twenty > best20)) best20 = twenty;
      }
      continue;
    }
    const summary = positiveOrNull(ride.maxHeartRate);
    if (summary !== null && plausible(summary)) {
      summaryMaxima.push(summary);
      looked++;
    }
  }

  let maxHr: number;
  let maxHrBasis: HeartRateEstimate['maxHrBasis'];
  if (sustained.length > 0) {
    maxHr = sustained.reduce((m, v) => Math.max(m, v), -Infinity);
    maxHrBasis = 'sustained-5-s';
  } else if (summaryMaxima.length > 0) {
    const ranked = [...summaryMaxima].sort((a, b) => b - a);
    maxHr = ranked[1] ?? ranked[0]!;
    maxHrBasis = 'second-highest-summary-max';
  } else {
    return null;
  }
  maxHr = Math.round(maxHr);
  if (maxHr < MIN_MAX_HR_ESTIMATE_BPM) return null;

  if (best20 !== null) {
    const share = Math.min(
      LTHR_SHARE_OF_MAX_HR_RANGE.max * maxHr,
      Math.max(LTHR_SHARE_OF_MAX_HR_RANGE.min * maxHr, LTHR_SHARE_OF_20_MIN_HR * best20),
    );
    return { maxHr, lthr: Math.round(share), maxHrBasis, lthrBasis: 'best-20-min', best20MinHr: Math.round(best20), rides: looked };
  }
  return { maxHr, lthr: Math.round(maxHr * LTHR_SHARE_OF_MAX_HR), maxHrBasis, lthrBasis: 'share-of-max', best20MinHr: null, rides: looked };
}

/** The rule in one sentence, for warnings and reports. */
export function heartRateEstimateText(estimate: HeartRateEstimate): string {
  const max =
    estimate.maxHrBasis === 'sustained-5-s'
      ? 'your highest 5-s heart rate on a ride in the last 12 months'
      : 'the second-highest max heart rate of your rides in the last 12 months';
  const lthr =
    estimate.lthrBasis === 'best-20-min'
      ? `from your best 20 minutes at ${estimate.best20MinHr} bpm: 95 % of it, kept within 85–95 % of max HR`
      : '90 % of that max';
  return `max HR ${estimate.maxHr} bpm (${max}) and LTHR ${estimate.lthr} bpm (${lthr})`;
}
