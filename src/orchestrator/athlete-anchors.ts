/**
 * The FTP and heart-rate anchors the fact sheet works with: the athlete's own, or — said in a
 * warning — estimated from the rides (FTP from the power curve, max HR and LTHR from the heart
 * rate), so that TSS, zones and hrTSS exist for as many rides as the data allows.
 */
import type { Activity } from '../domain/activity.js';
import { utcDate } from '../domain/calendar.js';
import { estimateHeartRateAnchors, heartRateEstimateText } from '../domain/metrics/heart-rate-estimate.js';
import { DEFAULT_RIDE_INTENSITY_FACTOR, DURATION_TSS_PER_HOUR, suggestFtp, type SeasonPowerCurve } from '../domain/metrics/index.js';
import { EMPTY_PROFILE, resolvedHistory, type ProfileVersion } from '../domain/profile.js';
import type { FactSheet } from './fact-sheet.js';

export interface Anchors {
  /** The profile history with the estimates filled in, each measured field resolved on its own. */
  history: ProfileVersion[];
  ftp: number | null;
  ftpSource: FactSheet['athlete']['ftpSource'];
  /** The FTP the athlete gave; null when they gave none. */
  profileFtp: number | null;
  heartRateSource: FactSheet['athlete']['heartRateSource'];
}

type Warnings = FactSheet['warnings'];

function emptyVersion(from: string): ProfileVersion {
  return { validFrom: new Date(`${from}T00:00:00Z`), ...EMPTY_PROFILE };
}

/** FTP: the athlete's own; when there is none, an estimate from the data (a confident critical-power one first), said out loud. */
function resolveFtp(
  history: ProfileVersion[],
  season: SeasonPowerCurve,
  from: string,
  warnings: Warnings,
): Omit<Anchors, 'heartRateSource'> {
  const profileFtp = [...history].reverse().find((p) => p.ftp !== null)?.ftp ?? null;
  if (profileFtp !== null) return { history, ftp: profileFtp, ftpSource: 'profile', profileFtp };
  const preferred = (s: { method: string; confidence: string }) => (s.method === 'critical-power' && s.confidence !== 'low' ? -1 : 1);
  const suggestion = suggestFtp(season, null).sort((a, b) => preferred(a) - preferred(b))[0];
  if (!suggestion) {
    // Strava's estimated power needs an FTP to become TSS: without one those rides count by duration.
    warnings.push({
      code: 'no-ftp',
      message: `No FTP was given and the rides hold too little power-meter data to estimate one: load comes from heart rate where there is some, else from ride time at an assumed IF ${DEFAULT_RIDE_INTENSITY_FACTOR} (${DURATION_TSS_PER_HOUR} TSS an hour), and Strava's estimated power cannot be used without an FTP. Tell the coach your FTP (e.g. "ftp 250").`,
    });
    return { history, ftp: null, ftpSource: 'none', profileFtp };
  }
  warnings.push({
    code: 'ftp-estimated',
    message: `No FTP was given: ${suggestion.watts} W is estimated from your rides (${suggestion.basis}). Tell the coach your FTP for exact TSS.`,
  });
  const withFtp =
    history.length > 0
      ? history.map((p) => ({ ...p, ftp: p.ftp ?? suggestion.watts }))
      : [{ ...emptyVersion(from), ftp: suggestion.watts }];
  return { history: withFtp, ftp: suggestion.watts, ftpSource: 'estimated', profileFtp };
}

/**
 * Max HR and LTHR: the athlete's own; when neither was given, estimated from the rides up to the
 * period's end (flagged), so that heart-rate zones and hrTSS exist for every ride with a strap.
 */
function resolveHeartRate(
  history: ProfileVersion[],
  rides: readonly Activity[],
  from: string,
  warnings: Warnings,
): { history: ProfileVersion[]; heartRateSource: Anchors['heartRateSource'] } {
  if (history.some((p) => p.maxHr !== null || p.lthr !== null)) return { history, heartRateSource: 'profile' };
  const estimate = estimateHeartRateAnchors(rides);
  if (!estimate) return { history, heartRateSource: 'none' };
  warnings.push({
    code: 'hr-estimated',
    message: `No max or threshold heart rate was given: ${heartRateEstimateText(estimate)} are estimated from your rides and set your heart-rate zones and the heart-rate load of rides without power. Tell me yours (e.g. "max hr 186", "lthr 168") for exact figures.`,
  });
  return {
    history: (history.length > 0 ? history : [emptyVersion(from)]).map((p) => ({ ...p, maxHr: estimate.maxHr, lthr: estimate.lthr })),
    heartRateSource: 'estimated',
  };
}

/** Each measured field resolved on its own (an FTP given today applies to older rides too), then the estimates where none was given. */
export function resolveAnchors(
  input: { history: readonly ProfileVersion[]; sorted: readonly Activity[]; season: SeasonPowerCurve; from: string; to: string },
  warnings: Warnings,
): Anchors {
  const ftp = resolveFtp(resolvedHistory(input.history), input.season, input.from, warnings);
  const upToEnd = input.sorted.filter((a) => utcDate(a.startTime) <= input.to);
  const heartRate = resolveHeartRate(ftp.history, upToEnd, input.from, warnings);
  return { ...ftp, ...heartRate };
}
