/**
 * The words of /reminders: how the monthly reminder is set, what a change did, and an example
 * after a mistake.
 */
import type { ReminderSettings } from '../../store/store.js';
import type { Reply } from '../port.js';
import { formatReminderTime } from '../../domain/reminder-schedule.js';

export function reminderErrorsText(errors: readonly string[]): Reply {
  return { text: `${errors.join('\n')}\nExample: /reminders on day 1 time 19:00 (or 7pm) zone Europe/Berlin` };
}

/** /reminders without arguments: on (when, and the next one in the athlete's `zone`) or off (and why). */
export function remindersShownText(s: ReminderSettings | null, zone: string): Reply {
  return {
    title: 'Monthly reminders',
    text: s?.enabled
      ? `On: day ${s.dayOfMonth} of each month at ${s.timeOfDay} (${s.timeZone}); next ${s.nextDueAt ? formatReminderTime(s.nextDueAt, zone) : '–'}.\nChange with e.g. /reminders day last time 18:00 (or 6pm), or /reminders off.`
      : `Off${s?.disabledReason ? ` (${s.disabledReason})` : ''}. Turn on with /reminders on (optionally: day 1–28 or last, time 19:00 or 7pm, zone Europe/Berlin).`,
  };
}

/** A change made: when they come now (the next one in the athlete's `zone`), or that they are off. */
export function remindersSetText(
  enabled: boolean,
  schedule: { dayOfMonth: string; timeOfDay: string; timeZone: string },
  nextDueAt: Date | null,
  zone: string,
): Reply {
  return {
    text: enabled
      ? `Reminders on: day ${schedule.dayOfMonth === 'last' ? 'last' : schedule.dayOfMonth} of each month at ${schedule.timeOfDay} (${schedule.timeZone}). The next one comes on ${nextDueAt ? formatReminderTime(nextDueAt, zone) : '–'}.`
      : 'Reminders off. /reminders on brings them back.',
  };
}
