/**
 * The Telegram adapter: updates mapped to `Incoming` events for the platform-neutral
 * `Conversation`, one `TelegramThread` per chat. Everything a user sees is decided in
 * src/conversation; this file only maps.
 *
 * - Updates of one chat run in order (`sequentialize` per chat); chats run concurrently, so one
 *   athlete's upload never waits for another's.
 * - The transport (telegram-transport.ts) polls, retries 429s and Telegram's 5xx, and scrubs the
 *   token from every error; albums (telegram-albums.ts) become one upload; downloads
 *   (telegram-download.ts) keep the token-bearing file URL to themselves.
 * - One catch point (`bot.catch`) logs what went wrong under `err`, without the token, and tells
 *   the person.
 */
import { sequentialize } from '@grammyjs/runner';
import type { Api, Bot, BotError, Context } from 'grammy';
import type { HttpRoute } from '../../src/app/sync-routes.js';
import type { Conversation } from '../../src/conversation/conversation.js';
import type { ChatDirectory, ChatThread, Incoming } from '../../src/conversation/port.js';
import type { Logger } from '../../src/logger.js';
import { AlbumCollector, type CollectedFiles } from './telegram-albums.js';
import { TelegramDownloader } from './telegram-download.js';
import { scrubError, tokenScrubber } from './telegram-errors.js';
import { parseCommand } from './telegram-format.js';
import { TelegramThread } from './telegram-thread.js';
import { TelegramTransport } from './telegram-transport.js';
import type { TelegramInboxSettings } from './telegram-inbox.js';
import type { TelegramWebhookTarget } from './telegram-webhook.js';

/** The Bot API's getFile limit: a bot cannot download larger files. */
const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
const TELEGRAM_API_ROOT = 'https://api.telegram.org';

/**
 * Messages with nothing the bot reads, by the field Telegram gives them, and how the athlete would
 * name them (the conversation answers with what it does read). A venue also carries a location,
 * so it comes first.
 */
const UNREADABLE_MESSAGES: readonly (readonly [string, string])[] = [
  ['photo', 'a photo'],
  ['sticker', 'a sticker'],
  ['voice', 'a voice message'],
  ['audio', 'an audio file'],
  ['video', 'a video'],
  ['video_note', 'a video message'],
  ['venue', 'a place'],
  ['location', 'a location'],
  ['contact', 'a contact'],
  ['poll', 'a poll'],
  ['dice', 'a dice roll'],
];

const SORRY = 'Sorry, something went wrong on my side. Please try again in a minute; if it keeps happening, tell whoever runs this bot.';

/** What the adapter needs of the conversation (a `Conversation`, or a test's wrapper of one). */
export type ConversationHandler = Pick<Conversation, 'handle'>;

interface TelegramBotOptions {
  /** From @BotFather. Secret: never logged. */
  token: string;
  /** Another Bot API server (a local one, or a test's fake); default Telegram's. */
  apiRoot?: string;
  conversation: ConversationHandler;
  logger: Logger;
  /** Files above this are refused without downloading; default the Bot API's 20 MB. */
  maxDownloadBytes?: number;
  /** Called when polling stops for good (a revoked token, another instance polling). */
  onFatalError?: (error: Error) => void;
  /** The inbox of pushed updates: webhook mode stores them there; long polling first handles what it holds unhandled. */
  inbox?: TelegramInboxSettings;
  /** Updates pushed by Telegram to this webhook instead of long polling (requires `inbox`). */
  webhook?: TelegramWebhookTarget;
}

/** A Telegram bot, and the chat directory of its athletes. */
export interface TelegramBot extends ChatDirectory {
  bot: Bot;
  /** In webhook mode, the route that receives Telegram's updates: serve it before start(). */
  webhookRoute: HttpRoute | null;
  /** Checks the token (getMe), registers the commands, and starts polling (or registers the webhook). */
  start(): Promise<void>;
  /** Stops polling (or taking webhook updates), lets the updates in hand finish, and confirms them to Telegram. */
  stop(): Promise<void>;
  /**
   * A thread to message an athlete unprompted (reminders), from their identity key
   * (`telegram:<user id>`: their private chat with the bot has the same id); null for other platforms.
   */
  open(identityKey: string): ChatThread | null;
}

/** What the update handlers share. */
interface Updates {
  transport: TelegramTransport;
  conversation: ConversationHandler;
  logger: Logger;
  scrub: (text: string) => string;
  maxDownloadBytes: number;
  albums: AlbumCollector;
  downloader: TelegramDownloader;
}

export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { token, logger } = options;
  const apiRoot = (options.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const maxDownloadBytes = options.maxDownloadBytes ?? TELEGRAM_DOWNLOAD_LIMIT;
  const scrubToken = tokenScrubber(token);
  const webhookSecret = options.webhook?.secret;
  const scrub = webhookSecret ? (text: string) => scrubToken(text).split(webhookSecret).join('[secret]') : scrubToken;
  const { onFatalError, inbox, webhook } = options;
  const transport = new TelegramTransport({ token, apiRoot, logger, scrub, onFatalError, inbox, webhook });
  const { api } = transport.bot;
  const downloader = new TelegramDownloader({ api, token, apiRoot, maxDownloadBytes, scrub, signal: () => transport.signal });
  route({ transport, conversation: options.conversation, logger, scrub, maxDownloadBytes, albums: new AlbumCollector(), downloader });
  return {
    bot: transport.bot,
    webhookRoute: transport.webhook?.route ?? null,
    start: () => transport.start(),
    stop: () => transport.stop(),
    open: (identityKey) => privateThread(api, identityKey, maxDownloadBytes),
  };
}

/** A directory of Telegram chats that only sends: no polling, no webhook, no commands registered. */
export interface TelegramSender extends ChatDirectory {
  /** Cancels the requests in flight and the retries waiting. */
  close(): void;
}

/**
 * The bot's API as a directory, for a process that reaches athletes but never reads updates (the
 * worker role): the same transport (token scrubbing, 429 retries) never started.
 */
export function createTelegramSender(
  options: Pick<TelegramBotOptions, 'token' | 'apiRoot' | 'logger' | 'maxDownloadBytes'>,
): TelegramSender {
  const { token, logger } = options;
  const apiRoot = (options.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const maxDownloadBytes = options.maxDownloadBytes ?? TELEGRAM_DOWNLOAD_LIMIT;
  const transport = new TelegramTransport({ token, apiRoot, logger, scrub: tokenScrubber(token) });
  return {
    open: (identityKey) => privateThread(transport.bot.api, identityKey, maxDownloadBytes),
    close: () => transport.cancel(),
  };
}

/** The private chat of `telegram:<user id>` (a user's private chat with a bot has the user's id); null for other keys. */
function privateThread(api: Api, identityKey: string, maxDownloadBytes: number): TelegramThread | null {
  const id = /^telegram:(\d+)$/.exec(identityKey)?.[1];
  return id ? new TelegramThread(api, Number(id), identityKey, '', true, maxDownloadBytes) : null;
}

/** Registers the update handlers, in order, after the transport's own middleware. */
function route(u: Updates): void {
  const { bot } = u.transport;
  // A file of an album that is still open joins it before the per-chat queue: it never waits behind its own album.
  bot.on('message:document', u.albums.join);
  bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : ctx.from ? `user:${ctx.from.id}` : undefined)));
  bot.on('callback_query:data', async (ctx) => {
    // Answer first: the button shows a spinner until then, and the analysis may take a while.
    await ctx
      .answerCallbackQuery()
      .catch((error: unknown) =>
        u.logger.warn({ err: scrubError(error, u.scrub), athleteKey: `telegram:${ctx.from.id}` }, 'answering a button press failed'),
      );
    if (!ctx.callbackQuery.message) return; // a button of an inline message: not ours
    await handle(u, ctx, { kind: 'action', action: ctx.callbackQuery.data });
  });
  bot.on('message:document', async (ctx) => handle(u, ctx, filesEvent(u, await u.albums.collect(ctx))));
  bot.on('message:text', async (ctx) => {
    const command = parseCommand(ctx.message.text);
    const deleteMessage = deleter(u, ctx);
    if (!command) return handle(u, ctx, { kind: 'text', text: ctx.message.text, deleteMessage });
    // `/start@OtherBot` in a group is for another bot.
    if (command.botName && command.botName.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    await handle(u, ctx, { kind: 'command', name: command.name, args: command.args, deleteMessage });
  });
  // Everything else a person sends (a photo, a sticker, a voice note): answered with what is read.
  // Service messages (pins, members joining) are no one's message and get no answer.
  bot.on('message', async (ctx) => {
    const what = UNREADABLE_MESSAGES.find(([field]) => field in ctx.message)?.[1];
    if (what) await handle(u, ctx, { kind: 'unreadable', what });
  });
  bot.catch((botError) => onError(u, botError));
}

/**
 * Deletes the athlete's message (one holding an API key, once read). A refusal (too old, no right)
 * is logged without the token and rejects with a plain error: the conversation then asks the
 * athlete to delete it.
 */
function deleter(u: Updates, ctx: Context): () => Promise<void> {
  return async () => {
    try {
      await ctx.deleteMessage();
    } catch (error) {
      u.logger.warn(
        { err: scrubError(error, u.scrub), athleteKey: ctx.from ? `telegram:${ctx.from.id}` : null },
        'deleting a message failed',
      );
      throw new Error('Telegram refused to delete the message');
    }
  };
}

function filesEvent(u: Updates, files: CollectedFiles): Incoming {
  return {
    kind: 'files',
    attachments: files.documents.map((d) => u.downloader.attachment(d)),
    ...(files.caption ? { caption: files.caption } : {}),
  };
}

/** Hands an event to the conversation, on the thread of the chat it came from (none for other bots). */
async function handle(u: Updates, ctx: Context, incoming: Incoming): Promise<void> {
  const { chat, from } = ctx;
  if (!chat || !from || from.is_bot) return;
  const thread = new TelegramThread(
    u.transport.bot.api,
    chat.id,
    `telegram:${from.id}`,
    from.first_name,
    chat.type === 'private',
    u.maxDownloadBytes,
  );
  await u.conversation.handle(thread, incoming);
}

/**
 * The one catch point: the conversation answers expected problems itself, so this is a bug or a
 * Telegram failure. Log it without the token, and tell the person something went wrong.
 */
async function onError(u: Updates, botError: BotError<Context>): Promise<void> {
  const ctx = botError.ctx;
  const athleteKey = ctx.from ? `telegram:${ctx.from.id}` : null;
  u.logger.error(
    { err: scrubError(botError.error, u.scrub), athleteKey, updateId: ctx.update.update_id },
    'handling a Telegram update failed',
  );
  if (ctx.chat && !u.transport.signal.aborted) await u.transport.bot.api.sendMessage(ctx.chat.id, SORRY).catch(() => undefined);
}
