/**
 * The athlete's profile over time. Every change is a version valid from its date until the next,
 * so that an analysis can use the profile that held on each ride's date (FTP history, W/kg over time).
 */
import type { AthleteContext } from './metrics/athlete-context.js';

import { zonedDate, type Weekday } from './calendar.js';

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
  ftp: null,
  weightKg: null,
  maxHr: null,
  lthr: null,
  restingHr: null,
  age: null,
  sex: null,
  goals: null,
  eventDate: null,
  trainingDays: null,
  weeklyHours: null,
  planWeeks: null,
};

/**
 * Fields that describe the athlete's body, where null only ever means "not known (yet)": each is
 * resolved on its own (see `profileAt`). Goals, event, days and hours are choices that may be
 * cleared on purpose, so they come from the version in force as they are.
 */
export const MEASURED_FIELDS = [
  'ftp',
  'weightKg',
  'maxHr',
  'lthr',
  'restingHr',
  'age',
  'sex',
] as const satisfies readonly (keyof ProfileFields)[];

function sortedHistory<V extends ProfileVersion>(history: readonly V[]): V[] {
  // stable: versions of the same instant keep their stored order (the later write wins)
  return [...history].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
}

/**
 * The profile valid at `date`. The version in force is the latest from on or before it (a date
 * older than every version: the earliest). Each measured field is then resolved on its own: the
 * latest known value on or before `date`, else the earliest known value after it — an FTP first
 * given today applies to every older ride, and a weight given before the FTP does not blank it.
 */
export function profileAt(history: readonly ProfileVersion[], date: Date): ProfileVersion | null {
  if (history.length === 0) return null;
  const sorted = sortedHistory(history);
  const time = date.getTime();
  let inForce = sorted[0]!;
  for (const version of sorted) {
    if (version.validFrom.getTime() <= time) inForce = version;
    else break;
  }
  const resolved: ProfileVersion = { ...inForce };
  for (const field of MEASURED_FIELDS) {
    let before: ProfileVersion[typeof field] = null;
    let after: ProfileVersion[typeof field] = null;
    for (const version of sorted) {
      const value = version[field];
      if (value === null || value === undefined) continue;
      if (version.validFrom.getTime() <= time) before = value;
      else if (after === null) after = value;
    }
    (resolved as unknown as Record<string, unknown>)[field] = before ?? after;
  }
  return resolved;
}

/** Every version with its measured fields resolved (see `profileAt`), oldest first: what analyses and reports read. */
export function resolvedHistory(history: readonly ProfileVersion[]): ProfileVersion[] {
  return sortedHistory(history).map((version) => ({ ...profileAt(history, version.validFrom)!, validFrom: version.validFrom }));
}

/**
 * The FTP as it changed: one entry per new value, oldest first. Versions without an FTP, and
 * versions that repeat the FTP before them (a new weight, a new goal), are not changes.
 */
export function ftpChanges(history: readonly ProfileVersion[]): { from: Date; ftp: number; weightKg: number | null }[] {
  const out: { from: Date; ftp: number; weightKg: number | null }[] = [];
  for (const version of sortedHistory(history)) {
    if (version.ftp === null || out.at(-1)?.ftp === version.ftp) continue;
    out.push({ from: version.validFrom, ftp: version.ftp, weightKg: profileAt(history, version.validFrom)!.weightKg });
  }
  return out;
}

/**
 * What saving `changes` at `at` does to the history. A change on a day that already has a version
 * (in the athlete's time zone) corrects that day's version — "ftp 250", then "ftp 262" an hour
 * later, is one value for the day, not two history rows; `replaces` is that version (its
 * `validFrom` is kept). Otherwise a new version from `at`, carrying over the version in force then
 * (as stored: unknown fields stay unknown and are resolved when read).
 */
export function profileChange<V extends ProfileVersion>(
  history: readonly V[],
  changes: Partial<ProfileFields>,
  at: Date,
  timeZone: string,
): { version: ProfileVersion; replaces: V | null } {
  const sorted = sortedHistory(history);
  const day = zonedDate(at, timeZone);
  const sameDay = sorted.filter((v) => zonedDate(v.validFrom, timeZone) === day).at(-1) ?? null;
  if (sameDay) return { version: { ...fieldsOf(sameDay), ...definedOnly(changes), validFrom: sameDay.validFrom }, replaces: sameDay };
  const inForce = sorted.filter((v) => v.validFrom.getTime() <= at.getTime()).at(-1);
  return { version: { ...(inForce ? fieldsOf(inForce) : EMPTY_PROFILE), ...definedOnly(changes), validFrom: at }, replaces: null };
}

function fieldsOf(version: ProfileVersion): ProfileFields {
  const out = { ...EMPTY_PROFILE };
  for (const key of Object.keys(EMPTY_PROFILE) as (keyof ProfileFields)[]) (out as Record<string, unknown>)[key] = version[key] ?? null;
  return out;
}

function definedOnly(changes: Partial<ProfileFields>): Partial<ProfileFields> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<ProfileFields>;
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
