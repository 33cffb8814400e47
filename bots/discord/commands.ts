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
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
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
