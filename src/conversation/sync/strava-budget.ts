/**
 * Strava's read limits (100 requests per 15 minutes, 1,000 a day, for the whole application) as
 * its answers report them: a backfill may use them up to a reserve, so that the rides athletes
 * finish today (webhook events) still get through while a long history is being fetched.
 */
import { msToMidnightUtc, msToNextQuarterHour, type StravaUsage } from '../../sync/strava/rate-limit.js';

const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;

/** Requests of each window kept for new rides: a fifth of the 15 minutes, a tenth of the day. */
const shortReserve = (limit: number) => Math.max(4, Math.ceil(limit * 0.2));
const dailyReserve = (limit: number) => Math.max(10, Math.ceil(limit * 0.1));

export class StravaBudget {
  private last: { at: Date; usage: StravaUsage } | null = null;

  constructor(private readonly clock: () => Date) {}

  /** What an answer's headers said (the client calls this on every answer). */
  readonly record = (usage: StravaUsage): void => {
    this.last = { at: this.clock(), usage };
  };

  /** Null when a backfill request may go now; else when its window turns (the next quarter hour, or midnight UTC). */
  backfillWaitUntil(now: Date): Date | null {
    if (!this.last) return null;
    const { at, usage } = this.last;
    const same = (size: number) => Math.floor(at.getTime() / size) === Math.floor(now.getTime() / size);
    if (same(DAY_MS) && usage.dailyUsed >= usage.dailyLimit - dailyReserve(usage.dailyLimit))
      return new Date(now.getTime() + msToMidnightUtc(now));
    if (same(QUARTER_HOUR_MS) && usage.shortUsed >= usage.shortLimit - shortReserve(usage.shortLimit))
      return new Date(now.getTime() + msToNextQuarterHour(now));
    return null;
  }
}
