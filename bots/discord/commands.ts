/**
 * The Discord slash commands: the single source of truth, as plain JSON. `registerCommands` PUTs
 * exactly `DISCORD_COMMANDS`; the bot maps what comes back (command-route.ts) onto the
 * conversation's commands, with the option names and types declared here.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_DESCRIPTIONS } from '../../src/conversation/port.js';
import { WEEKDAY_NAMES, WEEKDAYS } from '../../src/domain/calendar.js';
import { RANGES } from '../../src/conversation/profile-text.js';

/** The most attachments one /upload takes (Discord allows 25 options; ten keeps the form usable). */
export const MAX_UPLOAD_ATTACHMENTS = 10;

/** The /upload option names, `file1` … `file10`. */
export const UPLOAD_OPTION_NAMES: readonly string[] = Array.from({ length: MAX_UPLOAD_ATTACHMENTS }, (_, i) => `file${i + 1}`);

/** In servers (answered ephemerally) and in the bot's DMs; installed to a server. */
const WHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

/** A slash command offered where WHERE says, with its options if it has any. */
const command = (
  name: string,
  description: string,
  options?: APIApplicationCommandOption[],
): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
  type: ApplicationCommandType.ChatInput,
  name,
  description,
  ...WHERE,
  ...(options ? { options } : {}),
});

/** A string option limited to `choices`, each [the name shown, the value sent]. */
const choiceOption = (name: string, description: string, choices: [string, string][]): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name,
  description,
  choices: choices.map(([shown, value]) => ({ name: shown, value })),
});

/** An integer option from `min` to `max`. */
const integerOption = (name: string, description: string, min: number, max: number): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  name,
  description,
  min_value: min,
  max_value: max,
});

/** The services /connect and /disconnect take, [shown, value]: the value is the conversation's word. */
const SERVICE_CHOICES: [string, string][] = [
  ['intervals.icu', 'intervals'],
  ['Strava', 'strava'],
];

const range = <K extends keyof typeof RANGES>(key: K) => ({ min_value: RANGES[key][0], max_value: RANGES[key][1] });

const TIME_ZONE_OPTION: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  name: 'time_zone',
  description: 'Your time zone, e.g. Europe/Berlin',
  autocomplete: true,
  max_length: 64,
};

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
  TIME_ZONE_OPTION,
  {
    type: ApplicationCommandOptionType.String,
    name: 'goal',
    description: 'Your goal, with the event date if there is one (e.g. Marmotte on 2027-07-04)',
    max_length: 500,
  },
  choiceOption('units', 'Metric (km, kg) or imperial (miles, lb)', [
    ['metric (km, kg)', 'metric'],
    ['imperial (miles, lb)', 'imperial'],
  ]),
];

/** Every slash command, as Discord's application-command JSON. */
export const DISCORD_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  command('start', COMMAND_DESCRIPTIONS.start),
  command('profile', 'Show or change your profile', [
    { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show your profile' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'set',
      description: 'Change values of your profile',
      options: PROFILE_SET_OPTIONS,
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'history', description: 'Your FTP over time' },
  ]),
  command(
    'upload',
    'Send rides: .fit / .fit.gz files, a zip of them, or your Strava export',
    UPLOAD_OPTION_NAMES.map((name, i) => ({
      type: ApplicationCommandOptionType.Attachment as const,
      name,
      description: i === 0 ? "A .fit or .fit.gz file, a .zip, or Strava's activities.csv" : 'Another file',
      required: i === 0,
    })),
  ),
  command('analyze', COMMAND_DESCRIPTIONS.analyze, [integerOption('period', 'Months to analyse (default 6)', 1, 24)]),
  command('report', COMMAND_DESCRIPTIONS.report),
  command('plan', 'Your plan: the week with what is done, and files for Zwift, head units and calendars', [
    choiceOption('view', 'What to show (default: this week)', [
      ['this week', 'this week'],
      ['next week', 'next'],
      ['history: every change and why', 'history'],
    ]),
    integerOption('week', 'A week of the plan by its number', 1, 24),
  ]),
  command('event', 'Your events: add one (A, B or C priority), list them, remove one', [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add an event: the plan peaks for A events, tapers briefly for B, trains through C',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'date',
          description: 'The day, e.g. 2027-06-14',
          required: true,
          max_length: 10,
        },
        {
          ...choiceOption('priority', 'A: the goal · B: important · C: trained through', [
            ['A — the goal', 'A'],
            ['B — important', 'B'],
            ['C — trained through', 'C'],
          ]),
          required: true,
        },
        { type: ApplicationCommandOptionType.String, name: 'name', description: 'e.g. Marmotte', required: true, max_length: 80 },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Your events' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove an event',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'event',
          description: 'The event: its number in /event list, its date or its name',
          required: true,
          max_length: 100,
        },
      ],
    },
  ]),
  command('checkin', 'The weekly check-in: show, turn on or off, choose the day and time', [
    choiceOption('state', 'Turn it on or off', [
      ['on', 'on'],
      ['off', 'off'],
    ]),
    choiceOption(
      'day',
      'Day of the week',
      WEEKDAYS.map((d) => [WEEKDAY_NAMES[d], WEEKDAY_NAMES[d].toLowerCase()]),
    ),
    { type: ApplicationCommandOptionType.String, name: 'time', description: 'Time of day, 24 h (e.g. 08:00)', max_length: 5 },
  ]),
  command('reminders', 'Monthly reminders to send your rides: show, turn on or off, choose when', [
    choiceOption('state', 'Turn them on or off', [
      ['on', 'on'],
      ['off', 'off'],
    ]),
    {
      type: ApplicationCommandOptionType.String,
      name: 'day',
      description: 'Day of the month: 1 to 28, or last',
      autocomplete: true,
      max_length: 4,
    },
    { type: ApplicationCommandOptionType.String, name: 'time', description: 'Time of day, 24 h (e.g. 09:00)', max_length: 5 },
    TIME_ZONE_OPTION,
  ]),
  command('status', COMMAND_DESCRIPTIONS.status),
  command('activities', COMMAND_DESCRIPTIONS.activities, [integerOption('count', 'How many to show (default 10)', 1, 30)]),
  command('delete', 'Delete one ride (asks first): the id from /activities', [
    {
      type: ApplicationCommandOptionType.String,
      name: 'id',
      description: "The ride's id as /activities shows it, e.g. 1a2b3c4d",
      required: true,
      min_length: 4,
      max_length: 36,
    },
  ]),
  command('export', COMMAND_DESCRIPTIONS.export),
  command('forget', COMMAND_DESCRIPTIONS.forget),
  command('link', 'One history on Telegram and Discord: /link for a code, or enter the code from the other app', [
    {
      type: ApplicationCommandOptionType.String,
      name: 'code',
      description: 'The code /link gave you on the other app, e.g. 123-456',
      min_length: 6,
      max_length: 7,
    },
  ]),
  command('connect', 'Connect intervals.icu or Strava: new rides arrive by themselves', [
    { ...choiceOption('service', 'The service to connect', SERVICE_CHOICES), required: true },
    {
      type: ApplicationCommandOptionType.String,
      name: 'athlete_id',
      description: 'intervals.icu: your athlete id, e.g. i123456 (Settings → Developer Settings)',
      max_length: 20,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'api_key',
      description: 'intervals.icu: your API key (Settings → Developer Settings); only you see it',
      max_length: 200,
    },
    integerOption('months', 'Months of past rides to fetch (default 12)', 1, 120),
    choiceOption('calendar_push', "intervals.icu: send your plan's workouts to its calendar", [
      ['on', 'on'],
      ['off', 'off'],
    ]),
  ]),
  command('connections', COMMAND_DESCRIPTIONS.connections),
  command('disconnect', 'Disconnect intervals.icu or Strava (the rides already here stay)', [
    { ...choiceOption('service', 'The service to disconnect', SERVICE_CHOICES), required: true },
  ]),
  command('help', COMMAND_DESCRIPTIONS.help),
];
