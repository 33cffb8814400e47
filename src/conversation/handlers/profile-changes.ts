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
import type { PlanVersion } from '../../domain/coaching/types.js';
import type { Turn } from '../turn.js';

/**
 * The plan on a new FTP, after "FTP 270 W (was 255 W)": "your plan from today: sweet spot is now
 * 238–251 W; Tuesday's …" (the version's first change names the FTP again: that part is left out).
 */
function rescaledText(version: PlanVersion): string {
  const texts = version.changes
    .map((c) => c.text.replace(/^From today your targets use FTP [\d.]+ W \(was [\d.]+ W\)[:.]\s*/, '').replace(/\.$/, ''))
    .filter((t) => t !== '');
  return texts.length > 0 ? `your plan from today: ${texts.join('; ')}` : "your plan's targets from today";
}

/** Stores the changes; returns what was updated, in words ("FTP 270 W (was 255 W)", …). */
export async function applyChanges({ deps, athlete, loop }: Turn, changes: ProfileChanges): Promise<string[]> {
  const before = await athlete.currentProfile();
  const said = changeNotes(changes, before?.ftp, (await athlete.info()).units);
  if (Object.keys(changes.profile).length > 0) await athlete.updateProfile(changes.profile, deps.clock());
  if (typeof changes.profile.ftp === 'number') {
    const rescaled = await loop.newFtp(athlete, changes.profile.ftp);
    if (rescaled) said.push(rescaledText(rescaled));
  }
  if (changes.timeZone || changes.units) {
    await athlete.update({
      ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
      ...(changes.units ? { units: changes.units } : {}),
    });
    // the monthly reminder follows the athlete to their new zone: 09:00 stays 09:00 where they are
    const reminder = changes.timeZone ? await athlete.reminder() : null;
    if (reminder && changes.timeZone && reminder.timeZone !== changes.timeZone) {
      const schedule = { dayOfMonth: reminder.dayOfMonth, timeOfDay: reminder.timeOfDay, timeZone: changes.timeZone };
      await athlete.setReminder({ ...reminder, ...schedule, nextDueAt: reminder.enabled ? nextReminderAt(schedule, deps.clock()) : null });
    }
    const checkin = changes.timeZone ? await athlete.checkin() : null;
    if (checkin && changes.timeZone && checkin.timeZone !== changes.timeZone) {
      const schedule = { weekday: checkin.weekday, timeOfDay: checkin.timeOfDay, timeZone: changes.timeZone };
      await athlete.setCheckin({ ...checkin, ...schedule, nextDueAt: checkin.enabled ? nextCheckinAt(schedule, deps.clock()) : null });
    }
  }
  return said;
}
