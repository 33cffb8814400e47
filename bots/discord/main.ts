/**
 * The Discord bot: discord.js on the gateway (gateway.ts), every interaction acknowledged first
 * (deferred, ephemeral in servers) and then handed to the shared conversation (updates.ts); DMs
 * to the bot are text, commands or uploads. Nothing here decides what to say: that is
 * src/conversation.
 */
import { Events } from 'discord.js';
import type { ChatApp } from '../../src/app/chat-app.js';
import type { Config } from '../../src/config.js';
import type { ChatDirectory, ChatThread } from '../../src/conversation/port.js';
import { errorSerializer, type Logger } from '../../src/logger.js';
import { ChannelSink, DiscordThread } from './discord-adapter.js';
import { connectGateway, createGatewayClient } from './gateway.js';
import { UpdateQueue } from './update-queue.js';
import { DiscordUpdates, type SettledUpdate } from './updates.js';

/** Discord's interaction tokens live 15 minutes; stop using one a minute early. */
const DEFAULT_TOKEN_LIFETIME_MS = 14 * 60_000;
/** The longest a stop waits for the handlers in flight. */
const STOP_GRACE_MS = 10_000;

export interface DiscordBotOptions {
  /** How long an interaction's token is used before replies go by DM instead (tests shorten it). */
  interactionTokenLifetimeMs?: number;
  /** The largest attachment the bot downloads, bytes (default: the configured upload limit). */
  maxDownloadBytes?: number;
  /** How long `startDiscord` waits for the gateway's READY. */
  readyTimeoutMs?: number;
  /** Called when one incoming interaction or DM has been handled (tests and metrics). */
  onSettled?: (event: SettledUpdate) => void;
  /** Called when Discord closes the connection for good (token revoked, intents not allowed). */
  onFatalError?: (error: Error) => void;
}

/** A Discord bot, and the chat directory of its athletes. */
export interface DiscordBot extends ChatDirectory {
  /** The bot's own user id. */
  readonly userId: string;
  /** A DM thread to `discord:<user id>` (for reminders), or null for another platform's key. */
  open(identityKey: string): ChatThread | null;
  /** Stops taking updates, lets running handlers finish (up to 10 s), and disconnects. */
  stop(): Promise<void>;
}

/**
 * Starts the Discord bot on `app`'s conversation and resolves once it is connected. Needs
 * `config.discord.token`; `config.discord.apiBase` points REST (and through `/gateway/bot`, the
 * gateway) somewhere else than Discord, e.g. a local fake.
 */
export async function startDiscord(config: Config, logger: Logger, app: ChatApp, options: DiscordBotOptions = {}): Promise<DiscordBot> {
  const token = config.discord.token;
  if (!token) throw new Error('DISCORD_TOKEN is not set: add the bot token from the Discord developer portal to .env.');
  const maxDownloadBytes = options.maxDownloadBytes ?? config.ingest.maxFileBytes;
  const log = logger.child({ platform: 'discord' });
  // An error as it may be logged (type, message, stack, code, status, cause; the token cut out).
  const safeError = errorSerializer([token]);
  let stopping = false;
  const gateway = {
    token,
    apiBase: config.discord.apiBase,
    log,
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    stopping: () => stopping,
    onFatalError: options.onFatalError,
  };
  const client = createGatewayClient(gateway, safeError);
  // A bug outside an update's catch point (none is expected) is logged rather than ending the process.
  const queue = new UpdateQueue((error) => log.error({ err: safeError(error) }, 'discord handler failed'));
  const updates = new DiscordUpdates({
    conversation: app.conversation,
    log,
    safeError,
    maxDownloadBytes,
    interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
    queue,
    botUserId: () => client.user?.id,
    onSettled: options.onSettled,
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!stopping) queue.track(updates.onInteraction(interaction));
  });
  client.on(Events.MessageCreate, (message) => {
    if (!stopping) queue.track(updates.onMessage(message));
  });
  const ready = await connectGateway(client, gateway);
  log.info({ user: ready.user.tag }, 'discord bot connected');

  const open = (identityKey: string): ChatThread | null => {
    const userId = /^discord:(\d{15,20})$/.exec(identityKey)?.[1];
    if (!userId || stopping) return null;
    const cached = client.users.cache.get(userId);
    const name = cached?.globalName ?? cached?.username ?? 'there';
    return new DiscordThread(identityKey, name, maxDownloadBytes, new ChannelSink(() => client.users.createDM(userId)));
  };
  // The conversation reaches Discord users by DM through it (a /link code used elsewhere, /start in a server).
  const removeDirectory = app.directories.add({ open });
  return {
    userId: ready.user.id,
    open,
    async stop() {
      removeDirectory();
      stopping = true;
      await queue.drain(STOP_GRACE_MS);
      await client.destroy();
    },
  };
}
