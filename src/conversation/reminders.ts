/**
 * The monthly reminder ticker: a scheduled ticker (scheduled-ticker.ts: claimed in the database,
 * never sent twice, one catch-up after downtime) that sends each athlete its month in review
 * (month-review.ts) and schedules the next one (reminder-schedule.ts). What /reminders reads is in
 * reminder-args.ts.
 */
import { lookBack, reminderReply } from './month-review.js';
import { ScheduledTicker, type TickerOptions } from './scheduled-ticker.js';
import { nextReminderAt } from '../domain/reminder-schedule.js';

export class ReminderTicker extends ScheduledTicker<'reminder'> {
  constructor(options: TickerOptions) {
    super(options, 'reminder', {
      next: nextReminderAt,
      compose: async (reminder, now) => {
        const athlete = options.store.athlete(reminder.athleteId);
        const look = await lookBack(athlete, now, reminder.timeZone);
        return reminderReply(look, (await athlete.info()).displayName);
      },
    });
  }
}
