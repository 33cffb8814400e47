/**
 * The words of /event: the athlete's events listed, one added or removed, the plan made again for
 * them (or why it waits for the next /analyze), and each refusal. Event names are the athlete's own
 * text, shown as written (the adapters escape replies for their platform).
 */
import { DateTime } from 'luxon';
import { daysBetween, WEEKDAY_LABELS, weekdayOf } from '../../domain/calendar.js';
import type { AthleteEvent, EventPriority, PlanVersion } from '../../domain/coaching/types.js';
import type { Result } from '../../domain/result.js';
import { EVENT_USAGE } from '../event-args.js';
import { buttonRow, type Reply } from '../port.js';

/** The most events ahead an athlete keeps. */
export const MAX_FUTURE_EVENTS = 10;

const PRIORITY_MEANING: Record<EventPriority, string> = {
  A: 'the plan peaks and tapers for it',
  B: 'a short taper before it',
  C: 'trained through',
};

/** '2027-06-14' → '14 June 2027'. */
const eventDay = (date: string): string => DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en').toFormat('d MMMM yyyy');

/** 'Marmotte (A) on 14 June 2027': also the reason of the plan version the change makes. */
export const eventLabel = (e: Pick<AthleteEvent, 'name' | 'priority' | 'date'>): string =>
  `${e.name} (${e.priority}) on ${eventDay(e.date)}`;

function until(date: string, today: string): string {
  const days = daysBetween(today, date);
  if (days < 0) return 'past';
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return days < 21 ? `in ${days} days` : `in ${Math.round(days / 7)} weeks`;
}

/** /event list: numbered by date (the numbers /event remove takes). */
export function eventListText(events: readonly AthleteEvent[], today: string): Reply {
  if (events.length === 0) return { title: 'Your events', text: `No events yet. ${EVENT_USAGE}` };
  const lines = events.map(
    (e, i) => `${i + 1}. ${WEEKDAY_LABELS[weekdayOf(e.date)]} ${eventDay(e.date)} · ${e.priority} · ${e.name} — ${until(e.date, today)}`,
  );
  return {
    title: 'Your events',
    text: [
      ...lines,
      '',
      'A: the plan peaks and tapers for it · B: a short taper · C: trained through.',
      '/event remove 1 (a number above) removes one.',
    ].join('\n'),
  };
}

/** What a plan needs that the profile lacks, in the words that set it. */
export const PLAN_NEEDS = {
  ftp: 'your FTP ("ftp 250")',
  weeklyHours: 'the hours a week you can train ("8 hours")',
  trainingDays: 'the days you can ride ("Tue Thu Sat Sun")',
} as const;

/** The plan after the events changed: made again (the version's changes), or why it waits (`needs`: what the profile lacks). */
function planText(plan: Result<PlanVersion, string>, needs: readonly (keyof typeof PLAN_NEEDS)[]): string {
  if (plan.ok)
    // the plan's notes say which events it holds and which fall outside it (their taper comes with a later plan)
    return [
      `Your plan is made again for your events (version ${plan.value.version}): ${plan.value.changes.map((c) => c.text).join(' ')}`,
      ...(plan.value.plan.notes ?? []),
    ].join('\n');
  if (needs.length > 0)
    return `Your plan follows at the next /analyze. For a plan I need ${needs.map((n) => PLAN_NEEDS[n]).join(', ')} — write them to me or use /profile.`;
  return `Your plan follows at the next /analyze (I could not make it now: ${plan.error.split('\n')[0]!.replace(/^[-\s]*\[\w+\]\s*/, '')}).`;
}

const PLAN_BUTTON = buttonRow(['This week', 'plan']);

export function eventAddedText(
  event: AthleteEvent,
  today: string,
  plan: Result<PlanVersion, string>,
  needs: readonly (keyof typeof PLAN_NEEDS)[] = [],
): Reply {
  return {
    text: `Added: ${eventLabel(event)}, ${until(event.date, today)} — ${PRIORITY_MEANING[event.priority]}.\n${planText(plan, needs)}`,
    ...(plan.ok ? { buttons: PLAN_BUTTON } : {}),
  };
}

/** `plan` null: the event was past, the plan is not touched. */
export function eventRemovedText(
  event: AthleteEvent,
  plan: Result<PlanVersion, string> | null,
  needs: readonly (keyof typeof PLAN_NEEDS)[] = [],
): Reply {
  return {
    text: `Removed: ${eventLabel(event)}.${plan ? `\n${planText(plan, needs)}` : ''}`,
    ...(plan?.ok ? { buttons: PLAN_BUTTON } : {}),
  };
}

export function eventInPastText(date: string, today: string): Reply {
  return { text: `${eventDay(date)} is in the past (today is ${eventDay(today)}). Give the date of an event to come.` };
}

export const TOO_MANY_EVENTS: Reply = {
  text: `You have ${MAX_FUTURE_EVENTS} events ahead already, the most I keep. Remove one first (/event list, then /event remove with its number).`,
};

export function eventExistsText(event: AthleteEvent): Reply {
  return { text: `${eventLabel(event)} is in your list already (/event list).` };
}

export function eventNotFoundText(target: string, count: number): Reply {
  const shown = target.length > 40 ? `${target.slice(0, 40)}…` : target;
  return {
    text:
      count === 0
        ? 'You have no events to remove. /event add 2027-06-14 A Marmotte adds one.'
        : `No event matches "${shown}". /event list shows yours with their numbers; /event remove 2 removes the second.`,
  };
}

export function eventAmbiguousText(target: string, matching: readonly AthleteEvent[], all: readonly AthleteEvent[]): Reply {
  const numbered = matching.map((e) => `${all.indexOf(e) + 1}. ${eventLabel(e)}`);
  return {
    text: `Several events match "${target.slice(0, 40)}":\n${numbered.join('\n')}\nRemove one by its number, e.g. /event remove ${all.indexOf(matching[0]!) + 1}.`,
  };
}

export function eventErrorText(message: string): Reply {
  return { text: message };
}
