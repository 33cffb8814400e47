/**
 * The Discord slash commands: the single source of truth, as plain JSON. `registerCommands` PUTs
 * exactly `DISCORD_COMMANDS`; the bot maps what comes back (`commandRoute`) onto the
 * conversation's commands, with the option names and types declared here.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { COMMANDS } from '../../src/conversation/port.js';
import { RANGES } from '../../src/conversation/profile-text.js';

/** The most attachments one /upload takes (Discord allows 25 options; ten keeps the form usable). */
export const MAX_UPLOAD_ATTACHMENTS = 10;

/** The /upload option names, `file1` … `file10`. */
export const UPLOAD_OPTION_NAMES: readonly string[] = Array.from({ length: MAX_UPLOAD_ATTACHMENTS }, (_, i) => `file${i + 1}`);

const describe = (name: string, fallback: string) => COMMANDS.find((c) => c.name === name)?.description ?? fallback;

/** In servers (answered ephemerally) and in the bot's DMs; installed to a server. */
const WHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

const simple = (name: string, description: string): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
  type: ApplicationCommandType.ChatInput,
  name,
  description,
  ...WHERE,
});

const range = <K extends keyof typeof RANGES>(key: K) => ({ min_value: RANGES[key][0], max_value: RANGES[key][1] });

const PROFILE_SET_OPTIONS: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.Integer, name: 'ftp', description: 'Functional threshold power, W', ...range('ftp') },
  { type: ApplicationCommandOptionType.Number, name: 'weight', description: 'Body weight, kg', ...range('weightKg') },
  { type: ApplicationCommandOptionType.Integer, name: 'max_hr', description: 'Maximum heart rate, bpm', ...range('maxHr') },
  { type: ApplicationCommandOptionType.Integer, name: 'lthr', description: 'Threshold (LTHR) heart rate, bpm', ...range('lthr') },
  { type: ApplicationCommandOptionType.Number, name: 'hours', description: 'Hours a week you can train', ...range('weeklyHours') },
  {
    type: ApplicationCommandOptionType.String,
    name: 'days',
    description: 'Days you can ride, e.g. Tue Thu Sat Sun',
    autocomplete: true,
    max_length: 100,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'time_zone',
    description: 'Your time zone, e.g. Europe/Berlin',
    autocomplete: true,
    max_length: 64,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'goal',
    description: 'Your goal, with the event date if there is one (e.g. Marmotte on 2027-07-04)',
    max_length: 500,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'units',
    description: 'Metric (km, kg) or imperial (miles, lb)',
    choices: [
      { name: 'metric (km, kg)', value: 'metric' },
      { name: 'imperial (miles, lb)', value: 'imperial' },
    ],
  },
];

/** Every slash command, as Discord's application-command JSON. */
export const DISCORD_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  simple('start', describe('start', 'Set up your profile')),
  {
    type: ApplicationCommandType.ChatInput,
    name: 'profile',
    description: 'Show or change your profile',
    ...WHERE,
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show your profile' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Change values of your profile',
        options: PROFILE_SET_OPTIONS,
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'history', description: 'Your FTP over time' },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'upload',
    description: 'Send rides: .fit / .fit.gz files, a zip of them, or your Strava export',
    ...WHERE,
    options: UPLOAD_OPTION_NAMES.map((name, i) => ({
      type: ApplicationCommandOptionType.Attachment as const,
      name,
      description: i === 0 ? "A .fit or .fit.gz file, a .zip, or Strava's activities.csv" : 'Another file',
      required: i === 0,
    })),
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'analyze',
    description: describe('analyze', 'Analyse your rides and plan the next weeks'),
    ...WHERE,
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'period',
        description: 'Months to analyse (default 6)',
        min_value: 1,
        max_value: 24,
      },
    ],
  },
  simple('report', describe('report', 'Send the latest reports again')),
  {
    type: ApplicationCommandType.ChatInput,
    name: 'plan',
    description: "This week's workouts, with Zwift and calendar files",
    ...WHERE,
    options: [{ type: ApplicationCommandOptionType.Boolean, name: 'next', description: 'Next week instead of this one' }],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'reminders',
    description: 'Monthly reminders to send your rides: show, turn on or off, choose when',
    ...WHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'state',
        description: 'Turn them on or off',
        choices: [
          { name: 'on', value: 'on' },
          { name: 'off', value: 'off' },
        ],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'day',
        description: 'Day of the month: 1 to 28, or last',
        autocomplete: true,
        max_length: 4,
      },
      { type: ApplicationCommandOptionType.String, name: 'time', description: 'Time of day, 24 h (e.g. 09:00)', max_length: 5 },
      {
        type: ApplicationCommandOptionType.String,
        name: 'time_zone',
        description: 'Your time zone, e.g. Europe/Berlin',
        autocomplete: true,
        max_length: 64,
      },
    ],
  },
  simple('status', describe('status', 'What is stored and what is running')),
  {
    type: ApplicationCommandType.ChatInput,
    name: 'activities',
    description: describe('activities', 'Your latest rides with their ids'),
    ...WHERE,
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'count',
        description: 'How many to show (default 10)',
        min_value: 1,
        max_value: 30,
      },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'delete',
    description: 'Delete one ride (asks first): the id from /activities',
    ...WHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'id',
        description: "The ride's id as /activities shows it, e.g. 1a2b3c4d",
        required: true,
        min_length: 4,
        max_length: 36,
      },
    ],
  },
  simple('export', describe('export', 'Everything held about you, as a file')),
  simple('forget', describe('forget', 'Delete everything held about you')),
  {
    type: ApplicationCommandType.ChatInput,
    name: 'link',
    description: 'One history on Telegram and Discord: /link for a code, or enter the code from the other app',
    ...WHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'code',
        description: 'The code /link gave you on the other app, e.g. 123-456',
        min_length: 6,
        max_length: 7,
      },
    ],
  },
  simple('help', describe('help', 'What to send and what I can do')),
];

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
    case 'plan':
      return { kind: 'command', name: 'plan', args: [value(options, 'next') === true ? 'next' : ''] };
    case 'link':
      return { kind: 'command', name: 'link', args: [String(value(options, 'code') ?? '')] };
    case 'activities': {
      const count = value(options, 'count');
      return { kind: 'command', name: 'activities', args: [count === undefined ? '' : String(count)] };
    }
    case 'delete':
      return { kind: 'command', name: 'delete', args: [String(value(options, 'id') ?? '')] };
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

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const DAY_PRESETS = ['Tue Thu Sat Sun', 'Mon Wed Fri Sun', 'Tue Thu Sat', 'Sat Sun', 'Mon Tue Wed Thu Fri', 'Every day'];

/** Completes a list of weekdays: the days typed so far plus each day that fits the last word. */
export function suggestDays(typed: string): Choice[] {
  const words = typed.split(/[\s,;]+/).filter(Boolean);
  const complete = typed === '' || /[\s,;]$/.test(typed);
  const partial = complete ? '' : (words.pop() ?? '').toLowerCase();
  const chosen = words
    .map((w) => DAYS.find((d) => d.toLowerCase() === w.toLowerCase().slice(0, 3)))
    .filter((d): d is (typeof DAYS)[number] => d !== undefined);
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
  const all = [...Array.from({ length: 28 }, (_, i) => String(i + 1)), 'last'];
  const query = typed.trim().toLowerCase();
  return all
    .filter((d) => d.startsWith(query))
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
