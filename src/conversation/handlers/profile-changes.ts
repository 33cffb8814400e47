/**
 * A change to the profile written in chat ("ftp 270", "time zone London"), stored: the profile
 * fields as a new version, the time zone and units on the athlete — and the monthly reminder
 * follows the athlete to a new zone.
 */
import { changeNotes } from '../messages/profile.js';
import type { ProfileChanges } from '../profile-text.js';
import { nextReminderAt } from '../../domain/reminder-schedule.js';
import type { Turn } from '../turn.js';

/** Stores the changes; returns what was updated, in words ("FTP 270 W (was 255 W)", …). */
export function applyChanges({ deps, athlete }: Turn, changes: ProfileChanges): string[] {
  const before = athlete.currentProfile();
  const said = changeNotes(changes, before?.ftp, athlete.info().units);
  if (Object.keys(changes.profile).length > 0) athlete.updateProfile(changes.profile, deps.clock());
  if (changes.timeZone || changes.units) {
    athlete.update({ ...(changes.timeZone ? { timeZone: changes.timeZone } : {}), ...(changes.units ? { units: changes.units } : {}) });
    // the monthly reminder follows the athlete to their new zone: 09:00 stays 09:00 where they are
    const reminder = changes.timeZone ? athlete.reminder() : null;
    if (reminder && changes.timeZone && reminder.timeZone !== changes.timeZone) {
      const schedule = { dayOfMonth: reminder.dayOfMonth, timeOfDay: reminder.timeOfDay, timeZone: changes.timeZone };
      athlete.setReminder({ ...reminder, ...schedule, nextDueAt: reminder.enabled ? nextReminderAt(schedule, deps.clock()) : null });
    }
  }
  return said;
}
