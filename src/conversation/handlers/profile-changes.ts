/**
 * A change to the profile written in chat ("ftp 270", "time zone London"), stored: the profile
 * fields as a new version, the time zone and units on the athlete — the monthly reminder and the
 * weekly check-in follow the athlete to a new zone, and a new FTP rescales the current plan's
 * targets (a plan version that says so).
 */
import { changeNotes } from '../messages/profile.js';
import type { ProfileChanges } from '../profile-text.js';
import { nextCheckinAt } from '../../domain/checkin-schedule.js';
import { nextReminderAt } from '../../domain/reminder-schedule.js';
import type { Turn } from '../turn.js';

/** Stores the changes; returns what was updated, in words ("FTP 270 W (was 255 W)", …). */
export function applyChanges({ deps, athlete, loop }: Turn, changes: ProfileChanges): string[] {
  const before = athlete.currentProfile();
  const said = changeNotes(changes, before?.ftp, athlete.info().units);
  if (Object.keys(changes.profile).length > 0) athlete.updateProfile(changes.profile, deps.clock());
  const ftp = changes.profile.ftp;
  if (typeof ftp === 'number') {
    const rescaled = loop.newFtp(athlete, ftp);
    // "… — your plan: from today your targets use FTP 270 W (was 255 W): sweet spot is now …"
    if (rescaled) said.push(`your plan: ${rescaled.changes.map((c) => c.text.replace(/\.$/, '')).join('; ')}`);
  }
  if (changes.timeZone || changes.units) {
    athlete.update({ ...(changes.timeZone ? { timeZone: changes.timeZone } : {}), ...(changes.units ? { units: changes.units } : {}) });
    // the monthly reminder follows the athlete to their new zone: 09:00 stays 09:00 where they are
    const reminder = changes.timeZone ? athlete.reminder() : null;
    if (reminder && changes.timeZone && reminder.timeZone !== changes.timeZone) {
      const schedule = { dayOfMonth: reminder.dayOfMonth, timeOfDay: reminder.timeOfDay, timeZone: changes.timeZone };
      athlete.setReminder({ ...reminder, ...schedule, nextDueAt: reminder.enabled ? nextReminderAt(schedule, deps.clock()) : null });
    }
    const checkin = changes.timeZone ? athlete.checkin() : null;
    if (checkin && changes.timeZone && checkin.timeZone !== changes.timeZone) {
      const schedule = { weekday: checkin.weekday, timeOfDay: checkin.timeOfDay, timeZone: changes.timeZone };
      athlete.setCheckin({ ...checkin, ...schedule, nextDueAt: checkin.enabled ? nextCheckinAt(schedule, deps.clock()) : null });
    }
  }
  return said;
}
