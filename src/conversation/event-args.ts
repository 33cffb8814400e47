/**
 * What `/event` reads: `add <date> [A|B|C] <name>` (the date as 2027-06-14 or written out — "14
 * June 2027", "June 14th" — anywhere in the text, the priority A by default, in any order),
 * `list` (also nothing at all), and `remove <number from the list or name>`. The name is the
 * athlete's own text: kept as written (whitespace tidied, control characters out), at most
 * NAME_MAX characters; whoever shows it escapes or fences it.
 */
import { EVENT_PRIORITIES, type EventPriority } from '../domain/coaching/types.js';
import { findDate } from './written-dates.js';

/** The longest event name kept. */
export const NAME_MAX = 80;

/** How /event is used, said after a mistake. */
export const EVENT_USAGE =
  'Add an event with its date, priority (A: the goal, peak and taper; B: a short taper; C: trained through) and name, e.g. /event add 2027-06-14 A Marmotte. /event list shows yours, /event remove 2 (or its name) removes one.';

export type EventCommand =
  | { kind: 'list' }
  | { kind: 'add'; date: string; priority: EventPriority; name: string }
  | { kind: 'remove'; target: string }
  | { kind: 'error'; message: string };

/** Whitespace tidied, control and zero-width characters out, wrapping quotes and joining words ("on", "-") trimmed. */
function cleanName(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:(?:on|at|for|the\s+date|date|named|called)\b|[-–—:,;.])\s*/i, '')
    .replace(/\s*(?:\b(?:on|at|for|date)|[-–—:,;(])$/i, '')
    .replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '')
    .trim();
}

/** The priority written as a word of its own at the start or end ("A Marmotte", "Marmotte B", "priority C"), and the text without it. */
function takePriority(text: string): { priority: EventPriority | null; rest: string } {
  const keyword = /\b(?:priority|prio)\s*:?\s*([abc])\b/i.exec(text);
  if (keyword)
    return {
      priority: keyword[1]!.toUpperCase() as EventPriority,
      rest: text.slice(0, keyword.index) + text.slice(keyword.index + keyword[0].length),
    };
  const edge = /^\s*\(?([abc])\)?(?:\s*[-–:,]?\s+|\s*$)|\s+\(?([abc])\)?\s*$/i.exec(text);
  if (!edge) return { priority: null, rest: text };
  const letter = (edge[1] ?? edge[2])!.toUpperCase();
  return (EVENT_PRIORITIES as readonly string[]).includes(letter)
    ? { priority: letter as EventPriority, rest: text.slice(0, edge.index) + ' ' + text.slice(edge.index + edge[0].length) }
    : { priority: null, rest: text };
}

function parseAdd(text: string, today: string): EventCommand {
  const found = findDate(text, today);
  if (!found) return { kind: 'error', message: `I need the event's date. ${EVENT_USAGE}` };
  if (found.date === null) return { kind: 'error', message: `"${found.text.slice(0, 30)}" is not a date in the calendar.` };
  const at = text.indexOf(found.text);
  const without = `${text.slice(0, at)} ${text.slice(at + found.text.length)}`;
  const { priority, rest } = takePriority(cleanName(without));
  const name = cleanName(rest);
  if (name.length === 0) return { kind: 'error', message: `What is the event called? ${EVENT_USAGE}` };
  if (name.length > NAME_MAX) return { kind: 'error', message: `That name is ${name.length} characters long; keep it to ${NAME_MAX}.` };
  return { kind: 'add', date: found.date, priority: priority ?? 'A', name };
}

/**
 * The /event arguments. `today` (the athlete's) completes a date written without a year: the next
 * such day. A date in the past is the caller's to refuse (it knows the events held).
 */
export function parseEventArgs(args: string, today: string): EventCommand {
  const text = args.trim();
  const verb = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const word = verb?.[1]!.toLowerCase() ?? '';
  const rest = verb?.[2]!.trim() ?? '';
  if (text === '' || word === 'list' || word === 'show') return { kind: 'list' };
  if (['remove', 'delete', 'rm', 'del', 'cancel'].includes(word)) {
    const target = cleanName(rest);
    return target
      ? { kind: 'remove', target }
      : { kind: 'error', message: `Which one? /event remove 2 (the number from /event list) or its name.` };
  }
  if (word === 'add' || word === 'new') return parseAdd(rest, today);
  // "/event 2027-06-14 A Marmotte": an event to add, when it holds a date
  if (findDate(text, today)) return parseAdd(text, today);
  return { kind: 'error', message: EVENT_USAGE };
}
