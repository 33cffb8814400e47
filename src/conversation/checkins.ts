/**
 * The weekly check-in ticker: a scheduled ticker (scheduled-ticker.ts: claimed in the database,
 * never sent twice, one catch-up after downtime) that writes to each athlete first — last week
 * against the plan, form now, the week ahead and what changed (checkin-review.ts), in the model's
 * words when there is one (checkin-words.ts), else the rule coach's — and schedules the next one
 * (checkin-schedule.ts). What /checkin reads is in checkin-args.ts.
 */
import { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import { checkinReview, type CheckinReview } from './checkin-review.js';
import { checkinReply, checkinWords } from './messages/checkin.js';
import { ScheduledTicker, type TickerOptions } from './scheduled-ticker.js';
import { nextCheckinAt } from '../domain/checkin-schedule.js';

export interface CheckinTickerOptions extends TickerOptions {
  /** Writes the check-in's words from its figures (a model, falling back to the rule coach); default: the rule coach. */
  words?: (review: CheckinReview, signal?: AbortSignal) => Promise<string>;
}

export class CheckinTicker extends ScheduledTicker<'check-in'> {
  constructor(options: CheckinTickerOptions) {
    const loop = new CoachLoop({ clock: options.clock });
    super(options, 'check-in', {
      next: nextCheckinAt,
      compose: async (checkin, now) => {
        const athlete = options.store.athlete(checkin.athleteId);
        // the plan brought up to date first (sessions missed since the last ride, form), so that the
        // check-in shows the week as it now stands; a failure there never holds the check-in back
        try {
          await loop.applySignal(athlete, { kind: 'rides' });
        } catch (error) {
          options.logger?.error(
            { err: error instanceof Error ? error : new Error(String(error)), athleteId: checkin.athleteId },
            'plan not brought up to date',
          );
        }
        const review = await checkinReview(athlete, now, checkin.timeZone, checkin.lastSentAt);
        return checkinReply(review, options.words ? await options.words(review) : checkinWords(review));
      },
    });
  }
}
