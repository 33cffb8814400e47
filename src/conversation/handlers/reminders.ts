/**
 * /reminders: the monthly reminder to send new rides — shown, turned on or off, its day, time and
 * zone changed (what is not given stays, or takes the default).
 */
import { remindersSetText, remindersShownText, reminderErrorsText } from '../messages/reminders.js';
import { parseReminderArgs } from '../reminder-args.js';
import { DEFAULT_SCHEDULE, nextReminderAt } from '../../domain/reminder-schedule.js';
import type { Turn } from '../turn.js';

export async function reminders({ deps, thread, athlete }: Turn, args: string): Promise<void> {
  const current = await athlete.reminder();
  const info = await athlete.info();
  const { changes, errors } = parseReminderArgs(args);
  if (errors.length > 0) {
    await thread.post(reminderErrorsText(errors));
    return;
  }
  if (Object.keys(changes).length === 0) {
    await thread.post(remindersShownText(current, info.timeZone));
    return;
  }
  const schedule = {
    dayOfMonth: changes.dayOfMonth ?? current?.dayOfMonth ?? DEFAULT_SCHEDULE.dayOfMonth,
    timeOfDay: changes.timeOfDay ?? current?.timeOfDay ?? DEFAULT_SCHEDULE.timeOfDay,
    timeZone: changes.timeZone ?? current?.timeZone ?? info.timeZone,
  };
  const enabled = changes.enabled ?? current?.enabled ?? true;
  const nextDueAt = enabled ? nextReminderAt(schedule, deps.clock()) : null;
  await athlete.setReminder({ ...schedule, enabled, nextDueAt, channelKey: thread.athleteKey, disabledReason: null });
  await thread.post(remindersSetText(enabled, schedule, nextDueAt, info.timeZone));
}
