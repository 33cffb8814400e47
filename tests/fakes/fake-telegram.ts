/**
 * A fake Telegram Bot API on 127.0.0.1 for running the real grammY bot in tests.
 *
 *   const fake = await startFakeTelegram();
 *   const bot = createTelegramBot({ token: fake.token, apiRoot: fake.url, ... });
 *   fake.userSendsText(42, '/start');
 *   await fake.waitFor(() => fake.messages(42).length > 0);
 *
 * Serves `POST /bot<token>/<method>` (JSON, or grammY's multipart: its parts have no space after
 * the colon, an unquoted filename, and files referenced as `attach://<id>`) and
 * `GET /file/bot<token>/<file_path>`. Methods: getMe, setMyCommands, getUpdates
 * (long polling that honours offset, limit, timeout and allowed_updates; a second poller gets
 * Telegram's 409), setWebhook, deleteWebhook, getWebhookInfo, sendMessage, editMessageText, deleteMessage, answerCallbackQuery, sendDocument,
 * sendPhoto, sendChatAction, getFile. It answers with Telegram's errors where Telegram would: unknown chat, unknown message,
 * a user who blocked the bot (403), text that is empty, too long or bad HTML, "message is not
 * modified", a photo that is no image or has impossible proportions, getFile of a file above
 * 20 MB ("file is too big"), a wrong token (401).
 *
 * While a webhook is set (as a local Bot API server, it takes http:// URLs too), queued updates are
 * POSTed as JSON to its URL with the secret in X-Telegram-Bot-Api-Secret-Token, up to
 * max_connections at once but one at a time per chat, in order; an update is delivered again
 * (after `redeliveryMs`) until it gets a 2xx answer, and getUpdates answers 409 Conflict.
 * `redeliver` sends an update that was answered again (as Telegram does when the answer was lost).
 *
 * Its HTML check is stricter than Telegram's: a bare `&` or `>` is refused too, so that a missed
 * escape shows up here even where Telegram would guess.
 *
 * The test plays users (private chat id = user id; groups have their own negative ids) and reads
 * what the bot sent to each chat: messages as the user sees them (HTML parsed, with every edit),
 * documents and photos with their bytes. `failNext` scripts errors (e.g. a 429 with retry_after).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const FAKE_BOT_TOKEN = '123456789:AAFakeTokenForTests_abcdefghijklmnopq';
/** The Bot API's getFile limit. */
export const GET_FILE_LIMIT = 20 * 1024 * 1024;
const DOCUMENT_LIMIT = 50 * 1024 * 1024;
const PHOTO_LIMIT = 10 * 1024 * 1024;
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

export type ChatType = 'private' | 'group' | 'supergroup';

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
}

export interface FakeButton {
  text: string;
  data: string;
}

export interface FakeMessageVersion {
  text: string;
  html: string | null;
  entities: MessageEntity[];
  buttons: FakeButton[][];
}

/** A text message the bot sent, as the user sees it now; `history` holds the versions before each edit. */
export interface FakeBotMessage extends FakeMessageVersion {
  messageId: number;
  chatId: number;
  /** When it was sent (ms since epoch). */
  at: number;
  edits: number;
  history: FakeMessageVersion[];
}

export interface FakeSentFile {
  messageId: number;
  chatId: number;
  kind: 'document' | 'photo';
  fileName: string;
  bytes: Uint8Array;
  caption: string | null;
  fileId: string;
}

export interface FakeUser {
  id: number;
  firstName: string;
}

export interface FailOnce {
  errorCode: number;
  description: string;
  retryAfter?: number;
}

export interface FakeTelegramOptions {
  token?: string;
  botUsername?: string;
  /** The longest a getUpdates is held when there is nothing to deliver (capped by its own timeout). */
  pollHoldMs?: number;
  /**
   * Behave as a local Bot API server started with --local: files are kept in this folder, getFile
   * answers with their absolute path and allows up to 2000 MB.
   */
  localFilesDir?: string;
  /** How long a webhook delivery that failed waits before the next try (default 50 ms). */
  redeliveryMs?: number;
}

/** One POST of an update to the webhook: the answer's status (null: no answer). */
export interface FakeWebhookDelivery {
  updateId: number;
  status: number | null;
}

export interface FakeTelegram {
  /** The `apiRoot` for grammY, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly token: string;
  readonly botUser: { id: number; username: string; firstName: string };
  /** The commands the bot registered with setMyCommands. */
  readonly commands: { command: string; description: string }[];
  /** How often each method was called. */
  calls(method: string): number;
  /** 429 answers given (from `failNext`). */
  readonly tooManyRequests: number;

  /** A user writes in a private chat (or in a group: `chatType` and `chatId`). */
  userSendsText(userId: number, text: string, chatType?: ChatType, options?: UserOptions): { updateId: number; messageId: number };
  /** A user sends one file as a document. `declaredSize` lets a test claim a size without the bytes. */
  userSendsDocument(
    userId: number,
    fileName: string,
    bytes: Uint8Array,
    options?: UserOptions & { caption?: string; mediaGroupId?: string; chatType?: ChatType },
  ): { updateId: number; messageId: number; fileId: string };
  /** A user sends several files at once: one message per file sharing a `media_group_id` (at most 10, as in Telegram). */
  userSendsAlbum(
    userId: number,
    files: { fileName: string; content: Uint8Array }[],
    options?: UserOptions,
  ): { updateIds: number[]; fileIds: string[] };
  /** A user blocks the bot: everything sent to their private chat gets Telegram's 403. */
  userBlocksBot(userId: number): void;
  /** A user sends something that is no document and no text: a photo, a sticker or a voice note (bytes stored as a file). */
  userSendsMedia(userId: number, kind: 'photo' | 'sticker' | 'voice', options?: UserOptions): { updateId: number; messageId: number };
  /** A user presses an inline button of a bot message. */
  userPresses(
    userId: number,
    messageId: number,
    data: string,
    options?: { chatId?: number },
  ): { updateId: number; callbackQueryId: string };

  /** The chat actions ("typing", "upload_document") the bot sent to a chat, in order, with when. */
  chatActions(chatId: number): { action: string; at: number }[];
  /** The bot's text messages in a chat, oldest first. */
  messages(chatId: number): FakeBotMessage[];
  documents(chatId: number): FakeSentFile[];
  photos(chatId: number): FakeSentFile[];
  /** Documents and photos in the order sent. */
  files(chatId: number): FakeSentFile[];
  /** Every chat the bot sent anything to. */
  chatsWithBotOutput(): number[];
  /** How often getFile was asked for this file, and how often its bytes were downloaded. */
  getFileCalls(fileId: string): number;
  downloads(fileId: string): number;
  /** The ids of the messages the bot deleted in a chat (the user's, e.g. one holding an API key), in order. */
  deletedMessages(chatId: number): number[];
  /** Whether the bot answered this button press. */
  callbackAnswered(callbackQueryId: string): boolean;
  /** Updates queued and not yet confirmed by an offset (or, with a webhook, by a 2xx answer). */
  pendingUpdates(): number;
  /** The webhook set by the bot, if any. */
  webhook(): { url: string; secret: string | null; allowedUpdates: string[] | null } | null;
  /** Every POST to the webhook so far, in order. */
  webhookDeliveries(): FakeWebhookDelivery[];
  /** A text update of a private chat, built as userSendsText does but not queued: for a test to POST itself. */
  textUpdate(userId: number, text: string): { update_id: number } & Record<string, unknown>;
  /** Queues an update already delivered to be delivered again (Telegram does when the bot's answer was lost). */
  redeliver(updateId: number): void;

  /** The next `times` calls of `method` fail with this Telegram error (a 429 with `retryAfter` seconds, say). */
  failNext(method: string, failure: FailOnce, times?: number): void;
  /** The next call of `method` has its connection dropped without an answer. */
  dropNext(method: string): void;
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export interface UserOptions {
  firstName?: string;
  /** For groups: the group's id (negative); private chats use the user id. */
  chatId?: number;
}

interface StoredFile {
  fileId: string;
  uniqueId: string;
  fileName: string;
  bytes: Uint8Array;
  /** What Telegram believes the size is (a test may claim more than it stored). */
  size: number;
  path: string;
}

interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  firstName?: string;
  nextMessageId: number;
}

type Update = { update_id: number } & Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_BOT_TOKEN;
  const botUser = {
    id: Number(token.split(':')[0]) || 123456789,
    username: options.botUsername ?? 'domestique_test_bot',
    firstName: 'domestique',
  };
  const pollHoldMs = options.pollHoldMs ?? 1000;

  const chats = new Map<number, Chat>();
  const users = new Map<number, FakeUser>();
  const botMessages = new Map<number, FakeBotMessage[]>();
  const sentFiles = new Map<number, FakeSentFile[]>();
  const files = new Map<string, StoredFile>();
  const filesByPath = new Map<string, StoredFile>();
  const getFileCounts = new Map<string, number>();
  const downloadCounts = new Map<string, number>();
  const callbackQueries = new Map<string, { answered: boolean }>();
  const callCounts = new Map<string, number>();
  const failures = new Map<string, FailOnce[]>();
  const drops = new Map<string, number>();
  const commands: { command: string; description: string }[] = [];
  const blocked = new Set<number>();
  const actions = new Map<number, { action: string; at: number }[]>();
  const deleted = new Map<number, number[]>();
  let tooManyRequests = 0;

  let updates: Update[] = [];
  let nextUpdateId = 1;
  let nextFile = 1;
  let nextCallback = 1;
  let nextAlbum = 1;
  let allowedUpdates: string[] | null = null;
  let waiter: { wake: () => void; conflict: () => void } | null = null;
  let wakeScheduled = false;
  const redeliveryMs = options.redeliveryMs ?? 50;
  /** Every update ever queued, by id, for `redeliver`. */
  const queued = new Map<number, Update>();
  let hook: { url: string; secret: string | null; maxConnections: number } | null = null;
  const deliveries: FakeWebhookDelivery[] = [];
  /** Updates being POSTed, and the chats they belong to (one at a time per chat). */
  const posting = new Set<Update>();
  const postingChats = new Set<string>();
  let webhookError: { date: number; message: string } | null = null;
  /** After a failed delivery, nothing is POSTed before this time. */
  let pausedUntil = 0;
  let pumpTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const now = () => Math.floor(Date.now() / 1000);

  function chatFor(userId: number, chatType: ChatType = 'private', opts: UserOptions = {}): { chat: Chat; user: FakeUser } {
    const user = users.get(userId) ?? { id: userId, firstName: opts.firstName ?? `User${userId}` };
    if (opts.firstName) user.firstName = opts.firstName;
    users.set(userId, user);
    const chatId = chatType === 'private' ? userId : (opts.chatId ?? -1000000000 - userId);
    let chat = chats.get(chatId);
    if (!chat) {
      chat = {
        id: chatId,
        type: chatType,
        nextMessageId: 1,
        ...(chatType === 'private' ? { firstName: user.firstName } : { title: `Group ${-chatId}` }),
      };
      chats.set(chatId, chat);
    }
    return { chat, user };
  }

  const chatJson = (chat: Chat) => ({
    id: chat.id,
    type: chat.type,
    ...(chat.type === 'private' ? { first_name: chat.firstName } : { title: chat.title }),
  });
  const userJson = (user: FakeUser) => ({ id: user.id, is_bot: false, first_name: user.firstName, language_code: 'en' });
  const botJson = () => ({ id: botUser.id, is_bot: true, first_name: botUser.firstName, username: botUser.username });

  function enqueue(update: Record<string, unknown>): number {
    const updateId = nextUpdateId++;
    const full = { update_id: updateId, ...update };
    updates.push(full);
    queued.set(updateId, full);
    wakeSoon();
    return updateId;
  }

  function wakeSoon(): void {
    // Wake the poller after the current turn: updates queued together (an album) go out together, as from Telegram.
    if (!wakeScheduled) {
      wakeScheduled = true;
      setImmediate(() => {
        wakeScheduled = false;
        waiter?.wake();
        pump();
      });
    }
  }

  function textMessage(userId: number, text: string, chatType: ChatType, opts: UserOptions) {
    const { chat, user } = chatFor(userId, chatType, opts);
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    return {
      message_id: chat.nextMessageId++,
      from: userJson(user),
      chat: chatJson(chat),
      date: now(),
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    };
  }

  // ---- the webhook ----

  /** Updates the bot asked for (allowed_updates), the others forgotten, as getUpdates does. */
  const allowedOnly = () => {
    if (allowedUpdates) updates = updates.filter((u) => Object.keys(u).some((k) => k !== 'update_id' && allowedUpdates!.includes(k)));
    return updates;
  };

  function chatKey(update: Update): string {
    const body = (update.message ?? update.callback_query) as
      { chat?: { id: number }; message?: { chat: { id: number } }; from?: { id: number } } | undefined;
    return String(body?.chat?.id ?? body?.message?.chat.id ?? body?.from?.id ?? update.update_id);
  }

  /** POSTs what can go now: in order, up to max_connections, one update per chat at a time. */
  function pump(): void {
    if (!hook || closed) return;
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      pumpTimer ??= setTimeout(() => {
        pumpTimer = null;
        pump();
      }, wait);
      return;
    }
    const held = new Set<string>();
    for (const update of allowedOnly()) {
      if (posting.size >= hook.maxConnections) break;
      const key = chatKey(update);
      // an earlier update of this chat still on its way holds the later ones back
      if (posting.has(update) || postingChats.has(key) || held.has(key)) {
        held.add(key);
        continue;
      }
      held.add(key);
      void post(update, key, hook);
    }
  }

  async function post(update: Update, key: string, target: { url: string; secret: string | null }): Promise<void> {
    posting.add(update);
    postingChats.add(key);
    let status: number | null = null;
    let problem = '';
    try {
      const answer = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(target.secret ? { 'X-Telegram-Bot-Api-Secret-Token': target.secret } : {}) },
        body: JSON.stringify(update),
      });
      status = answer.status;
      await answer.arrayBuffer();
      if (status < 200 || status > 299) problem = `Wrong response from the webhook: ${status}`;
    } catch (error) {
      problem = `Connection failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    posting.delete(update);
    postingChats.delete(key);
    deliveries.push({ updateId: update.update_id, status });
    if (problem) {
      webhookError = { date: now(), message: problem };
      pausedUntil = Date.now() + redeliveryMs;
    } else updates = updates.filter((u) => u !== update);
    pump();
  }

  function setWebhook(params: Record<string, unknown>): true {
    const url = String(params.url ?? '');
    if (url === '') return deleteWebhook(params);
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = params.secret_token === undefined ? null : String(params.secret_token);
    if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
    const maxConnections = params.max_connections === undefined ? 40 : Number(params.max_connections);
    if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100) throw badRequest('bad max_connections');
    if (params.allowed_updates !== undefined) allowedUpdates = allowedUpdateList(params.allowed_updates);
    if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') updates = [];
    hook = { url, secret, maxConnections };
    webhookError = null;
    pausedUntil = 0;
    // A long poll waiting now ends as Telegram ends it.
    waiter?.conflict();
    wakeSoon();
    return true;
  }

  function deleteWebhook(params: Record<string, unknown>): true {
    hook = null;
    if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') updates = [];
    return true;
  }

  const webhookInfo = () => ({
    url: hook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: updates.length,
    ...(hook ? { max_connections: hook.maxConnections } : {}),
    ...(hook && allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
    ...(hook && webhookError ? { last_error_date: webhookError.date, last_error_message: webhookError.message } : {}),
  });

  function storeFile(fileName: string, bytes: Uint8Array, size = bytes.length): StoredFile {
    const n = nextFile++;
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1] ?? 'dat';
    let path = `documents/file_${n}.${ext}`;
    if (options.localFilesDir) {
      path = join(options.localFilesDir, `file_${n}.${ext}`);
      writeFileSync(path, bytes);
    }
    const file: StoredFile = { fileId: `BQACAgIAAx-fake-${n}`, uniqueId: `AgAD-fake-${n}`, fileName, bytes, size, path };
    files.set(file.fileId, file);
    filesByPath.set(file.path, file);
    return file;
  }

  // ---- the Bot API ----

  const knownChat = (value: unknown): Chat => {
    const chat = chats.get(Number(value));
    if (!chat) throw badRequest('chat not found');
    if (blocked.has(chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    return chat;
  };

  const messageJson = (chat: Chat, message: FakeBotMessage) => ({
    message_id: message.messageId,
    from: botJson(),
    chat: chatJson(chat),
    date: now(),
    text: message.text,
    ...(message.entities.length > 0 ? { entities: message.entities } : {}),
    ...(message.buttons.length > 0
      ? { reply_markup: { inline_keyboard: message.buttons.map((r) => r.map((b) => ({ text: b.text, callback_data: b.data }))) } }
      : {}),
  });

  function version(params: Record<string, unknown>, field: 'text' | 'caption'): FakeMessageVersion {
    const raw = params[field];
    const limit = field === 'text' ? TEXT_LIMIT : CAPTION_LIMIT;
    if (raw === undefined || raw === null || String(raw).length === 0) {
      if (field === 'caption') return { text: '', html: null, entities: [], buttons: [] };
      throw badRequest('message text is empty');
    }
    const source = String(raw);
    const mode = params.parse_mode;
    if (mode !== undefined && mode !== 'HTML') throw badRequest(`unsupported parse_mode "${String(mode)}" in this fake`);
    const parsed = mode === 'HTML' ? parseTelegramHtml(source) : { text: source, entities: [] };
    if (parsed.text.trim().length === 0) throw badRequest(field === 'text' ? 'message text is empty' : 'message caption is empty');
    if (parsed.text.length > limit) throw badRequest(field === 'text' ? 'message is too long' : 'message caption is too long');
    return { text: parsed.text, html: mode === 'HTML' ? source : null, entities: parsed.entities, buttons: keyboard(params.reply_markup) };
  }

  function keyboard(markup: unknown): FakeButton[][] {
    if (markup === undefined || markup === null) return [];
    const value = typeof markup === 'string' ? (JSON.parse(markup) as unknown) : markup;
    const rows = (value as { inline_keyboard?: unknown }).inline_keyboard;
    if (!Array.isArray(rows)) throw badRequest('only inline keyboards are supported by this fake');
    return rows.map((row: unknown) => {
      if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      return row.map((b: { text?: unknown; callback_data?: unknown }) => {
        if (typeof b.text !== 'string' || b.text.length === 0) throw badRequest('BUTTON_TEXT_INVALID');
        const data = b.callback_data;
        if (typeof data !== 'string' || data.length === 0 || Buffer.byteLength(data) > 64) throw badRequest('BUTTON_DATA_INVALID');
        return { text: b.text, data };
      });
    });
  }

  const sameVersion = (a: FakeMessageVersion, b: FakeMessageVersion) =>
    a.text === b.text &&
    JSON.stringify(a.entities) === JSON.stringify(b.entities) &&
    JSON.stringify(a.buttons) === JSON.stringify(b.buttons);

  function sendFile(
    params: Record<string, unknown>,
    parts: Map<string, { fileName: string; bytes: Uint8Array }>,
    kind: 'document' | 'photo',
  ) {
    const chat = knownChat(params.chat_id);
    const ref = params[kind];
    const attached = typeof ref === 'string' && ref.startsWith('attach://') ? parts.get(ref.slice('attach://'.length)) : undefined;
    if (!attached) throw badRequest('wrong file identifier/HTTP URL specified');
    if (attached.bytes.length === 0) throw badRequest('file must be non-empty');
    if (kind === 'document' && attached.bytes.length > DOCUMENT_LIMIT) throw new ApiError(413, 'Request Entity Too Large');
    if (kind === 'photo') {
      if (attached.bytes.length > PHOTO_LIMIT) throw badRequest('PHOTO_SAVE_FILE_INVALID');
      const size = imageSize(attached.bytes);
      if (!size) throw badRequest('IMAGE_PROCESS_FAILED');
      if (size.width + size.height > 10_000 || Math.max(size.width, size.height) / Math.max(1, Math.min(size.width, size.height)) > 20)
        throw badRequest('PHOTO_INVALID_DIMENSIONS');
    }
    const caption = version(params, 'caption');
    const stored = storeFile(attached.fileName, attached.bytes);
    const messageId = chat.nextMessageId++;
    const list = sentFiles.get(chat.id) ?? [];
    list.push({
      messageId,
      chatId: chat.id,
      kind,
      fileName: attached.fileName,
      bytes: attached.bytes,
      caption: caption.text || null,
      fileId: stored.fileId,
    });
    sentFiles.set(chat.id, list);
    const fileJson = { file_id: stored.fileId, file_unique_id: stored.uniqueId, file_size: stored.size };
    return {
      message_id: messageId,
      from: botJson(),
      chat: chatJson(chat),
      date: now(),
      ...(kind === 'document'
        ? { document: { ...fileJson, file_name: attached.fileName, mime_type: 'application/octet-stream' } }
        : { photo: [{ ...fileJson, width: 90, height: 90 }] }),
      ...(caption.text ? { caption: caption.text } : {}),
    };
  }

  function getUpdates(params: Record<string, unknown>, res: ServerResponse, respond: (result: unknown) => void): void {
    if (hook)
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    const offset = params.offset === undefined ? null : Number(params.offset);
    const limit = Math.min(100, Math.max(1, params.limit === undefined ? 100 : Number(params.limit)));
    const timeoutMs = Math.min(pollHoldMs, Math.max(0, Number(params.timeout ?? 0) * 1000));
    if (params.allowed_updates !== undefined) allowedUpdates = allowedUpdateList(params.allowed_updates);
    // An offset confirms every update before it: Telegram forgets them.
    if (offset !== null && offset > 0) updates = updates.filter((u) => u.update_id >= offset);
    const deliverable = () => {
      if (allowedUpdates) updates = updates.filter((u) => Object.keys(u).some((k) => k !== 'update_id' && allowedUpdates!.includes(k)));
      return updates.slice(0, limit);
    };
    const ready = deliverable();
    if (ready.length > 0 || timeoutMs === 0) {
      respond(ready);
      return;
    }
    // Telegram allows one long poll per bot: a newer one ends the older with 409.
    waiter?.conflict();
    let done = false;
    const finish = (answer: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (waiter === self) waiter = null;
      answer();
    };
    const self = {
      wake: () => finish(() => respond(deliverable())),
      conflict: () =>
        finish(() =>
          sendError(
            res,
            new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
          ),
        ),
    };
    const timer = setTimeout(() => self.wake(), timeoutMs);
    waiter = self;
    // (Not req's 'close': that fires once the request body is read. res's fires when the client goes away.)
    res.on('close', () => finish(() => undefined));
  }

  function call(method: string, params: Record<string, unknown>, parts: Map<string, { fileName: string; bytes: Uint8Array }>): unknown {
    switch (method) {
      case 'getMe':
        return { ...botJson(), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'setWebhook':
        return setWebhook(params);
      case 'deleteWebhook':
        return deleteWebhook(params);
      case 'getWebhookInfo':
        return webhookInfo();
      case 'close':
        return true;
      case 'setMyCommands': {
        const list = typeof params.commands === 'string' ? (JSON.parse(params.commands) as unknown[]) : (params.commands as unknown[]);
        if (!Array.isArray(list) || list.length > 100) throw badRequest('commands must be an array of at most 100 commands');
        const parsed = list.map((c) => c as { command?: unknown; description?: unknown });
        for (const c of parsed) {
          if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
            throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
        commands.splice(0, commands.length, ...parsed.map((c) => ({ command: c.command as string, description: c.description as string })));
        return true;
      }
      case 'sendMessage': {
        const chat = knownChat(params.chat_id);
        const v = version(params, 'text');
        const message: FakeBotMessage = { ...v, messageId: chat.nextMessageId++, chatId: chat.id, at: Date.now(), edits: 0, history: [] };
        const list = botMessages.get(chat.id) ?? [];
        list.push(message);
        botMessages.set(chat.id, list);
        return messageJson(chat, message);
      }
      case 'editMessageText': {
        if (params.inline_message_id !== undefined) throw badRequest('inline messages are not supported by this fake');
        const chat = knownChat(params.chat_id);
        const message = botMessages.get(chat.id)?.find((m) => m.messageId === Number(params.message_id));
        if (!message) throw badRequest('message to edit not found');
        const v = version(params, 'text');
        if (sameVersion(message, v))
          throw badRequest(
            'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        message.history.push({ text: message.text, html: message.html, entities: message.entities, buttons: message.buttons });
        Object.assign(message, v, { edits: message.edits + 1 });
        return messageJson(chat, message);
      }
      case 'deleteMessage': {
        const chat = knownChat(params.chat_id);
        const messageId = Number(params.message_id);
        const gone = deleted.get(chat.id) ?? [];
        // every message of the chat (the user's and the bot's) has an id below the next one
        if (!Number.isInteger(messageId) || messageId < 1 || messageId >= chat.nextMessageId || gone.includes(messageId))
          throw badRequest('message to delete not found');
        gone.push(messageId);
        deleted.set(chat.id, gone);
        const list = botMessages.get(chat.id);
        if (list)
          botMessages.set(
            chat.id,
            list.filter((m) => m.messageId !== messageId),
          );
        return true;
      }
      case 'sendChatAction': {
        const chat = knownChat(params.chat_id);
        const action = String(params.action ?? '');
        const known = [
          'typing',
          'upload_photo',
          'record_video',
          'upload_video',
          'record_voice',
          'upload_voice',
          'upload_document',
          'choose_sticker',
          'find_location',
          'record_video_note',
          'upload_video_note',
        ];
        if (!known.includes(action)) throw badRequest('wrong parameter action in request');
        const list = actions.get(chat.id) ?? [];
        list.push({ action, at: Date.now() });
        actions.set(chat.id, list);
        return true;
      }
      case 'answerCallbackQuery': {
        const query = callbackQueries.get(String(params.callback_query_id));
        if (!query) throw badRequest('query is too old and response timeout expired or query ID is invalid');
        query.answered = true;
        return true;
      }
      case 'sendDocument':
        return sendFile(params, parts, 'document');
      case 'sendPhoto':
        return sendFile(params, parts, 'photo');
      case 'getFile': {
        const fileId = String(params.file_id);
        getFileCounts.set(fileId, (getFileCounts.get(fileId) ?? 0) + 1);
        const file = files.get(fileId);
        if (!file) throw badRequest('invalid file_id');
        if (file.size > (options.localFilesDir ? 2000 * 1024 * 1024 : GET_FILE_LIMIT)) throw badRequest('file is too big');
        return { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size, file_path: file.path };
      }
      default:
        throw new ApiError(404, 'Not Found: method not found');
    }
  }

  // ---- HTTP ----

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sendError = (res: ServerResponse, error: ApiError) =>
    sendJson(res, error.code, {
      ok: false,
      error_code: error.code,
      description: error.description,
      ...(error.parameters ? { parameters: error.parameters } : {}),
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileRoute) {
      const file = decodeURIComponent(fileRoute[1]!) === token ? filesByPath.get(decodeURIComponent(fileRoute[2]!)) : undefined;
      if (!file) return sendError(res, new ApiError(404, 'Not Found'));
      downloadCounts.set(file.fileId, (downloadCounts.get(file.fileId) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
      return;
    }
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return sendError(res, new ApiError(404, 'Not Found'));
    const body = await readBody(req);
    if (decodeURIComponent(route[1]!) !== token) return sendError(res, new ApiError(401, 'Unauthorized'));
    const method = route[2]!;
    callCounts.set(method, (callCounts.get(method) ?? 0) + 1);
    const dropping = drops.get(method) ?? 0;
    if (dropping > 0) {
      drops.set(method, dropping - 1);
      req.socket.destroy();
      return;
    }
    const scripted = failures.get(method)?.shift();
    if (scripted) {
      if (scripted.errorCode === 429) tooManyRequests += 1;
      return sendError(
        res,
        new ApiError(
          scripted.errorCode,
          scripted.description,
          scripted.retryAfter !== undefined ? { retry_after: scripted.retryAfter } : undefined,
        ),
      );
    }
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const parts = new Map<string, { fileName: string; bytes: Uint8Array }>();
    const type = req.headers['content-type'] ?? '';
    try {
      if (type.startsWith('application/json') && body.length > 0)
        params = { ...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
      else if (type.startsWith('multipart/form-data')) {
        const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
        if (!boundary) throw badRequest('multipart without boundary');
        for (const part of parseMultipart(body, boundary)) {
          if (part.fileName !== null) parts.set(part.name, { fileName: part.fileName, bytes: part.bytes });
          else params[part.name] = part.bytes.toString('utf8');
        }
      } else if (type.startsWith('application/x-www-form-urlencoded'))
        params = { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
      if (method === 'getUpdates') return getUpdates(params, res, (result) => sendJson(res, 200, { ok: true, result }));
      sendJson(res, 200, { ok: true, result: call(method, params, parts) });
    } catch (error) {
      if (error instanceof ApiError) return sendError(res, error);
      if (error instanceof SyntaxError) return sendError(res, badRequest(`can't parse JSON: ${error.message}`));
      throw error;
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) =>
      sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: fake-telegram crashed: ${String(error)}` }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeTelegram = {
    url,
    token,
    botUser,
    commands,
    calls: (method) => callCounts.get(method) ?? 0,
    get tooManyRequests() {
      return tooManyRequests;
    },
    userSendsText(userId, text, chatType = 'private', opts = {}) {
      const message = textMessage(userId, text, chatType, opts);
      const updateId = enqueue({ message });
      return { updateId, messageId: message.message_id };
    },
    textUpdate(userId, text) {
      return { update_id: nextUpdateId++, message: textMessage(userId, text, 'private', {}) };
    },
    userSendsDocument(userId, fileName, bytes, opts = {}) {
      const { chat, user } = chatFor(userId, opts.chatType ?? 'private', opts);
      const file = storeFile(fileName, bytes);
      const messageId = chat.nextMessageId++;
      const updateId = enqueue({
        message: {
          message_id: messageId,
          from: userJson(user),
          chat: chatJson(chat),
          date: now(),
          ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}),
          document: {
            file_id: file.fileId,
            file_unique_id: file.uniqueId,
            file_name: fileName,
            mime_type: 'application/octet-stream',
            file_size: file.size,
          },
          ...(opts.caption ? { caption: opts.caption } : {}),
        },
      });
      return { updateId, messageId, fileId: file.fileId };
    },
    userSendsAlbum(userId, list, opts = {}) {
      if (list.length < 2 || list.length > 10) throw new Error(`an album holds 2 to 10 files, not ${list.length}`);
      const mediaGroupId = `1${String(nextAlbum++).padStart(17, '0')}`;
      const sent = list.map((f) => fake.userSendsDocument(userId, f.fileName, f.content, { ...opts, mediaGroupId }));
      return { updateIds: sent.map((s) => s.updateId), fileIds: sent.map((s) => s.fileId) };
    },
    userSendsMedia(userId, kind, opts = {}) {
      const { chat, user } = chatFor(userId, 'private', opts);
      const messageId = chat.nextMessageId++;
      const file = storeFile(
        kind === 'photo' ? 'photo.jpg' : kind === 'sticker' ? 'sticker.webp' : 'voice.oga',
        new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]),
      );
      const ids = { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.size };
      const media =
        kind === 'photo'
          ? {
              photo: [
                { ...ids, width: 90, height: 90 },
                { ...ids, width: 1280, height: 960 },
              ],
            }
          : kind === 'sticker'
            ? { sticker: { ...ids, width: 512, height: 512, is_animated: false, is_video: false, type: 'regular', emoji: '🚴' } }
            : { voice: { ...ids, duration: 4, mime_type: 'audio/ogg' } };
      const updateId = enqueue({ message: { message_id: messageId, from: userJson(user), chat: chatJson(chat), date: now(), ...media } });
      return { updateId, messageId };
    },
    userBlocksBot(userId) {
      blocked.add(userId);
    },
    userPresses(userId, messageId, data, opts = {}) {
      const chatId = opts.chatId ?? userId;
      const message = botMessages.get(chatId)?.find((m) => m.messageId === messageId);
      if (!message) throw new Error(`the bot sent no message ${messageId} to chat ${chatId}`);
      if (!message.buttons.flat().some((b) => b.data === data)) throw new Error(`message ${messageId} has no button with data "${data}"`);
      const user = users.get(userId) ?? { id: userId, firstName: `User${userId}` };
      users.set(userId, user);
      const chat = chats.get(chatId)!;
      const callbackQueryId = String(4_000_000_000 + nextCallback++);
      callbackQueries.set(callbackQueryId, { answered: false });
      const updateId = enqueue({
        callback_query: {
          id: callbackQueryId,
          from: userJson(user),
          message: messageJson(chat, message),
          chat_instance: String(chatId),
          data,
        },
      });
      return { updateId, callbackQueryId };
    },
    chatActions: (chatId) => actions.get(chatId) ?? [],
    messages: (chatId) => botMessages.get(chatId) ?? [],
    documents: (chatId) => (sentFiles.get(chatId) ?? []).filter((f) => f.kind === 'document'),
    photos: (chatId) => (sentFiles.get(chatId) ?? []).filter((f) => f.kind === 'photo'),
    files: (chatId) => sentFiles.get(chatId) ?? [],
    chatsWithBotOutput: () => [...new Set([...botMessages.keys(), ...sentFiles.keys()])],
    getFileCalls: (fileId) => getFileCounts.get(fileId) ?? 0,
    downloads: (fileId) => downloadCounts.get(fileId) ?? 0,
    deletedMessages: (chatId) => deleted.get(chatId) ?? [],
    callbackAnswered: (id) => callbackQueries.get(id)?.answered ?? false,
    pendingUpdates: () => updates.length,
    webhook: () => (hook ? { url: hook.url, secret: hook.secret, allowedUpdates } : null),
    webhookDeliveries: () => [...deliveries],
    redeliver(updateId) {
      const update = queued.get(updateId);
      if (!update) throw new Error(`no update ${updateId} was sent`);
      if (!updates.includes(update)) updates.push(update);
      wakeSoon();
    },
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(method, list);
    },
    dropNext(method) {
      drops.set(method, (drops.get(method) ?? 0) + 1);
    },
    async waitFor(check, timeoutMs = 30_000, what = 'the bot') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      closed = true;
      if (pumpTimer) clearTimeout(pumpTimer);
      waiter?.wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Part {
  name: string;
  fileName: string | null;
  bytes: Buffer;
}

/**
 * multipart/form-data as grammY writes it (and as browsers do): headers may lack the space after
 * the colon, and a filename may be unquoted (then it runs to the end of the line).
 */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const parts: Part[] = [];
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let position = body.indexOf(opening);
  if (position < 0) throw badRequest('multipart body without its boundary');
  position += opening.length;
  for (;;) {
    if (body.subarray(position, position + 2).toString() === '--') break; // the closing boundary
    const start = position + 2; // past CRLF
    const end = body.indexOf(separator, start);
    if (end < 0) throw badRequest('multipart body ends without a closing boundary');
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw badRequest('multipart part without headers');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line)) ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition.replace(/^content-disposition\s*:\s*/i, ''))?.[1];
    if (name === undefined) throw badRequest('multipart part without a name');
    const fileMatch = /;\s*filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
    parts.push({ name, fileName: fileMatch ? (fileMatch[1] ?? fileMatch[2] ?? '').trim() : null, bytes: part.subarray(headerEnd + 4) });
    position = end + separator.length;
  }
  return parts;
}

/** PNG or JPEG dimensions, or null for anything that is not a picture Telegram takes. */
function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length;) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xc3) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return null;
}

const TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

/**
 * Telegram's HTML parse mode: the supported tags become entities (offsets in UTF-16 units, as
 * Telegram counts), the four named entities and numeric ones are decoded. Anything else is a 400
 * "can't parse entities" — including a bare `&` or `>`, which Telegram would sometimes let pass.
 */
export function parseTelegramHtml(html: string): { text: string; entities: MessageEntity[] } {
  const fail = (what: string, at: number) =>
    badRequest(`can't parse entities: ${what} at byte offset ${Buffer.byteLength(html.slice(0, at))}`);
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { tag: string; type: string; offset: number }[] = [];
  for (let i = 0; i < html.length;) {
    const c = html[i]!;
    if (c === '<') {
      const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"]*"|='[^']*')?)*)\s*>/.exec(html.slice(i));
      if (!tag) throw fail('Unexpected start tag or unclosed "<"', i);
      const name = tag[2]!.toLowerCase();
      if (!(name in TAGS)) throw fail(`Unsupported start tag "${name}"`, i);
      if (tag[1]) {
        const top = open.pop();
        if (!top || top.tag !== name) throw fail(`Unmatched end tag "${name}"`, i);
        if (text.length > top.offset) entities.push({ type: top.type, offset: top.offset, length: text.length - top.offset });
      } else {
        if (name === 'span' && !/class="tg-spoiler"/.test(tag[3] ?? '')) throw fail('Tag "span" must have class "tg-spoiler"', i);
        open.push({ tag: name, type: TAGS[name]!, offset: text.length });
      }
      i += tag[0].length;
    } else if (c === '&') {
      const entity = /^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i));
      if (!entity) throw fail('Character "&" is reserved and must be escaped as "&amp;"', i);
      const e = entity[1]!;
      text +=
        e === 'lt'
          ? '<'
          : e === 'gt'
            ? '>'
            : e === 'amp'
              ? '&'
              : e === 'quot'
                ? '"'
                : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      i += entity[0].length;
    } else if (c === '>') {
      throw fail('Character ">" is reserved and must be escaped as "&gt;"', i);
    } else {
      text += c;
      i += 1;
    }
  }
  if (open.length > 0) throw fail(`Can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`, html.length);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

/** `allowed_updates` as sent (a JSON string in a form, or a list): null, all of them, when empty. */
function allowedUpdateList(given: unknown): string[] | null {
  const list = typeof given === 'string' ? (JSON.parse(given) as string[]) : (given as string[]);
  return list.length > 0 ? list : null;
}
