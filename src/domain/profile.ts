/**
 * The athlete's profile over time. Every change is a new version valid from its date, so that an
 * analysis can use the profile that held on each ride's date (FTP history, W/kg over time).
 */
import type { AthleteContext } from './metrics/athlete-context.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ProfileFields {
  ftp: number | null;
  weightKg: number | null;
  maxHr: number | null;
  lthr: number | null;
  restingHr: number | null;
  age: number | null;
  sex: 'male' | 'female' | null;
  goals: string | null;
  /** YYYY-MM-DD of the target event, if any. */
  eventDate: string | null;
  trainingDays: Weekday[] | null;
  weeklyHours: number | null;
  planWeeks: number | null;
}

export interface ProfileVersion extends ProfileFields {
  validFrom: Date;
}

export const EMPTY_PROFILE: ProfileFields = {
  ftp: null, weightKg: null, maxHr: null, lthr: null, restingHr: null, age: null, sex: null,
  goals: null, eventDate: null, trainingDays: null, weeklyHours: null, planWeeks: null,
};

/**
 * The version valid at `date`: the latest one from on or before it. A ride older than every
 * version uses the earliest version — the best knowledge there is — rather than no profile.
 */
export function profileAt(history: readonly ProfileVersion[], date: Date): ProfileVersion | null {
  if (history.length === 0) return null;
  const sorted = [...history].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  let valid = sorted[0]!;
  for (const version of sorted) {
    if (version.validFrom.getTime() <= date.getTime()) valid = version;
    else break;
  }
  return valid;
}

/** What the metrics need from a profile version. */
export function athleteContext(profile: ProfileFields | null): AthleteContext {
  return {
    ftp: profile?.ftp ?? null,
    lthr: profile?.lthr ?? null,
    maxHr: profile?.maxHr ?? null,
    restingHr: profile?.restingHr ?? null,
    sex: profile?.sex ?? null,
  };
}
