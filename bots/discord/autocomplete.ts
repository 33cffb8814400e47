/**
 * Autocomplete for the slash commands' free-text options: time zones, riding days, and the day of
 * the month a reminder comes.
 */
import { WEEKDAY_LABELS, WEEKDAYS } from '../../src/domain/calendar.js';
import { REMINDER_DAYS } from '../../src/domain/reminder-schedule.js';
import type { ReceivedOption } from './command-route.js';

export interface Choice {
  name: string;
  value: string;
}

/** Discord shows at most 25 suggestions. */
const MAX_CHOICES = 25;

const POPULAR_ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];

/** Time zones matching what was typed so far (`berl` → Europe/Berlin), best first. */
export function suggestTimeZones(typed: string, zones: readonly string[] = Intl.supportedValuesOf('timeZone')): Choice[] {
  const all = zones.includes('UTC') ? zones : [...zones, 'UTC'];
  const query = typed.trim().toLowerCase().replace(/\s+/g, '_');
  const picked =
    query === ''
      ? POPULAR_ZONES.filter((z) => all.includes(z))
      : [
          ...all.filter((z) => z.toLowerCase().startsWith(query)),
          ...all.filter((z) => !z.toLowerCase().startsWith(query) && (z.split('/').pop() ?? '').toLowerCase().startsWith(query)),
          ...all.filter(
            (z) =>
              !z.toLowerCase().startsWith(query) &&
              !(z.split('/').pop() ?? '').toLowerCase().startsWith(query) &&
              z.toLowerCase().includes(query),
          ),
        ];
  return picked.slice(0, MAX_CHOICES).map((z) => ({ name: z.replace(/_/g, ' '), value: z }));
}

/** Mon … Sun. */
const DAYS: readonly string[] = WEEKDAYS.map((d) => WEEKDAY_LABELS[d]);
const DAY_PRESETS = ['Tue Thu Sat Sun', 'Mon Wed Fri Sun', 'Tue Thu Sat', 'Sat Sun', 'Mon Tue Wed Thu Fri', 'Every day'];

/** Completes a list of weekdays: the days typed so far plus each day that fits the last word. */
export function suggestDays(typed: string): Choice[] {
  const words = typed.split(/[\s,;]+/).filter(Boolean);
  const complete = typed === '' || /[\s,;]$/.test(typed);
  const partial = complete ? '' : (words.pop() ?? '').toLowerCase();
  const chosen = words
    .map((w) => DAYS.find((d) => d.toLowerCase() === w.toLowerCase().slice(0, 3)))
    .filter((d): d is string => d !== undefined);
  const prefix = [...new Set(chosen)];
  const options: string[] = [];
  if (prefix.length > 0 && partial === '') options.push(prefix.join(' '));
  for (const day of DAYS) {
    if (prefix.includes(day) || !day.toLowerCase().startsWith(partial.slice(0, 3))) continue;
    const all = new Set([...prefix, day]);
    options.push(DAYS.filter((d) => all.has(d)).join(' '));
  }
  if (prefix.length === 0) options.push(...DAY_PRESETS.filter((p) => p.toLowerCase().startsWith(partial) || partial === ''));
  return [...new Set(options)].slice(0, MAX_CHOICES).map((o) => ({ name: o, value: o }));
}

/** Days of the month a reminder can take: 1–28 and `last`. */
export function suggestDaysOfMonth(typed: string): Choice[] {
  const query = typed.trim().toLowerCase();
  return REMINDER_DAYS.filter((d) => d.startsWith(query))
    .slice(0, MAX_CHOICES)
    .map((d) => ({ name: d === 'last' ? 'last day of the month' : d, value: d }));
}

/** Suggestions for the option being typed in an autocomplete interaction. */
export function suggest(name: string, options: readonly ReceivedOption[]): Choice[] {
  const leaves = options.flatMap((o) => (o.options ? o.options : [o]));
  const focused = leaves.find((o) => o.focused);
  if (!focused) return [];
  const typed = String(focused.value ?? '');
  if (focused.name === 'time_zone') return suggestTimeZones(typed);
  if (name === 'profile' && focused.name === 'days') return suggestDays(typed);
  if (name === 'reminders' && focused.name === 'day') return suggestDaysOfMonth(typed);
  return [];
}
