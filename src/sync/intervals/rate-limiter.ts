/**
 * At most `limit` request starts in any window of `windowMs`: a sliding window over the last starts,
 * not a token bucket (a full bucket plus its refill lets 2 × limit through within one window).
 * intervals.icu asks for ≤ 10 requests a second per client; the window is 1.1 s so that the service,
 * which sees each request a little after it left, still never counts more than 10 in one second.
 * Callers wait their turn in order of arrival.
 */

/** Hands out turns to start a request. */
export interface RateLimiter {
  /** Resolves when a request may start (its start is counted then). */
  acquire(): Promise<void>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
}

/** A sliding-window limiter (see the module comment). */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => Date.now());
  const starts: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  const turn = async (): Promise<void> => {
    for (;;) {
      const t = now();
      while (starts.length > 0 && t - starts[0]! >= options.windowMs) starts.shift();
      if (starts.length < options.limit) {
        starts.push(t);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, starts[0]! + options.windowMs - t));
    }
  };

  return {
    acquire(): Promise<void> {
      const mine = queue.then(turn);
      queue = mine.catch(() => undefined);
      return mine;
    },
  };
}

/** intervals.icu's limit: 10 requests a second. */
export const INTERVALS_REQUESTS_PER_SECOND = 10;
/** The window, with 100 ms to spare for the time a request takes to arrive. */
export const INTERVALS_WINDOW_MS = 1100;

/** The one limiter every intervals.icu client of this process shares, whatever the athlete. */
export const intervalsRateLimiter: RateLimiter = createRateLimiter({
  limit: INTERVALS_REQUESTS_PER_SECOND,
  windowMs: INTERVALS_WINDOW_MS,
});
