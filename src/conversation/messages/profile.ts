/**
 * The words about the athlete's profile: the profile itself, its FTP history, and what a change
 * written in chat updated.
 */
import { zonedDate } from '../../domain/calendar.js';
import type { ProfileVersion } from '../../domain/profile.js';
import { formatWeight, type Units } from '../../report/format.js';
import type { AthleteRecord } from '../../store/store.js';
import type { Reply } from '../port.js';
import type { ProfileChanges } from '../profile-text.js';
import { describeZone, isFixedOffsetZone } from '../time-zones.js';
import { quantity as n } from './format.js';

export function profileText(athlete: AthleteRecord, profile: ProfileVersion | null): string {
  const p = profile;
  const weight = formatWeight(p?.weightKg, athlete.units, 'chat');
  return [
    `FTP: ${p?.ftp == null ? 'not set (estimated from your rides)' : `${n(p.ftp)} W`}${p?.ftp && p.weightKg ? ` (${n(p.ftp / p.weightKg, 2)} W/kg)` : ''}`,
    `Weight: ${weight}`,
    `Heart rate: max ${n(p?.maxHr, 0, ' bpm')}, threshold ${n(p?.lthr, 0, ' bpm')}, resting ${n(p?.restingHr, 0, ' bpm')}`,
    `Training days: ${p?.trainingDays?.map((d) => d[0]!.toUpperCase() + d.slice(1)).join(' ') ?? '–'}; hours per week: ${n(p?.weeklyHours, 1, ' h')}`,
    `Goal: ${p?.goals ?? '–'}${p?.eventDate ? ` (event ${p.eventDate})` : ''}`,
    `Time zone: ${athlete.timeZone}; units: ${athlete.units}`,
  ].join('\n');
}

/** /profile: the profile and how to change it. */
export function profileReply(athlete: AthleteRecord, profile: ProfileVersion | null): Reply {
  return {
    title: 'Your profile',
    text: `${profileText(athlete, profile)}\n\nChange a value by writing it, e.g. "ftp 270" or "weight 69 kg". /profile history shows your FTP over time.`,
  };
}

/** /profile history: only changes, each from its day (the athlete's); the first value also counts for older rides. */
export function ftpHistoryText(changes: readonly { from: Date; ftp: number; weightKg: number | null }[], zone: string): Reply {
  const lines = changes.map(
    (c) => `${zonedDate(c.from, zone)}: ${c.ftp} W${c.weightKg ? ` (${(c.ftp / c.weightKg).toFixed(2)} W/kg)` : ''}`,
  );
  return {
    title: 'FTP history',
    text:
      lines.length > 0
        ? `${lines.join('\n')}\n\nEach value counts from its day until the next; the first one also for your older rides.`
        : 'No FTP set yet. Write e.g. "ftp 265".',
  };
}

/**
 * What a change updated, in words: "FTP 270 W (was 255 W)", "weight 69 kg", "time zone …".
 * `previousFtp` is the FTP before it, `units` the athlete's before it.
 */
export function changeNotes(changes: ProfileChanges, previousFtp: number | null | undefined, units: Units): string[] {
  const said: string[] = [];
  const p = changes.profile;
  if (p.ftp !== undefined) said.push(`FTP ${p.ftp} W${previousFtp && previousFtp !== p.ftp ? ` (was ${previousFtp} W)` : ''}`);
  if (p.weightKg !== undefined) said.push(`weight ${formatWeight(p.weightKg, changes.units ?? units, 'chat')}`);
  if (p.maxHr !== undefined) said.push(`max HR ${p.maxHr} bpm`);
  if (p.lthr !== undefined) said.push(`threshold HR ${p.lthr} bpm`);
  if (p.restingHr !== undefined) said.push(`resting HR ${p.restingHr} bpm`);
  if (p.trainingDays !== undefined) said.push(`days ${p.trainingDays?.join(' ')}`);
  if (p.weeklyHours !== undefined) said.push(`${p.weeklyHours} h a week`);
  if (p.goals !== undefined) said.push(`goal "${p.goals}"`);
  if (p.eventDate !== undefined) said.push(`event ${p.eventDate}`);
  // a fixed offset keeps no summer time: said, so that someone whose clocks change gives a city instead
  if (changes.timeZone)
    said.push(
      `time zone ${changes.timeZone}${isFixedOffsetZone(changes.timeZone) ? ` (${describeZone(changes.timeZone)} all year, no summer time — write your city instead if your clocks change)` : ''}`,
    );
  if (changes.units) said.push(`${changes.units} units`);
  return said;
}

/** "Updated: FTP 270 W, weight 69 kg." */
export function updatedText(said: readonly string[]): string {
  return `Updated: ${said.join(', ')}.`;
}
