/**
 * The Telegram adapter: grammY long polling through @grammyjs/runner, one `TelegramThread` per
 * chat, updates mapped to `Incoming` events for the platform-neutral `Conversation`. Everything a
 * user sees is decided in src/conversation; this file only maps.
 *
 * - Updates of one chat run in order (`sequentialize` per chat); chats run concurrently, so one
 *   athlete's upload never waits for another's.
 * - 429s (and Telegram's 5xx) are retried by the auto-retry transformer.
 * - Documents sent as an album (several files at once: Telegram sends one message per file with a
 *   shared `media_group_id`) are collected into one upload, so the athlete gets one answer.
 * - The bot token is part of every Bot API URL: errors are scrubbed of it before they are logged
 *   or handed on, and the download URL never leaves this file.
 */
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, GrammyError, HttpError, InputFile, type Api, type Context, type Transformer } from 'grammy';
import type { Conversation } from '../../src/conversation/conversation.js';
import {
  COMMANDS,
  type ChatActivity,
  type ChatThread,
  type Incoming,
  type IncomingAttachment,
  type MessageRef,
  type OutgoingFile,
  type Reply,
} from '../../src/conversation/port.js';
import { DeliveryError } from '../../src/conversation/reminders.js';
import type { Logger } from '../../src/logger.js';
import { inlineKeyboard, parseCommand, replyToHtmlMessages } from './telegram-format.js';

/** The Bot API's getFile limit: a bot cannot download larger files. */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
export const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** How long an album stays open for its next file after the last one arrived. */
const ALBUM_QUIET_MS = 600;
/** The longest wait for one file download. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

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

/** Telegram's chat action for what the bot is busy with. */
const CHAT_ACTIONS: Record<ChatActivity, 'typing' | 'upload_document'> = { reading: 'typing', 'sending-files': 'upload_document' };

/** What the adapter needs of the conversation (a `Conversation`, or a test's wrapper of one). */
export type ConversationHandler = Pick<Conversation, 'handle'>;

export interface TelegramBotOptions {
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
}

export interface TelegramBot {
  bot: Bot;
  /** Checks the token (getMe), registers the commands, and starts polling. */
  start(): Promise<void>;
  /** Stops polling, lets the updates in hand finish, and confirms them to Telegram. */
  stop(): Promise<void>;
  /**
   * A thread to message an athlete unprompted (reminders), from their identity key
   * (`telegram:<user id>`: their private chat with the bot has the same id); null for other platforms.
   */
  openThread(identityKey: string): ChatThread | null;
}

/** One Telegram chat as the conversation sees it. */
export class TelegramThread implements ChatThread {
  /** The Bot API's limit on a sent document. */
  readonly maxAttachmentBytes = 50 * 1024 * 1024;

  constructor(
    private readonly api: Api,
    private readonly chatId: number,
    readonly athleteKey: string,
    readonly displayName: string,
    readonly isPrivate: boolean,
    readonly maxDownloadBytes: number,
  ) {}

  async post(reply: Reply): Promise<MessageRef> {
    const texts = replyToHtmlMessages(reply);
    const keyboard = inlineKeyboard(reply.buttons);
    let last = 0;
    try {
      for (const [i, text] of texts.entries()) {
        const markup = i === texts.length - 1 && keyboard ? { reply_markup: keyboard } : {};
        const sent = await this.api.sendMessage(this.chatId, text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markup,
        });
        last = sent.message_id;
      }
    } catch (error) {
      throw asDeliveryError(error);
    }
    // The last part carries the buttons; it is the one an edit changes.
    return { id: String(last) };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    // Edits are progress lines; one that grew past a message is cut, never spread over several.
    const text = replyToHtmlMessages(reply)[0]!;
    const keyboard = inlineKeyboard(reply.buttons);
    try {
      await this.api.editMessageText(this.chatId, Number(ref.id), text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
    } catch (error) {
      // The same text again is not a failure: the status already says it.
      if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
      throw error;
    }
  }

  /** "typing…" / "sending a file…" over the chat for 5 s (or until the next message). */
  async showActivity(activity: ChatActivity): Promise<void> {
    await this.api.sendChatAction(this.chatId, CHAT_ACTIONS[activity]);
  }

  async sendFiles(files: OutgoingFile[], caption?: string): Promise<void> {
    if (caption) await this.post({ text: caption });
    for (const file of files) {
      if (file.kind === 'photo') {
        try {
          await this.api.sendPhoto(this.chatId, new InputFile(file.content, file.fileName));
          continue;
        } catch (error) {
          // Telegram refuses some pictures (size, proportions): the file itself still helps.
          if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
        }
      }
      await this.api.sendDocument(this.chatId, new InputFile(file.content, file.fileName));
    }
  }
}

/**
 * Telegram's answers that mean "this person cannot be messaged" (blocked the bot, deleted their
 * account, never started a chat) become a permanent DeliveryError, so reminders stop for them.
 */
function asDeliveryError(error: unknown): unknown {
  if (!(error instanceof GrammyError)) return error;
  if (error.error_code === 403 || (error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description)))
    return new DeliveryError(true, `Telegram: ${error.description}`);
  return error;
}

/** The pieces of a Telegram document message the adapter needs. */
interface TelegramDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  file_size?: number;
}

interface Album {
  documents: TelegramDocument[];
  caption: string | undefined;
  lastAddedAt: number;
  closed: boolean;
}

/**
 * What to scrub from any text that may leave the adapter: the token (bare, and URL-encoded as in
 * `bot<token>` URLs), and its secret part after the colon (the part before it is the bot's public
 * user id). Longest first, so that the whole token becomes one `[token]`.
 */
export function tokenScrubber(token: string): (text: string) => string {
  const secretPart = token.includes(':') ? token.slice(token.indexOf(':') + 1) : '';
  const secrets = [...new Set([token, encodeURIComponent(token), secretPart, encodeURIComponent(secretPart)])]
    .filter((s) => s.length >= 8 || (s.length > 0 && s === token))
    .sort((a, b) => b.length - a.length);
  return (text: string) => secrets.reduce((t, secret) => t.split(secret).join('[token]'), text);
}

/**
 * The same error with the token scrubbed from every text it carries (message, description, stack,
 * cause), keeping its class so callers can still tell a GrammyError's code or an HttpError.
 */
export function scrubError(error: unknown, scrub: (text: string) => string): Error {
  const tokenFree = (text: string | undefined) => text === undefined || scrub(text) === text;
  if (error instanceof GrammyError && tokenFree(error.message) && tokenFree(error.description) && tokenFree(error.stack)) return error;
  if (error instanceof GrammyError) {
    const clean = new GrammyError(
      scrub(error.message),
      {
        ok: false,
        error_code: error.error_code,
        description: scrub(error.description),
        ...(error.parameters ? { parameters: error.parameters } : {}),
      },
      error.method,
      error.payload,
    );
    if (error.stack) clean.stack = scrub(error.stack);
    return clean;
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? scrubError(error.error, scrub) : new Error(scrub(String(error.error)));
    const clean = new HttpError(scrub(error.message), inner);
    if (error.stack) clean.stack = scrub(error.stack);
    return clean;
  }
  if (error instanceof Error) {
    // Untouched when it holds no token (it keeps its class and own properties).
    if (
      tokenFree(error.message) &&
      tokenFree(error.stack) &&
      (error.cause === undefined ||
        (error.cause instanceof Error ? scrubError(error.cause, scrub) === error.cause : tokenFree(String(error.cause))))
    )
      return error;
    const clean = Object.assign(new Error(scrub(error.message)), { name: error.name });
    clean.stack = error.stack ? scrub(error.stack) : clean.stack;
    if (error.cause !== undefined) clean.cause = error.cause instanceof Error ? scrubError(error.cause, scrub) : scrub(String(error.cause));
    return clean;
  }
  return new Error(scrub(String(error)));
}

/** An error as it may be logged: its kind and message, with the token scrubbed out. */
export function describeError(error: unknown, scrub: (text: string) => string): Record<string, unknown> {
  if (error instanceof GrammyError)
    return { name: error.name, method: error.method, code: error.error_code, description: scrub(error.description) };
  if (error instanceof HttpError) return { name: error.name, message: scrub(error.message), cause: describeError(error.error, scrub) };
  if (error instanceof Error)
    return { name: error.name, message: scrub(error.message), ...(error.stack ? { stack: scrub(error.stack) } : {}) };
  return { message: scrub(String(error)) };
}

export function createTelegramBot(options: TelegramBotOptions): TelegramBot {
  const { token, conversation, logger } = options;
  const apiRoot = (options.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const maxDownloadBytes = options.maxDownloadBytes ?? TELEGRAM_DOWNLOAD_LIMIT;
  const scrub = tokenScrubber(token);

  const bot = new Bot(token, { client: { apiRoot } });
  // One signal shared by every request in flight: raise Node's listener warning threshold for it.
  const stopController = () => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  };
  let stopping = stopController();

  // Innermost: network errors carry node-fetch's message, which holds the URL and so the token;
  // and Telegram's error descriptions may echo it (grammY builds every GrammyError's message from
  // the description returned here, so scrubbing it here cleans getMe's, sendMessage's, ... alike).
  const scrubErrors: Transformer = async (prev, method, payload, signal) => {
    let result: Awaited<ReturnType<typeof prev>>;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      const clean = scrubError(error, scrub);
      if (error instanceof HttpError && !signal?.aborted)
        logger.warn({ method, error: describeError(clean, scrub) }, 'a Telegram request failed');
      throw clean;
    }
    if (result.ok) return result;
    const refused = { ...result, description: scrub(String(result.description ?? '')) };
    if (method === 'getUpdates')
      logger.warn({ method, code: refused.error_code, description: refused.description }, 'Telegram refused getUpdates');
    return refused;
  };
  bot.api.config.use(scrubErrors);
  // 429 "retry after": wait as told (a minute at most) and try again; the runner handles getUpdates itself.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  // Outermost: calls without a signal of their own are cancelled when the bot stops, so no retry loop outlives it.
  // (grammY types its signals with the abort-controller polyfill's class; Node's is compatible at run time.)
  bot.api.config.use((prev, method, payload, signal) =>
    prev(method, payload, signal ?? (stopping.signal as unknown as NonNullable<typeof signal>)),
  );

  // Updates in hand, so that stop() can let them finish; and the newest id, to confirm on stop.
  const inFlight = new Set<Promise<unknown>>();
  let newestUpdateId: number | null = null;
  bot.use(async (_ctx, next) => {
    const task = next();
    inFlight.add(task);
    try {
      await task;
    } finally {
      inFlight.delete(task);
    }
  });
  bot.use((ctx, next) => {
    newestUpdateId = Math.max(newestUpdateId ?? 0, ctx.update.update_id);
    return next();
  });

  // Albums: a file that belongs to an album that is still open joins it here, before the per-chat
  // queue, so that it never waits behind its own album.
  const albums = new Map<string, Album>();
  const albumKey = (ctx: Context) => (ctx.message?.media_group_id && ctx.chat ? `${ctx.chat.id}:${ctx.message.media_group_id}` : null);
  bot.on('message:document', async (ctx, next) => {
    const key = albumKey(ctx);
    const open = key ? albums.get(key) : undefined;
    if (open && !open.closed) {
      open.documents.push(ctx.message.document);
      open.caption ??= ctx.message.caption;
      open.lastAddedAt = Date.now();
      return;
    }
    if (key) albums.set(key, { documents: [ctx.message.document], caption: ctx.message.caption, lastAddedAt: Date.now(), closed: false });
    await next();
  });

  bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : ctx.from ? `user:${ctx.from.id}` : undefined)));

  const threadFor = (ctx: Context): TelegramThread | null => {
    const chat = ctx.chat;
    const from = ctx.from;
    if (!chat || !from || from.is_bot) return null;
    return new TelegramThread(bot.api, chat.id, `telegram:${from.id}`, from.first_name, chat.type === 'private', maxDownloadBytes);
  };

  const attachment = (document: TelegramDocument): IncomingAttachment => {
    const fileName = document.file_name ?? `file-${document.file_unique_id}`;
    const sizeBytes = document.file_size ?? 0;
    return {
      fileName,
      sizeBytes,
      download: async () => {
        // The conversation refuses big files from sizeBytes; this guards anything else that calls.
        if (sizeBytes > maxDownloadBytes) throw new Error(`${fileName} is larger than the ${maxDownloadBytes} bytes a bot may download`);
        const file = await bot.api.getFile(document.file_id);
        if (file.file_size !== undefined && file.file_size > maxDownloadBytes)
          throw new Error(`${fileName} is larger than the ${maxDownloadBytes} bytes a bot may download`);
        if (!file.file_path) throw new Error(`Telegram gave no file path for ${fileName}`);
        // A local Bot API server in --local mode answers with the file's absolute path on its disk.
        if (isAbsolute(file.file_path)) return new Uint8Array(await readFile(file.file_path));
        return downloadFile(`${apiRoot}/file/bot${token}/${file.file_path}`, fileName);
      },
    };
  };

  const downloadFile = async (url: string, fileName: string): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
    } catch (error) {
      throw new Error(
        `downloading ${fileName} from Telegram failed: ${scrub(error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error))}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`downloading ${fileName} from Telegram failed: HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxDownloadBytes) {
      await response.body?.cancel();
      throw new Error(`${fileName} is larger than the ${maxDownloadBytes} bytes a bot may download`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxDownloadBytes) throw new Error(`${fileName} is larger than the ${maxDownloadBytes} bytes a bot may download`);
    return bytes;
  };

  const handle = async (ctx: Context, incoming: Incoming): Promise<void> => {
    const thread = threadFor(ctx);
    if (!thread) return;
    await conversation.handle(thread, incoming);
  };

  bot.on('callback_query:data', async (ctx) => {
    // Answer first: the button shows a spinner until then, and the analysis may take a while.
    await ctx
      .answerCallbackQuery()
      .catch((error: unknown) =>
        logger.warn({ error: describeError(error, scrub), athleteKey: `telegram:${ctx.from.id}` }, 'answering a button press failed'),
      );
    if (!ctx.callbackQuery.message) return; // a button of an inline message: not ours
    await handle(ctx, { kind: 'action', action: ctx.callbackQuery.data });
  });

  bot.on('message:document', async (ctx) => {
    const key = albumKey(ctx);
    const album = key ? albums.get(key) : undefined;
    if (key && album) {
      // Wait until no file of the album has arrived for a moment, then take it as one upload.
      for (;;) {
        const wait = album.lastAddedAt + ALBUM_QUIET_MS - Date.now();
        if (wait > 0) {
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        // After a busy stretch the timer may fire before a part that already arrived is read: let pending I/O in first.
        const seen = album.documents.length;
        await new Promise((r) => setImmediate(r));
        if (album.documents.length === seen) break;
      }
      album.closed = true;
      albums.delete(key);
      await handle(ctx, {
        kind: 'files',
        attachments: album.documents.map(attachment),
        ...(album.caption ? { caption: album.caption } : {}),
      });
      return;
    }
    await handle(ctx, {
      kind: 'files',
      attachments: [attachment(ctx.message.document)],
      ...(ctx.message.caption ? { caption: ctx.message.caption } : {}),
    });
  });

  bot.on('message:text', async (ctx) => {
    const command = parseCommand(ctx.message.text);
    if (command) {
      // `/start@OtherBot` in a group is for another bot.
      if (command.botName && command.botName.toLowerCase() !== ctx.me.username.toLowerCase()) return;
      await handle(ctx, { kind: 'command', name: command.name, args: command.args });
      return;
    }
    await handle(ctx, { kind: 'text', text: ctx.message.text });
  });

  // Everything else a person sends (a photo, a sticker, a voice note): answered with what is read.
  // Service messages (pins, members joining) are no one's message and get no answer.
  bot.on('message', async (ctx) => {
    const what = UNREADABLE_MESSAGES.find(([field]) => field in ctx.message)?.[1];
    if (what) await handle(ctx, { kind: 'unreadable', what });
  });

  // The one catch point: the conversation answers expected problems itself, so this is a bug or
  // a Telegram failure. Log it without the token, and tell the person something went wrong.
  bot.catch(async (botError) => {
    const ctx = botError.ctx;
    const athleteKey = ctx.from ? `telegram:${ctx.from.id}` : null;
    logger.error(
      { error: describeError(botError.error, scrub), athleteKey, updateId: ctx.update.update_id },
      'handling a Telegram update failed',
    );
    if (ctx.chat && !stopping.signal.aborted) {
      await bot.api
        .sendMessage(
          ctx.chat.id,
          'Sorry, something went wrong on my side. Please try again in a minute; if it keeps happening, tell whoever runs this bot.',
        )
        .catch(() => undefined);
    }
  });

  let runner: RunnerHandle | null = null;

  return {
    bot,
    async start() {
      if (runner) return;
      if (stopping.signal.aborted) stopping = stopController();
      try {
        await bot.init();
        // Polling and a webhook exclude each other; pending updates are kept.
        await bot.api.deleteWebhook();
        await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.name, description: c.description })));
      } catch (error) {
        // The caller logs this (e.g. getMe's 401): it must not carry the token.
        throw scrubError(error, scrub);
      }
      const handle = run(bot, {
        runner: {
          fetch: { timeout: 30, allowed_updates: ['message', 'callback_query'] },
          // The runner would print fetch errors (with the request URL) to the console; the scrubbing transformer logs them instead.
          silent: true,
        },
      });
      runner = handle;
      handle.task()?.catch((error: unknown) => {
        const described = describeError(error, scrub);
        logger.fatal({ error: described }, 'Telegram polling stopped');
        if (runner === handle) runner = null;
        options.onFatalError?.(new Error(`Telegram polling stopped: ${String(described.description ?? described.message)}`));
      });
      logger.info({ username: bot.botInfo.username }, 'Telegram bot started');
    },
    async stop() {
      const handle = runner;
      if (!handle) return;
      runner = null;
      await handle.stop().catch((error: unknown) => {
        throw scrubError(error, scrub);
      });
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      // Confirm what was handled, so that the next start does not get it again.
      if (newestUpdateId !== null) await bot.api.getUpdates({ offset: newestUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
      stopping.abort();
      logger.info('Telegram bot stopped');
    },
    openThread(identityKey) {
      const id = /^telegram:(\d+)$/.exec(identityKey)?.[1];
      // A user's private chat with a bot has the user's id.
      return id ? new TelegramThread(bot.api, Number(id), identityKey, '', true, maxDownloadBytes) : null;
    },
  };
}
