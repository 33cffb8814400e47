/**
 * The Telegram transport: the grammY `Bot` with its API transformers (token scrubbing, 429
 * retries, cancelling on stop), and how updates arrive — long polling through @grammyjs/runner
 * (the default), or Telegram's webhook into the inbox (telegram-webhook.ts) when one is configured
 * — and what a clean stop needs (the updates in hand, the newest update id to confirm). Long
 * polling also handles what the inbox still holds (updates a webhook-mode process stored and did
 * not handle before it died), under the same claims, before it polls.
 */
import { setMaxListeners } from 'node:events';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, HttpError, type Transformer } from 'grammy';
import { COMMANDS } from '../../src/conversation/port.js';
import type { Logger } from '../../src/logger.js';
import { errorText, scrubError } from './telegram-errors.js';
import { TelegramInbox, type TelegramInboxSettings } from './telegram-inbox.js';
import { TelegramWebhook, type TelegramWebhookTarget, type UpdateKind } from './telegram-webhook.js';

/** What the bot reads; the same whether polling or by webhook. */
const ALLOWED_UPDATES: readonly UpdateKind[] = ['message', 'callback_query'];

export interface TelegramTransportOptions {
  token: string;
  /** The Bot API server, without a trailing slash. */
  apiRoot: string;
  logger: Logger;
  /** Cuts the token out of a text. */
  scrub: (text: string) => string;
  /** Called when polling stops for good (a revoked token, another instance polling). */
  onFatalError?: ((error: Error) => void) | undefined;
  /** The inbox of pushed updates: webhook mode stores updates there; polling handles what it holds unhandled. */
  inbox?: TelegramInboxSettings | undefined;
  /** Telegram pushes updates there instead of being polled (requires `inbox`). */
  webhook?: TelegramWebhookTarget | undefined;
}

/** One signal shared by every request in flight: Node's listener warning threshold is raised for it. */
function stopController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * Innermost transformer: network errors carry node-fetch's message, which holds the URL and so the
 * token; and Telegram's error descriptions may echo it (grammY builds every GrammyError's message
 * from the description returned here, so scrubbing it here cleans getMe's, sendMessage's, ... alike).
 */
function scrubbingTransformer(scrub: (text: string) => string, logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    let result: Awaited<ReturnType<typeof prev>>;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      const clean = scrubError(error, scrub);
      if (error instanceof HttpError && !signal?.aborted) logger.warn({ method, err: clean }, 'a Telegram request failed');
      throw clean;
    }
    if (result.ok) return result;
    const refused = { ...result, description: scrub(String(result.description ?? '')) };
    if (method === 'getUpdates')
      logger.warn({ method, code: refused.error_code, description: refused.description }, 'Telegram refused getUpdates');
    return refused;
  };
}

export class TelegramTransport {
  readonly bot: Bot;
  private stopping = stopController();
  private runner: RunnerHandle | null = null;
  /** Set in webhook mode: its route must be on the operations server before start(). */
  readonly webhook: TelegramWebhook | null;
  private webhookOpen = false;
  /** The inbox's handler, when there is an inbox (in webhook mode, the webhook's). */
  private readonly inbox: TelegramInbox | null;
  private inboxOpen = false;
  /** Updates in hand, so that stop() can let them finish. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The newest update id, to confirm on stop. */
  private newestUpdateId: number | null = null;

  constructor(private readonly options: TelegramTransportOptions) {
    this.bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
    this.inbox = options.inbox ? new TelegramInbox(this.bot, options.inbox, options.logger, options.scrub) : null;
    if (options.webhook && !this.inbox) throw new Error('a Telegram webhook needs an inbox to store the updates in');
    this.webhook = options.webhook && this.inbox ? new TelegramWebhook(this.bot, options.webhook, this.inbox) : null;
    this.bot.api.config.use(scrubbingTransformer(options.scrub, options.logger));
    // 429 "retry after": wait as told (a minute at most) and try again; the runner handles getUpdates itself.
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
    // Outermost: calls without a signal of their own are cancelled when the bot stops, so no retry loop outlives it.
    // (grammY types its signals with the abort-controller polyfill's class; Node's is compatible at run time.)
    this.bot.api.config.use((prev, method, payload, signal) =>
      prev(method, payload, signal ?? (this.stopping.signal as unknown as NonNullable<typeof signal>)),
    );
    this.bot.use(async (_ctx, next) => {
      const task = next();
      this.inFlight.add(task);
      try {
        await task;
      } finally {
        this.inFlight.delete(task);
      }
    });
    this.bot.use((ctx, next) => {
      // Only polled updates are confirmed on stop: one from the inbox may have any id (Telegram
      // picks a random one after a quiet week), and confirming past it could drop polled ones.
      if (!this.inbox?.handles(ctx.update.update_id)) this.newestUpdateId = Math.max(this.newestUpdateId ?? 0, ctx.update.update_id);
      return next();
    });
  }

  /** Aborted once the bot has stopped: downloads and requests still running give up. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /**
   * Checks the token (getMe), registers the commands, and starts handling what the inbox holds
   * unhandled; then starts polling — or, in webhook mode, registers the webhook.
   */
  async start(): Promise<void> {
    if (this.runner || this.webhookOpen || this.inboxOpen) return;
    if (this.stopping.signal.aborted) this.stopping = stopController();
    const { bot, webhook } = this;
    const { scrub, logger } = this.options;
    try {
      await bot.init();
      // Polling: a webhook left from webhook mode would refuse getUpdates (pending updates are kept).
      if (!webhook) await bot.api.deleteWebhook();
      await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.name, description: c.description })));
      if (webhook) {
        await webhook.open(ALLOWED_UPDATES);
        this.webhookOpen = true;
      } else if (this.inbox) {
        // Before polling: in each chat, what the inbox holds is older than anything polled, and is queued first.
        await this.inbox.start();
        this.inboxOpen = true;
      }
    } catch (error) {
      if (webhook && !this.webhookOpen) await webhook.close().catch(() => undefined);
      else if (!webhook && this.inbox && !this.inboxOpen) await this.inbox.stop().catch(() => undefined);
      // The caller logs this (e.g. getMe's 401): it must not carry the token.
      throw scrubError(error, scrub);
    }
    if (webhook) {
      logger.info({ username: bot.botInfo.username, path: webhook.path }, 'Telegram bot started with a webhook');
      return;
    }
    const handle = run(bot, {
      runner: {
        fetch: { timeout: 30, allowed_updates: [...ALLOWED_UPDATES] },
        // The runner would print fetch errors (with the request URL) to the console; the scrubbing transformer logs them instead.
        silent: true,
      },
    });
    this.runner = handle;
    handle.task()?.catch((error: unknown) => {
      const clean = scrubError(error, scrub);
      logger.fatal({ err: clean }, 'Telegram polling stopped');
      if (this.runner === handle) this.runner = null;
      void this.closeInbox();
      this.options.onFatalError?.(new Error(`Telegram polling stopped: ${errorText(clean)}`));
    });
    logger.info({ username: bot.botInfo.username }, 'Telegram bot started');
  }

  /**
   * Stops polling, lets the updates in hand finish (the inbox's too), and confirms the polled ones
   * to Telegram; in webhook mode, stops handling new ones (the webhook stays registered for the next start).
   */
  async stop(): Promise<void> {
    if (this.webhookOpen && this.webhook) {
      this.webhookOpen = false;
      await this.webhook.close();
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      this.stopping.abort();
      this.options.logger.info('Telegram bot stopped');
      return;
    }
    const handle = this.runner;
    if (!handle) return;
    this.runner = null;
    await handle.stop().catch((error: unknown) => {
      throw scrubError(error, this.options.scrub);
    });
    await this.closeInbox();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    // Confirm what was handled, so that the next start does not get it again.
    if (this.newestUpdateId !== null)
      await this.bot.api.getUpdates({ offset: this.newestUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
    this.stopping.abort();
    this.options.logger.info('Telegram bot stopped');
  }

  /**
   * Cancels the requests in flight and the retries waiting: how a transport that only sends (never
   * started: no polling, no webhook) stops.
   */
  cancel(): void {
    this.stopping.abort();
  }

  /** Polling: stops taking updates from the inbox, lets those in hand finish, gives back the rest. */
  private async closeInbox(): Promise<void> {
    if (!this.inboxOpen || !this.inbox) return;
    this.inboxOpen = false;
    await this.inbox.stop();
  }
}
