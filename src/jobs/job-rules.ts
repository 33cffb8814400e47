/**
 * The rules both queue adapters apply the same way, so that code that runs on the in-process queue
 * also runs on pg-boss: which queue names are allowed, what a cron pattern is, the defaults of a job.
 */
import { Cron } from 'croner';

/** pg-boss's defaults, used by the in-process queue too. */
export const JOB_DEFAULTS = { retryLimit: 2, retryDelaySeconds: 0, expireInSeconds: 15 * 60 } as const;

const QUEUE_NAME = /^[a-z0-9][a-z0-9_.-]{0,49}$/i;

/** Throws unless `name` is a queue name: letters, digits, `_ . -`, at most 50, not starting with a sign. */
export function checkQueueName(name: string): void {
  if (!QUEUE_NAME.test(name))
    throw new Error(`"${name}" is not a queue name: use letters, digits, "_", "." or "-" (at most 50), starting with a letter or digit.`);
}

/** A paused croner job of a 5-field pattern read in `tz`; throws on a bad pattern or time zone. */
export function parseCron(pattern: string, tz: string): Cron {
  try {
    // OR of day-of-month and day-of-week, as classic cron and pg-boss's cron-parser read them
    const cron = new Cron(pattern, { timezone: tz, mode: '5-part', paused: true, domAndDow: false });
    cron.nextRun();
    return cron;
  } catch (error) {
    throw new Error(
      `"${pattern}" in ${tz} is not a schedule: give 5 cron fields (minute hour day month weekday) and an IANA time zone (${messageOf(error)}).`,
    );
  }
}

/** Throws unless the numbers of `options` are ones pg-boss accepts too. */
export function checkSendOptions(options: { retryLimit?: number; retryDelaySeconds?: number; expireInSeconds?: number }): void {
  const { retryLimit, retryDelaySeconds, expireInSeconds } = options;
  if (retryLimit !== undefined && !(Number.isInteger(retryLimit) && retryLimit >= 0))
    throw new Error('retryLimit must be a whole number ≥ 0.');
  if (retryDelaySeconds !== undefined && !(Number.isInteger(retryDelaySeconds) && retryDelaySeconds >= 0))
    throw new Error('retryDelaySeconds must be a whole number ≥ 0.');
  if (expireInSeconds !== undefined && !(Number.isInteger(expireInSeconds) && expireInSeconds >= 1 && expireInSeconds < 24 * 3600))
    throw new Error('expireInSeconds must be a whole number from 1 to less than a day.');
}

/** Any thrown value as an Error. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(messageOf(value));
}

function messageOf(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string') return value.message;
  return String(value);
}
