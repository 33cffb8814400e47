/**
 * What the fact sheet says about its own data: rides with only Strava's estimated power, no rides
 * or no power meter in the period, load estimated from heart rate, ride time or assumed anchors,
 * activities without any load, and a history that stopped weeks ago.
 */
import { daysBetween, longDate, timeAgo } from '../domain/calendar.js';
import { DEFAULT_RIDE_INTENSITY_FACTOR, DURATION_TSS_PER_HOUR, heartRateLoadBasis } from '../domain/metrics/index.js';
import type { ProfileVersion } from '../domain/profile.js';
import { STALE_DAYS } from '../domain/stale-history.js';
import type { RideLoad } from '../domain/training-load.js';
import type { FactSheet } from './fact-sheet.js';

type Warning = FactSheet['warnings'][number];

const activities = (n: number) => `activit${n === 1 ? 'y' : 'ies'}`;

/** Rides with only Strava's estimated power; a period without rides or without a power meter. */
function powerWarnings(
  activityCount: number,
  power: FactSheet['power'],
  ftp: number | null,
  period: { from: string; to: string },
): Warning[] {
  const out: Warning[] = [];
  const estimated = power.ridesWithEstimatedPowerIgnored;
  if (estimated > 0) {
    const usedForLoad =
      ftp !== null
        ? 'sets their load (as an NP estimate) where they have no heart rate'
        : 'cannot set their load without an FTP: they count by duration where they have no heart rate';
    out.push({
      code: 'estimated-power',
      message: `${estimated} ride${estimated === 1 ? '' : 's'} had only Strava's estimated power: it is left out of the power analysis (bests, eFTP) and ${usedForLoad}.`,
    });
  }
  if (activityCount === 0) out.push({ code: 'no-rides', message: `No activities between ${period.from} and ${period.to}.` });
  else if (power.ridesWithPower === 0)
    out.push({
      code: 'no-power',
      message:
        "No ride in the period has power-meter data: there are no power bests, and load comes from heart rate, Strava's estimated power or ride time.",
    });
  return out;
}

/** Load from heart rate with assumed anchors, and activities that count no load at all. */
function heartRateWarnings(current: readonly RideLoad[], latestProfile: ProfileVersion | null): Warning[] {
  const out: Warning[] = [];
  const hrEstimated = current.filter((l) => l.metrics.loadSource === 'heart-rate-estimated').length;
  const noLoad = current.filter((l) => l.metrics.load === null).length;
  if (hrEstimated > 0) {
    // the values the metrics assumed, from the same function
    const basis = heartRateLoadBasis({
      ftp: null,
      lthr: latestProfile?.lthr ?? null,
      maxHr: latestProfile?.maxHr ?? null,
      restingHr: latestProfile?.restingHr ?? null,
    });
    const parts = [
      latestProfile?.lthr ? null : `an LTHR of ${basis?.lthr ?? '–'} bpm (90 % of your max HR)`,
      latestProfile?.restingHr ? null : `a resting HR of ${basis?.rest ?? '–'} bpm`,
    ].filter(Boolean);
    out.push({
      code: 'hr-load-estimated',
      message: `Load for ${hrEstimated} ${activities(hrEstimated)} without power comes from heart rate with ${parts.join(' and ')} assumed: tell me yours (e.g. "lthr 165", "resting hr 48") for exact figures.`,
    });
  }
  if (noLoad > 0)
    out.push({
      code: 'no-load',
      message: `${noLoad} ${activities(noLoad)} other than rides ${noLoad === 1 ? 'has' : 'have'} neither power nor heart rate to count as training load: fitness and fatigue leave ${noLoad === 1 ? 'it' : 'them'} out.`,
    });
  return out;
}

/** The share of the load not measured with a power meter, by source. */
function estimatedLoadWarning(loadSources: FactSheet['loadSources']): Warning | null {
  if (!loadSources || loadSources.estimatedPercent <= 0) return null;
  const p = loadSources.percent;
  const parts = [
    p['heart-rate'] + p['heart-rate-estimated'] > 0 ? `${p['heart-rate'] + p['heart-rate-estimated']} % from heart rate` : null,
    p['estimated-power'] > 0 ? `${p['estimated-power']} % from Strava's estimated power (taken as NP)` : null,
    p.duration > 0
      ? `${p.duration} % from ride time at an assumed IF ${DEFAULT_RIDE_INTENSITY_FACTOR} (${DURATION_TSS_PER_HOUR} TSS an hour)`
      : null,
  ].filter(Boolean);
  return {
    code: 'load-estimated',
    message: `${loadSources.estimatedPercent} % of this load is estimated rather than measured with a power meter: ${parts.join(', ')}.`,
  };
}

export interface DataFacts {
  /** The activities of the period. */
  current: readonly RideLoad[];
  power: FactSheet['power'];
  period: { from: string; to: string; months: number };
  ftp: number | null;
  latestProfile: ProfileVersion | null;
  loadSources: FactSheet['loadSources'];
  latestRideDate: string | null;
  today: string;
  /** CTL at the period's end and today, for the stale-history warning. */
  ctlAtEnd: number;
  ctlToday: number;
}

/** The data warnings in the order the athlete reads them. */
export function dataWarnings(facts: DataFacts): Warning[] {
  const out = [
    ...powerWarnings(facts.current.length, facts.power, facts.ftp, facts.period),
    ...heartRateWarnings(facts.current, facts.latestProfile),
  ];
  const estimated = estimatedLoadWarning(facts.loadSources);
  if (estimated) out.push(estimated);
  const { latestRideDate, today } = facts;
  if (latestRideDate !== null && daysBetween(latestRideDate, today) >= STALE_DAYS) {
    out.push({
      code: 'stale-history',
      message: `Your latest ride was on ${longDate(latestRideDate)}, ${timeAgo(latestRideDate, today)}: the period is the ${facts.period.months} months up to that day, and fitness has faded since (CTL ${facts.ctlAtEnd.toFixed(1)} then, ${facts.ctlToday.toFixed(1)} today). Send newer rides if you have them.`,
    });
  }
  return out;
}
