/**
 * What a slash command asks of the conversation: the options of `DISCORD_COMMANDS` (commands.ts)
 * as they arrive, turned into the words the conversation's commands read.
 */
import { UPLOAD_OPTION_NAMES } from './commands.js';

/** An option as it arrives in an interaction (Discord's JSON; discord.js's `options.data` has the same fields). */
export interface ReceivedOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: readonly ReceivedOption[] | undefined;
  focused?: boolean | undefined;
}

/** What a slash command asks of the bot. */
export type CommandRoute =
  /** One or more conversation commands, run in order; their replies are joined into one answer. */
  | { kind: 'command'; name: string; args: string[] }
  /** The attachment ids of /upload, in option order. */
  | { kind: 'upload'; attachmentIds: string[] };

const value = (options: readonly ReceivedOption[], name: string) => options.find((o) => o.name === name)?.value;

/**
 * The text of `/profile set` options, in words the conversation's profile parser reads
 * (`ftp 270, weight 70 kg, ...`). The parser ignores hours written next to a heart rate, so hours
 * go in a second text then; the goal comes last because it runs to the end of the text.
 */
export function profileSetTexts(options: readonly ReceivedOption[]): string[] {
  const parts: string[] = [];
  const ftp = value(options, 'ftp');
  const weight = value(options, 'weight');
  const maxHr = value(options, 'max_hr');
  const lthr = value(options, 'lthr');
  const hours = value(options, 'hours');
  const days = value(options, 'days');
  const zone = value(options, 'time_zone');
  const units = value(options, 'units');
  const goal = value(options, 'goal');
  if (ftp !== undefined) parts.push(`ftp ${ftp}`);
  if (weight !== undefined) parts.push(`weight ${weight} kg`);
  if (maxHr !== undefined) parts.push(`max hr ${maxHr}`);
  if (lthr !== undefined) parts.push(`lthr ${lthr}`);
  const heartRate = maxHr !== undefined || lthr !== undefined;
  if (hours !== undefined && !heartRate) parts.push(`${hours} h a week`);
  if (typeof days === 'string' && days.trim()) parts.push(`I ride ${days.trim()}`);
  if (typeof zone === 'string' && zone.trim()) parts.push(zone.trim());
  if (units !== undefined) parts.push(`units ${units}`);
  if (typeof goal === 'string' && goal.trim()) parts.push(`goal: ${goal.trim()}`);
  const texts = parts.length > 0 ? [parts.join(', ')] : [];
  if (hours !== undefined && heartRate) texts.push(`${hours} h a week`);
  return texts.length > 0 ? texts : [''];
}

/** The words of `/event add 2027-06-14 A Marmotte`, `/event list`, `/event remove 2` from the subcommand and its options. */
function eventText(sub: ReceivedOption | undefined): string {
  if (!sub) return '';
  const options = sub.options ?? [];
  const text = (name: string) => String(value(options, name) ?? '').trim();
  if (sub.name === 'add') return `add ${text('date')} ${text('priority')} ${text('name')}`;
  if (sub.name === 'remove') return `remove ${text('event')}`;
  return sub.name;
}

/**
 * The words of `/connect intervals i123456 <key> months 24` and `/connect intervals push off` from
 * the options: the connection first, then the calendar setting (a command each, answered as one).
 */
export function connectTexts(options: readonly ReceivedOption[]): string[] {
  const service = String(value(options, 'service') ?? '').trim();
  const text = (name: string) => String(value(options, name) ?? '').trim();
  const months = value(options, 'months');
  const push = text('calendar_push');
  const credentials = [text('athlete_id'), text('api_key')].filter(Boolean).join(' ');
  const connecting = [service, credentials, months !== undefined ? `months ${months}` : ''].filter(Boolean).join(' ');
  if (!push) return [connecting];
  const pushing = `${service} push ${push}`;
  // only the calendar setting: connecting again is not asked for
  return credentials || months !== undefined ? [connecting, pushing] : [pushing];
}

/** Maps a slash command and its options onto the conversation. */
export function commandRoute(name: string, options: readonly ReceivedOption[] = []): CommandRoute {
  switch (name) {
    case 'profile': {
      const sub = options[0];
      if (!sub || sub.name === 'show') return { kind: 'command', name: 'profile', args: [''] };
      if (sub.name === 'history') return { kind: 'command', name: 'profile', args: ['history'] };
      return { kind: 'command', name: 'profile', args: profileSetTexts(sub.options ?? []) };
    }
    case 'upload':
      return {
        kind: 'upload',
        attachmentIds: UPLOAD_OPTION_NAMES.map((n) => value(options, n)).filter((v): v is string => typeof v === 'string'),
      };
    case 'analyze': {
      const period = value(options, 'period');
      return { kind: 'command', name: 'analyze', args: [period === undefined ? '' : `${period} months`] };
    }
    case 'plan': {
      // `/plan week 3`, `/plan next`, `/plan history`; a week number wins over the view
      const week = value(options, 'week');
      const view = value(options, 'view');
      return {
        kind: 'command',
        name: 'plan',
        args: [week !== undefined ? `week ${week}` : view === 'next' || view === 'history' ? view : ''],
      };
    }
    case 'event':
      return { kind: 'command', name: 'event', args: [eventText(options[0])] };
    case 'checkin': {
      // one conversation command per option (`/checkin on`, `/checkin day monday`, `/checkin time 08:00`), answered as one
      const state = value(options, 'state');
      const day = value(options, 'day');
      const time = value(options, 'time');
      const words = [
        ...(state !== undefined ? [String(state)] : []),
        ...(day !== undefined ? [`day ${String(day).trim()}`] : []),
        ...(time !== undefined ? [`time ${String(time).trim()}`] : []),
      ];
      return { kind: 'command', name: 'checkin', args: words.length > 0 ? words : [''] };
    }
    case 'link':
      return { kind: 'command', name: 'link', args: [String(value(options, 'code') ?? '')] };
    case 'activities': {
      const count = value(options, 'count');
      return { kind: 'command', name: 'activities', args: [count === undefined ? '' : String(count)] };
    }
    case 'delete':
      return { kind: 'command', name: 'delete', args: [String(value(options, 'id') ?? '')] };
    case 'connect':
      return { kind: 'command', name: 'connect', args: connectTexts(options) };
    case 'disconnect':
      return { kind: 'command', name: 'disconnect', args: [String(value(options, 'service') ?? '')] };
    case 'reminders': {
      // The words of `/reminders on day 15 time 08:30 zone Europe/Berlin`.
      const words: string[] = [];
      const state = value(options, 'state');
      const day = value(options, 'day');
      const time = value(options, 'time');
      const zone = value(options, 'time_zone');
      if (state !== undefined) words.push(String(state));
      if (day !== undefined) words.push(`day ${String(day).trim()}`);
      if (time !== undefined) words.push(`time ${String(time).trim()}`);
      if (zone !== undefined) words.push(`zone ${String(zone).trim()}`);
      return { kind: 'command', name: 'reminders', args: [words.join(' ')] };
    }
    default:
      return { kind: 'command', name, args: [''] };
  }
}
