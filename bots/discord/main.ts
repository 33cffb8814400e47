/**
 * The Discord bot: discord.js on the gateway, every interaction acknowledged first (deferred,
 * ephemeral in servers) and then handed to the shared conversation; DMs to the bot are text,
 * commands or uploads. Nothing here decides what to say: that is src/conversation.
 */
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type Attachment,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type DMChannel,
  type Interaction,
  type Message,
} from 'discord.js';
import type { ChatApp } from '../../src/app/chat-app.js';
import type { Config } from '../../src/config.js';
import type { ChatThread, Incoming, IncomingAttachment } from '../../src/conversation/port.js';
import type { ChatDirectory } from '../../src/conversation/reminders.js';
import { errorSerializer, type Logger } from '../../src/logger.js';
import { commandRoute, suggest, type ReceivedOption } from './commands.js';
import { ChannelSink, CollectingThread, DiscordThread, identity, InteractionSink, type Sink } from './discord-adapter.js';
import { restApiUrl } from './register.js';

/** Discord's interaction tokens live 15 minutes; stop using one a minute early. */
export const DEFAULT_TOKEN_LIFETIME_MS = 14 * 60_000;

export interface DiscordBotOptions {
  /** How long an interaction's token is used before replies go by DM instead (tests shorten it). */
  interactionTokenLifetimeMs?: number;
  /** The largest attachment the bot downloads, bytes (default: the configured upload limit). */
  maxDownloadBytes?: number;
  /** How long `startDiscord` waits for the gateway's READY. */
  readyTimeoutMs?: number;
  /** Called when one incoming interaction or DM has been handled (tests and metrics). */
  onSettled?: (event: { kind: 'interaction' | 'message'; id: string; ok: boolean }) => void;
  /** Called when Discord closes the connection for good (token revoked, intents not allowed). */
  onFatalError?: (error: Error) => void;
}

export interface DiscordBot extends ChatDirectory {
  /** The bot's own user id. */
  readonly userId: string;
  /** A DM thread to `discord:<user id>` (for reminders), or null for another platform's key. */
  open(identityKey: string): ChatThread | null;
  /** Stops taking updates, lets running handlers finish (up to 10 s), and disconnects. */
  stop(): Promise<void>;
}

const FALLBACK_NOTICE = 'This took longer than Discord keeps a reply open, so the rest comes here, by direct message.';
const SORRY = 'Something went wrong on my side. Please try again in a minute; if it keeps happening, /status shows what is stored.';

/** Error text that is safe to log: the message only, with the token cut out should it ever appear. */
function safeMessage(error: unknown, token: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return token ? text.split(token).join('[redacted]') : text;
}

/** Downloads an attachment from Discord's CDN, refusing more than `limit` bytes. */
export async function downloadAttachment(url: string, declaredSize: number, limit: number): Promise<Uint8Array> {
  if (declaredSize > limit) throw new Error(`attachment is ${declaredSize} bytes, over the ${limit}-byte limit`);
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok || !response.body) throw new Error(`CDN answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > limit) {
    await response.body.cancel();
    throw new Error(`attachment is ${length} bytes, over the ${limit}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > limit) throw new Error(`attachment is over the ${limit}-byte limit`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/**
 * Starts the Discord bot on `app`'s conversation and resolves once it is connected. Needs
 * `config.discord.token`; `config.discord.apiBase` points REST (and through `/gateway/bot`, the
 * gateway) somewhere else than Discord, e.g. a local fake.
 */
export async function startDiscord(config: Config, logger: Logger, app: ChatApp, options: DiscordBotOptions = {}): Promise<DiscordBot> {
  const token = config.discord.token;
  if (!token) throw new Error('DISCORD_TOKEN is not set: add the bot token from the Discord developer portal to .env.');
  const lifetime = options.interactionTokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
  const maxDownloadBytes = options.maxDownloadBytes ?? config.ingest.maxFileBytes;
  const log = logger.child({ platform: 'discord' });
  // An error as it may be logged (type, message, stack, code, status, cause; the token cut out).
  const safeError = errorSerializer([token]);

  const client = new Client({
    intents: [GatewayIntentBits.DirectMessages],
    // DM channels are not cached before their first message; without this partial, DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    ...(config.discord.apiBase ? { rest: { api: restApiUrl(config.discord.apiBase) } } : {}),
  });

  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  /** One athlete's updates are handled in order (after each has been acknowledged). */
  const chains = new Map<string, Promise<void>>();
  const inOrder = (key: string, work: () => Promise<void>): Promise<void> => {
    const run = (chains.get(key) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
      if (chains.get(key) === tail) chains.delete(key);
    });
    return run;
  };
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  /**
   * Acknowledgements go before work. An analysis holds the event loop while it computes, so work
   * started while other interactions of a burst still wait for their deferral would make those
   * miss Discord's deadline: a handler first lets the deferrals in flight finish (a few rounds at
   * most, so that a steady stream of interactions cannot starve it).
   */
  const deferrals = new Set<Promise<unknown>>();
  const afterPendingDeferrals = async (): Promise<void> => {
    for (let round = 0; round < 3; round++) {
      // Frames that arrived meanwhile get their turn to start deferring.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (deferrals.size === 0) return;
      await Promise.allSettled([...deferrals]);
    }
  };

  const attachment = (a: Attachment): IncomingAttachment => ({
    fileName: a.name,
    sizeBytes: a.size,
    download: () => downloadAttachment(a.url, a.size, maxDownloadBytes),
  });

  /** Runs the conversation for one incoming event: the one catch point that logs and apologises. */
  const converse = async (thread: ChatThread, events: Incoming[]): Promise<boolean> => {
    try {
      for (const event of events) await app.conversation.handle(thread, event);
      return true;
    } catch (error) {
      log.error({ err: safeError(error), athleteKey: thread.athleteKey }, 'discord update failed');
      await thread.post({ text: SORRY }).catch(() => undefined);
      return false;
    }
  };

  const handleCommand = async (interaction: ChatInputCommandInteraction | ButtonInteraction, thread: DiscordThread): Promise<boolean> => {
    if (interaction.isButton()) return converse(thread, [{ kind: 'action', action: interaction.customId }]);
    const route = commandRoute(interaction.commandName, interaction.options.data as readonly ReceivedOption[]);
    switch (route.kind) {
      case 'upload': {
        const files = route.attachmentIds
          .map((id) => interaction.options.resolved?.attachments?.get(id))
          .filter((a): a is Attachment => a !== undefined);
        return converse(thread, [{ kind: 'files', attachments: files.map(attachment) }]);
      }
      case 'command': {
        if (route.args.length <= 1) return converse(thread, [{ kind: 'command', name: route.name, args: route.args[0] ?? '' }]);
        // Several profile texts answer as one message.
        const collector = new CollectingThread(thread);
        const ok = await converse(
          collector,
          route.args.map((args) => ({ kind: 'command' as const, name: route.name, args })),
        );
        await collector.flush();
        return ok;
      }
    }
  };

  const onInteraction = async (interaction: Interaction): Promise<void> => {
    if (interaction.isAutocomplete()) {
      await interaction
        .respond(suggest(interaction.commandName, interaction.options.data as readonly ReceivedOption[]))
        .catch((error: unknown) => {
          log.warn({ err: safeError(error) }, 'autocomplete answer failed');
        });
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const receivedAt = Date.now();
    const ephemeral = interaction.guildId !== null;
    // Acknowledge first, before any work: Discord drops interactions not answered within 3 s.
    const deferral = interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    deferrals.add(deferral);
    try {
      await deferral;
    } catch (error) {
      log.warn({ err: safeError(error), athleteKey: `discord:${interaction.user.id}` }, 'could not acknowledge an interaction');
      options.onSettled?.({ kind: 'interaction', id: interaction.id, ok: false });
      return;
    } finally {
      deferrals.delete(deferral);
    }
    await afterPendingDeferrals();
    const who = identity(interaction.user);
    const dm: Sink = new ChannelSink(() => interaction.user.createDM());
    const sink = new InteractionSink(interaction, {
      ephemeral,
      expiresAt: Math.min(interaction.createdTimestamp, receivedAt) + lifetime,
      fallback: dm,
      fallbackNotice: FALLBACK_NOTICE,
      logger: log,
      athleteKey: who.athleteKey,
    });
    const thread = new DiscordThread(who.athleteKey, who.displayName, maxDownloadBytes, sink, { inServer: ephemeral });
    await inOrder(who.athleteKey, async () => {
      const ok = await handleCommand(interaction, thread).catch(async (error: unknown) => {
        log.error({ err: safeError(error), athleteKey: who.athleteKey }, 'discord interaction failed');
        await thread.post({ text: SORRY }).catch(() => undefined);
        return false;
      });
      options.onSettled?.({ kind: 'interaction', id: interaction.id, ok });
    });
  };

  const onMessage = async (message: Message): Promise<void> => {
    if (message.author.bot || message.author.id === client.user?.id) return;
    // Only direct messages: in servers the bot is used through slash commands.
    if (message.guildId !== null) return;
    const files = [...message.attachments.values()];
    const text = message.content.trim();
    // A sticker alone has neither text nor a file: it is answered with what the bot reads.
    const sticker = files.length === 0 && text === '' && message.stickers.size > 0;
    if (files.length === 0 && text === '' && !sticker) return;
    const who = identity(message.author);
    const channel = message.channel as DMChannel;
    const thread = new DiscordThread(who.athleteKey, who.displayName, maxDownloadBytes, new ChannelSink(async () => channel));
    // "/frobnicate" typed in a DM arrives as text when no slash command matches: read it as a command.
    const command = /^\/(\w+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
    const incoming: Incoming = sticker
      ? { kind: 'unreadable', what: 'a sticker' }
      : files.length > 0
        ? { kind: 'files', attachments: files.map(attachment), ...(text ? { caption: text } : {}) }
        : command
          ? { kind: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' }
          : { kind: 'text', text };
    if (files.length > 0) void channel.sendTyping().catch(() => undefined);
    await afterPendingDeferrals();
    await inOrder(who.athleteKey, async () => {
      const ok = await converse(thread, [incoming]);
      options.onSettled?.({ kind: 'message', id: message.id, ok });
    });
  };

  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    track(onInteraction(interaction).catch((error: unknown) => log.error({ err: safeError(error) }, 'interaction handler failed')));
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping) return;
    track(onMessage(message).catch((error: unknown) => log.error({ err: safeError(error) }, 'message handler failed')));
  });
  client.on(Events.ShardDisconnect, (event) => {
    // Codes Discord uses to refuse a bot for good; discord.js does not reconnect after them.
    if (!stopping && [4004, 4010, 4011, 4012, 4013, 4014].includes(event.code)) {
      const error = new Error(
        `Discord closed the gateway connection with code ${event.code}${event.code === 4004 ? ' (the token was refused: check DISCORD_TOKEN)' : event.code === 4014 ? ' (an intent is not enabled for the bot in the developer portal)' : ''}.`,
      );
      log.fatal({ code: event.code }, 'discord gateway closed for good');
      options.onFatalError?.(error);
    }
  });
  client.on(Events.Error, (error) => log.error({ err: safeError(error) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning: safeMessage(warning, token) }, 'discord client warning'));

  // Registered before login: the READY can arrive before login() resolves.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error('Discord did not send READY in time; check DISCORD_API_BASE and the network')),
      options.readyTimeoutMs ?? 60_000,
    );
    client.once(Events.ClientReady, () => resolve());
  });
  ready.catch(() => undefined);
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw new Error(
      `Could not connect to Discord: ${safeMessage(error, token)}. Check DISCORD_TOKEN${config.discord.apiBase ? ' and DISCORD_API_BASE' : ''}.`,
    );
  } finally {
    clearTimeout(timer);
  }
  log.info({ user: client.user?.tag }, 'discord bot connected');

  const open = (identityKey: string): ChatThread | null => {
    const match = /^discord:(\d{15,20})$/.exec(identityKey);
    if (!match || stopping) return null;
    const userId = match[1]!;
    const cached = client.users.cache.get(userId);
    return new DiscordThread(
      identityKey,
      cached?.globalName ?? cached?.username ?? 'there',
      maxDownloadBytes,
      new ChannelSink(() => client.users.createDM(userId)),
    );
  };
  // The conversation reaches Discord users by DM through it (a /link code used elsewhere, /start in a server).
  const removeDirectory = app.directories.add({ open });

  return {
    userId: client.user!.id,
    open,
    async stop() {
      removeDirectory();
      stopping = true;
      const pending = Promise.allSettled([...inFlight]);
      await Promise.race([pending, new Promise((r) => setTimeout(r, 10_000).unref())]);
      await client.destroy();
    },
  };
}
