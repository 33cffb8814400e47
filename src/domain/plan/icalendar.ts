/**
 * A plan as an iCalendar file (RFC 5545): one VEVENT per workout with UID, SEQUENCE, DTSTAMP,
 * LAST-MODIFIED, DTSTART (an all-day date, or a local "floating" time when a start time is given),
 * SUMMARY and DESCRIPTION. Lines end in CRLF and are folded at 75 octets (never inside a UTF-8
 * character); text values escape backslashes, semicolons, commas and newlines. No clock: DTSTAMP
 * and the plan's revision time are passed in.
 *
 * A UID names a slot, not a workout: the athlete, the date and the workout's place in that day.
 * The next analysis' plan reuses the UIDs of the days it covers again with a higher SEQUENCE, so
 * that importing it into a calendar updates those events instead of adding a second set.
 */
import { addDays } from '../calendar.js';
import { formatStepDuration } from './describe-workout.js';
import type { Plan, PlannedWorkout } from './types.js';

const MAX_LINE_OCTETS = 75;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A TEXT value (RFC 5545 §3.3.11): \\ \; \, and \n for line breaks; other control characters dropped. */
export function escapeIcsText(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Folds one content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space.
 * Never splits a UTF-8 character, nor (for lenient readers) a backslash escape such as "\,".
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    let token = chars[i]!;
    if (token === '\\' && i + 1 < chars.length) token += chars[++i]!;
    let size = 0;
    for (const char of token) size += utf8Length(char.codePointAt(0)!);
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += token;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** 'YYYYMMDDTHHMMSSZ' of an instant. */
export function icsUtcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const compactDate = (date: string): string => date.replace(/-/g, '');

/** FNV-1a, 32 bit, from `seed`: a stable, dependency-free fingerprint. */
function fnv1a(text: string, seed = 0x811c9dc5): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** 64 bits of fingerprint (two FNV-1a passes): the owner in a UID, without showing their id. */
const ownerTag = (owner: string): string => fnv1a(owner) + fnv1a(owner, 0x050c5d1f);

/** SEQUENCE counts seconds since this instant: a later plan always has a higher one. */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/** The UID of a plan's `slot`-th (1-based) workout on `date` (YYYY-MM-DD) for `owner`. */
export function workoutUid(owner: string, date: string, slot: number): string {
  return `${compactDate(date)}-${slot}-${ownerTag(owner)}@domestique`;
}

/**
 * The SEQUENCE of events of a plan made at `revisedAt`: seconds since 2024 (a 32-bit INTEGER until
 * 2092). The same plan sent again keeps it; any later analysis' plan raises it, without the
 * calendar file having to know the previous one.
 */
export function icsSequence(revisedAt: Date): number {
  return Math.max(0, Math.floor((revisedAt.getTime() - SEQUENCE_EPOCH_MS) / 1000));
}

export interface IcsOptions {
  /** DTSTAMP: when the file was made (the caller reads the clock). */
  dtstamp: Date;
  /** Whose plan it is (an athlete id): fingerprinted into every UID, so UIDs are stable per athlete, date and slot. */
  owner: string;
  /** When this plan was made (its analysis): LAST-MODIFIED and SEQUENCE. Default: `dtstamp`. */
  revisedAt?: Date | undefined;
  /** 'HH:MM' local start time of each day's first workout; absent or null: all-day events. */
  startTime?: string | null | undefined;
  /** Calendar name (X-WR-CALNAME). */
  calendarName?: string | undefined;
  /** Goal text added to every description. */
  goal?: string | null | undefined;
}

function eventDescription(workout: PlannedWorkout, week: number, phase: string, goal: string | null | undefined): string {
  const lines = [
    workout.description ?? workout.name,
    `${formatStepDuration(Math.round(workout.durationMinutes * 60))}, TSS ${workout.tss.toFixed(0)}, IF ${workout.intensityFactor.toFixed(2)} (${workout.intensity}).`,
    `Week ${week}, ${phase}.`,
  ];
  if (goal) lines.push(`Goal: ${goal}`);
  return lines.join('\n');
}

function localDateTime(date: string, minutesFromMidnight: number): string {
  const dayOffset = Math.floor(minutesFromMidnight / 1440);
  const minutes = minutesFromMidnight - dayOffset * 1440;
  const day = addDays(date, dayOffset);
  return `${compactDate(day)}T${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}00`;
}

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The plan's workouts as an .ics calendar. */
export function planToIcs(plan: Plan, options: IcsOptions): string {
  let startMinutes: number | null = null;
  if (options.startTime !== undefined && options.startTime !== null) {
    const match = TIME_PATTERN.exec(options.startTime);
    if (!match) throw new RangeError(`Expected a start time as HH:MM, got "${options.startTime}".`);
    startMinutes = Number(match[1]) * 60 + Number(match[2]);
  }
  const stamp = icsUtcStamp(options.dtstamp);
  const revisedAt = options.revisedAt ?? options.dtstamp;
  const sequence = icsSequence(revisedAt);
  const modified = icsUtcStamp(revisedAt);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//domestique//training plan//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(options.calendarName ?? 'Training plan')}`,
  ];
  for (const week of plan.weeks) {
    for (const day of week.days) {
      let offset = startMinutes ?? 0;
      day.workouts.forEach((workout, index) => {
        lines.push(
          'BEGIN:VEVENT',
          `UID:${workoutUid(options.owner, day.date, index + 1)}`,
          `SEQUENCE:${sequence}`,
          `DTSTAMP:${stamp}`,
          `LAST-MODIFIED:${modified}`,
        );
        if (startMinutes === null) {
          lines.push(`DTSTART;VALUE=DATE:${compactDate(day.date)}`, `DTEND;VALUE=DATE:${compactDate(addDays(day.date, 1))}`);
        } else {
          const minutes = Math.max(1, Math.round(workout.durationMinutes));
          lines.push(`DTSTART:${localDateTime(day.date, offset)}`, `DURATION:PT${minutes}M`);
          offset += minutes;
        }
        lines.push(
          `SUMMARY:${escapeIcsText(workout.name)}`,
          `DESCRIPTION:${escapeIcsText(eventDescription(workout, week.week, week.phase, options.goal))}`,
          `CATEGORIES:${escapeIcsText(workout.type)}`,
          'TRANSP:TRANSPARENT',
          'END:VEVENT',
        );
      });
    }
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
