/**
 * The sessions of a FIT file placed in time, each with its laps and its sport: a multisport file
 * has one session per leg, and a damaged file that lost its session message gets one rebuilt from
 * its records.
 */
import type { Lap } from '../../domain/activity.js';
import { date, num, str, type FitMessage } from './fit-fields.js';

/** A session placed in time: its start and end (epoch ms; end may be unknown). */
export interface Placed {
  session: FitMessage;
  index: number;
  start: Date;
  end: Date | null;
}

/** The first record time in (after, upper], or null. */
function firstRecordIn(records: readonly FitMessage[], after: number, upper: number): Date | null {
  let first = Number.POSITIVE_INFINITY;
  for (const r of records) {
    const t = (r.timestamp as Date).getTime();
    if (t > after && t <= upper && t < first) first = t;
  }
  return first === Number.POSITIVE_INFINITY ? null : new Date(first);
}

/**
 * Where each session lies. A session without start_time starts at timestamp − total_elapsed_time,
 * else at its first record (the only session: the first record of the file). A session that
 * cannot be placed at all is left out.
 */
export function placeSessions(sessions: FitMessage[], records: FitMessage[]): Placed[] {
  const placed: Placed[] = [];
  let previousEnd = Number.NEGATIVE_INFINITY;
  sessions.forEach((session, index) => {
    const elapsedMs = (num(session.total_elapsed_time) ?? NaN) * 1000;
    let start = date(session.start_time);
    let end = date(session.timestamp);
    if (start === null && end !== null && Number.isFinite(elapsedMs)) start = new Date(end.getTime() - elapsedMs);
    if (start === null) {
      const upper = end?.getTime() ?? (sessions.length === 1 ? Number.POSITIVE_INFINITY : null);
      if (upper !== null) start = firstRecordIn(records, previousEnd, upper);
    }
    start ??= end;
    if (start === null) return;
    if (end === null && Number.isFinite(elapsedMs)) end = new Date(start.getTime() + elapsedMs);
    previousEnd = (end ?? start).getTime();
    placed.push({ session, index, start, end });
  });
  return placed;
}

/** A damaged file may have lost its session message: one rebuilt from the records (none from fewer than two). */
export function rebuiltSession(records: readonly FitMessage[]): Placed[] {
  if (records.length < 2) return [];
  const first = new Date(records.reduce((a, r) => Math.min(a, (r.timestamp as Date).getTime()), Infinity));
  const last = new Date(records.reduce((a, r) => Math.max(a, (r.timestamp as Date).getTime()), -Infinity));
  return [{ session: { start_time: first, timestamp: last }, index: 0, start: first, end: last }];
}

/** The lap messages of one session. */
export function lapsFor(
  laps: FitMessage[],
  session: FitMessage,
  sessionCount: number,
  sessionStart: Date,
  sessionEnd: Date | null,
): FitMessage[] {
  const first = num(session.first_lap_index);
  const count = num(session.num_laps);
  if (sessionCount === 1) return laps;
  if (first !== null && count !== null) return laps.slice(first, first + count);
  const start = sessionStart.getTime();
  const end = sessionEnd?.getTime() ?? Infinity;
  return laps.filter((l) => {
    const t = date(l.start_time)?.getTime();
    return t !== undefined && t >= start && t <= end;
  });
}

export function toLap(l: FitMessage): Lap {
  return {
    startTime: l.start_time as Date,
    timerSeconds: num(l.total_timer_time),
    elapsedSeconds: num(l.total_elapsed_time),
    distanceMeters: num(l.total_distance),
    avgPower: num(l.avg_power),
    avgHeartRate: num(l.avg_heart_rate),
  };
}

/** A session's sport as stated in the file (null: none), and its sub-sport, as raw field values. */
export interface StatedSport {
  sport: string | null;
  subSport: unknown;
}

/**
 * The sport: the session's, else the sport message's (the one of the same index when there is one
 * per session), else its laps'.
 */
export function statedSport(
  session: FitMessage,
  sessionIndex: number,
  sessionCount: number,
  sports: readonly FitMessage[],
  ownLaps: readonly FitMessage[],
): StatedSport {
  const sportMessage = sports.length === sessionCount ? sports[sessionIndex] : sports.length === 1 ? sports[0] : undefined;
  const sport = str(session.sport) ?? str(sportMessage?.sport) ?? str(ownLaps.find((l) => str(l.sport) !== null)?.sport) ?? null;
  const subSport = session.sub_sport ?? sportMessage?.sub_sport ?? ownLaps.find((l) => str(l.sub_sport) !== null)?.sub_sport;
  return { sport, subSport };
}

export function normaliseSubSport(value: unknown): string | null {
  const s = str(value);
  return s === null || s === 'generic' ? null : s;
}
