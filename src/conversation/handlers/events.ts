/**
 * /event: the athlete's events with priorities (A: peak and taper, B: a short taper, C: trained
 * through) — listed, added (a date to come; at most MAX_FUTURE_EVENTS ahead) or removed (by the
 * number /event list shows, its date or its name). Each change to the events ahead makes the plan
 * again from the coming Monday through the coaching loop (a new version that says why); without a
 * profile good enough for a plan, the event is kept and the plan follows at the next /analyze.
 */
import type { AthleteEvent } from '../../domain/coaching/types.js';
import { parseEventArgs } from '../event-args.js';
import {
  eventAddedText,
  eventAmbiguousText,
  eventErrorText,
  eventExistsText,
  eventInPastText,
  eventLabel,
  eventListText,
  eventNotFoundText,
  eventRemovedText,
  MAX_FUTURE_EVENTS,
  PLAN_NEEDS,
  TOO_MANY_EVENTS,
} from '../messages/events.js';
import { today, type Turn } from '../turn.js';
import { findDate } from '../written-dates.js';

export async function events(turn: Turn, args: string): Promise<void> {
  const { thread, athlete } = turn;
  const day = await today(turn);
  const command = parseEventArgs(args, day);
  switch (command.kind) {
    case 'error':
      await thread.post(eventErrorText(command.message));
      return;
    case 'list':
      await thread.post(eventListText(await athlete.coaching.events(), day));
      return;
    case 'add':
      return addEvent(turn, command, day);
    case 'remove':
      return removeEvent(turn, command.target, day);
  }
}

async function addEvent(turn: Turn, wanted: Omit<AthleteEvent, 'id'>, day: string): Promise<void> {
  const { thread, athlete, loop } = turn;
  if (wanted.date < day) {
    await thread.post(eventInPastText(wanted.date, day));
    return;
  }
  const held = await athlete.coaching.events();
  const same = held.find((e) => e.date === wanted.date && e.name.toLowerCase() === wanted.name.toLowerCase());
  if (same) {
    await thread.post(eventExistsText(same));
    return;
  }
  if (held.filter((e) => e.date >= day).length >= MAX_FUTURE_EVENTS) {
    await thread.post(TOO_MANY_EVENTS);
    return;
  }
  const event = await athlete.coaching.addEvent({ date: wanted.date, priority: wanted.priority, name: wanted.name });
  const plan = await loop.replan(athlete, `Event added: ${eventLabel(event)}`);
  await thread.post(eventAddedText(event, day, plan, plan.ok ? [] : await profileNeeds(turn)));
}

/** What the profile lacks for a plan. */
async function profileNeeds({ athlete }: Turn): Promise<(keyof typeof PLAN_NEEDS)[]> {
  const p = await athlete.currentProfile();
  return (Object.keys(PLAN_NEEDS) as (keyof typeof PLAN_NEEDS)[]).filter((k) => {
    const value = p?.[k] ?? null;
    return value === null || (Array.isArray(value) && value.length === 0);
  });
}

/** The event `target` names: its number in /event list, its date, else its name (whole, then a part of it). */
function findEvent(all: readonly AthleteEvent[], target: string, day: string): AthleteEvent[] {
  const number = /^#?(\d{1,3})$/.exec(target);
  if (number) {
    const event = all[Number(number[1]) - 1];
    return event ? [event] : [];
  }
  const date = findDate(target, day);
  if (date?.date && date.text.trim() === target.trim()) return all.filter((e) => e.date === date.date);
  const wanted = target.toLowerCase();
  const exact = all.filter((e) => e.name.toLowerCase() === wanted);
  return exact.length > 0 ? exact : all.filter((e) => e.name.toLowerCase().includes(wanted));
}

async function removeEvent(turn: Turn, target: string, day: string): Promise<void> {
  const { thread, athlete, loop } = turn;
  const all = await athlete.coaching.events();
  const found = findEvent(all, target, day);
  if (found.length === 0) {
    await thread.post(eventNotFoundText(target, all.length));
    return;
  }
  if (found.length > 1) {
    await thread.post(eventAmbiguousText(target, found, all));
    return;
  }
  const removed = await athlete.coaching.removeEvent(found[0]!.id);
  if (!removed) {
    await thread.post(eventNotFoundText(target, all.length - 1));
    return;
  }
  // a past event no longer shapes the plan: nothing to make again
  const plan = removed.date >= day ? await loop.replan(athlete, `Event removed: ${eventLabel(removed)}`) : null;
  await thread.post(eventRemovedText(removed, plan, plan && !plan.ok ? await profileNeeds(turn) : []));
}
