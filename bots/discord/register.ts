/**
 * Puts the slash commands of commands.ts on Discord — globally (they can take up to an hour to
 * show everywhere) or in one server (at once; good for trying the bot). Run by
 * `npm run discord:register` (bots/discord-register.ts).
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { DISCORD_COMMANDS } from './commands.js';

export interface RegisterOptions {
  /** The bot token (secret; never printed). */
  token: string;
  /** The application id from the developer portal. */
  applicationId: string;
  /** REST base other than Discord's (e.g. a local fake); `/api` is added when missing. */
  apiBase?: string | null;
  /** Register in this server only, instead of globally. */
  guildId?: string | null;
}

export interface RegisterResult {
  scope: 'global' | 'guild';
  /** The command names Discord now has, in order. */
  names: string[];
}

/** The discord.js REST `api` option for a base URL: `http://host:port` → `http://host:port/api`. */
export function restApiUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  const api = /^(.*\/api)(?:\/v\d+)?$/.exec(trimmed);
  return api ? api[1]! : `${trimmed}/api`;
}

/** Replaces the application's slash commands with DISCORD_COMMANDS (one PUT; Discord keeps their ids). */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  if (!options.token) throw new Error('DISCORD_TOKEN is not set: add the bot token to .env.');
  if (!/^\d{17,20}$/.test(options.applicationId))
    throw new Error('DISCORD_APPLICATION_ID must be the numeric application id from the developer portal.');
  if (options.guildId && !/^\d{17,20}$/.test(options.guildId))
    throw new Error('--guild must be the numeric server id (right-click the server → Copy Server ID).');
  const rest = new REST({ ...(options.apiBase ? { api: restApiUrl(options.apiBase) } : {}) }).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    const result = (await rest.put(route, { body: DISCORD_COMMANDS })) as { name: string }[];
    return { scope: options.guildId ? 'guild' : 'global', names: result.map((c) => c.name) };
  } catch (error) {
    const reason =
      error instanceof DiscordAPIError ? `${error.status} ${error.message}` : error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof DiscordAPIError && error.status === 401
        ? ' Check DISCORD_TOKEN.'
        : error instanceof DiscordAPIError && error.status === 403
          ? ' Is the bot in that server, with the applications.commands scope?'
          : '';
    throw new Error(`Registering the slash commands failed: ${reason.split(options.token).join('[redacted]')}.${hint}`);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
