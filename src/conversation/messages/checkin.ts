/**
 * The words of the weekly check-in: the rule coach's (last week planned against done, form now,
 * what changed in the plan), the message around them (the week ahead, the three answers), the
 * answers to those buttons, and /checkin — how it is set and what a change did.
 */
import { DateTime } from 'luxon';
import { WEEKDAY_NAMES, type Weekday } from '../../domain/calendar.js';
import type { CheckinSettings, PlanVersion } from '../../domain/coaching/types.js';
import { formatReminderTime } from '../../domain/reminder-schedule.js';
import type { CheckinReview } from '../checkin-review.js';
import { formText } from '../intent-answers.js';
import { buttonRow, type Reply } from '../port.js';
import { dayNameOf } from './coaching.js';
import { quantity as n } from './format.js';
import { trackedWeekText } from './plan.js';

/** "Monday" for 'mon'. */
export const weekdayName = (weekday: Weekday): string => WEEKDAY_NAMES[weekday];

/** "Mon 6 Jul – Sun 12 Jul". */
function span(from: string, to: string): string {
  const day = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en-GB').toFormat('ccc d LLL');
  return `${day(from)} – ${day(to)}`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Last week: the planned sessions ridden, hours and TSS against the plan (or just the rides, without one). */
function lastWeekLines(r: CheckinReview): string[] {
  const { last } = r;
  const label = `Last week (${span(last.from, last.to)})`;
  if (last.planned.sessions === 0) return [`${label}: ${plural(last.rides, 'ride')}, ${n(last.done.hours, 1)} h, ${n(last.done.tss)} TSS.`];
  const partly = last.partial > 0 ? ` (${last.partial} partly)` : '';
  const ahead = last.ahead > 0 ? `, ${last.ahead} still to come` : '';
  const lines = [
    `${label}: ${last.done.sessions} of ${plural(last.planned.sessions, 'planned session')} ridden${partly}${ahead}; ` +
      `${n(last.done.hours, 1)} of ${n(last.planned.hours, 1)} h and ${n(last.done.tss)} of ${n(last.planned.tss)} TSS planned.`,
  ];
  if (last.missed.length > 0) lines.push(`Missed: ${last.missed.map((m) => `${dayNameOf(m.date)}'s ${m.name}`).join(', ')}.`);
  if (last.extra > 0) lines.push(`${plural(last.extra, 'ride')} not in the plan.`);
  return lines;
}

/** What changed in the plan since the last check-in, a line a change. */
function changeLines(r: CheckinReview): string[] {
  if (!r.hasPlan) return [];
  const texts = r.changes.flatMap((c) => c.texts);
  return texts.length > 0
    ? ['What changed in your plan since the last check-in:', ...texts.map((t) => `• ${t}`)]
    : ['No changes to your plan since the last check-in.'];
}

/** The rule coach's last word: what the figures call for. */
function closingLine(r: CheckinReview): string {
  if (!r.hasPlan) return 'You have no plan yet: /analyze makes one from your rides, and I will follow it up with you every week.';
  if (r.form.tsb < -30) return 'You carry a lot of fatigue: if you feel it, press "I\'m ill/tired" and I will ease the week.';
  const { planned, done } = r.last;
  if (planned.sessions > 0 && done.sessions === planned.sessions)
    return 'Every planned session ridden — well done. How does the week ahead look?';
  return 'How does the week ahead look?';
}

/** The rule coach's words of a check-in: last week, form now, what changed, and a last word. */
export function checkinWords(r: CheckinReview): string {
  const { ctl, atl, tsb } = r.form;
  return [
    ...lastWeekLines(r),
    `Form now: fitness (CTL) ${n(ctl, 1)}, fatigue (ATL) ${n(atl, 1)}, form (TSB) ${n(tsb, 1)} — ${formText(tsb)}.`,
    ...changeLines(r),
    '',
    closingLine(r),
  ].join('\n');
}

/** The check-in's three answers. */
const CHECKIN_BUTTONS = buttonRow(
  ['Looks good', 'checkin:ok'],
  ["I'm ill/tired", 'checkin:unwell'],
  ['Less time this week', 'checkin:less-time'],
);

/** The check-in message: `words` (the model's or the rule coach's), then the week ahead and the answers. */
export function checkinReply(r: CheckinReview, words: string): Reply {
  const title = `Hi ${r.name} — your weekly check-in`;
  if (!r.hasPlan) return { title, text: words, buttons: buttonRow(['Analyze now', 'analyze']) };
  const ahead = r.coming.week
    ? `The week ahead (${span(r.coming.from, r.coming.to)}):\n${trackedWeekText(r.coming.week, r.coming.statuses)}`
    : 'Your plan has no week ahead: send new rides and /analyze for the next block.';
  return { title, text: `${words}\n\n${ahead}`, buttons: r.coming.week ? CHECKIN_BUTTONS : buttonRow(['Analyze now', 'analyze']) };
}

// ---- the answers to the check-in ----

/** "Looks good": nothing changes; when the next check-in comes. */
export function looksGoodText(next: Date | null, zone: string): Reply {
  return { text: `Great — ride well this week.${next ? ` I will check in again on ${formatReminderTime(next, zone)}.` : ''}` };
}

/** The plan after "Less time this week" (`what`: how many hours): the new version's changes, or that nothing needed to change. */
export function lessTimeText(version: PlanVersion | null, what: string): Reply {
  if (!version) return { text: `${what}: the rest of the week already fits, so nothing needed to change.` };
  return {
    title: 'Plan updated',
    text: [`${what}: your plan is now version ${version.version} (${version.reason}):`, ...version.changes.map((c) => `• ${c.text}`)].join(
      '\n',
    ),
    buttons: buttonRow(['This week', 'plan']),
  };
}

/** "Less time this week" when nothing is left to ride this week. */
export const NOTHING_LEFT: Reply = { text: 'There is nothing left to ride in this week of your plan, so there is nothing to cut.' };

export const NO_PLAN_TO_ADAPT: Reply = {
  text: 'You have no plan yet, so there is nothing to cut. Send your rides and /analyze, and I will fit the plan to your weeks.',
};

// ---- /checkin ----

export function checkinErrorsText(errors: readonly string[]): Reply {
  return { text: `${errors.join('\n')}\nExamples: /checkin on, /checkin off, /checkin day sunday, /checkin time 19:30` };
}

/** When the next check-in comes; one that is due (the bot was down at its time) goes out within a minute. */
function nextText(next: Date | null, zone: string, now: Date): string {
  if (!next) return '–';
  return next.getTime() <= now.getTime() ? 'any minute now (it is due)' : formatReminderTime(next, zone);
}

/** /checkin without arguments: on (when, and the next one in the athlete's `zone`) or off (and why). */
export function checkinShownText(s: CheckinSettings | null, zone: string, now: Date): Reply {
  return {
    title: 'Weekly check-in',
    text: s?.enabled
      ? `On: every ${weekdayName(s.weekday)} at ${s.timeOfDay} (${s.timeZone}); next ${nextText(s.nextDueAt, zone, now)}.\nChange with e.g. /checkin day sunday, /checkin time 19:30 (or 7:30pm), or /checkin off.`
      : `Off${s?.disabledReason ? ` (${s.disabledReason})` : ''}. Turn on with /checkin on: every Monday at 08:00 unless you choose (e.g. /checkin day sunday time 19:30).`,
  };
}

/** A change made: when it comes now (the next one in the athlete's `zone`), or that it is off. */
export function checkinSetText(s: CheckinSettings, zone: string): Reply {
  return {
    text: s.enabled
      ? `Weekly check-in on: every ${weekdayName(s.weekday)} at ${s.timeOfDay} (${s.timeZone}). The next one comes on ${s.nextDueAt ? formatReminderTime(s.nextDueAt, zone) : '–'}.`
      : `Weekly check-in off. /checkin on brings it back: every ${weekdayName(s.weekday)} at ${s.timeOfDay} (${s.timeZone}).`,
  };
}

/** Said once, when a first plan turns the check-ins on. */
export function checkinStartedText(s: CheckinSettings, zone: string): Reply {
  return {
    text: `I will check in on your plan every ${weekdayName(s.weekday)} at ${s.timeOfDay}${s.nextDueAt ? `, first on ${formatReminderTime(s.nextDueAt, zone)}` : ''}. /checkin changes the day and time; /checkin off stops it.`,
  };
}
