/**
 * Starts the Telegram bot from the configuration: the one place that turns `config.telegram`
 * into a running `createTelegramBot`. The chat app (store, analysis, conversation) is created
 * once by the caller and shared with the other bots. With a webhook configured, its route is
 * added to the operations server's routes before Telegram is told the URL. `telegramDirectory` is the
 * send-only side of the same bot, for the worker role.
 */
import type { HttpRoutes } from '../../src/app/observability.js';
import type { Config } from '../../src/config.js';
import type { ChatDirectories } from '../../src/conversation/chat-directories.js';
import type { Logger } from '../../src/logger.js';
import type { ChatUpdates } from '../../src/store/ports.js';
import {
  createTelegramBot,
  createTelegramSender,
  type ConversationHandler,
  type TelegramBot,
  type TelegramSender,
} from './telegram-adapter.js';
import type { TelegramInboxSettings } from './telegram-inbox.js';

export interface StartTelegramOptions {
  /** Called when polling stops for good (revoked token, a second instance polling). */
  onFatalError?: (error: Error) => void;
  /** The operations server's routes: the webhook's route is added there (required in webhook mode). */
  routes?: HttpRoutes;
  /**
   * Tests: the inbox's claimant, lease, sweep, clock and the seam before handling — in webhook mode,
   * and in polling mode as it takes over the updates a webhook-mode process left unhandled.
   */
  webhook?: Omit<TelegramInboxSettings, 'inbox'>;
}

/** Creates and starts the Telegram bot; throws (without the token in the message) when it cannot. */
export async function startTelegram(
  config: Config,
  logger: Logger,
  app: { conversation: ConversationHandler; directories?: ChatDirectories; store?: { updates: ChatUpdates } },
  options: StartTelegramOptions = {},
): Promise<TelegramBot> {
  const token = config.telegram.token;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env.');
  const webhook = config.telegram.webhook;
  if (webhook && (!options.routes || !app.store))
    throw new Error('TELEGRAM_WEBHOOK_URL is set but the HTTP server is not running: set METRICS_PORT to the port the URL reaches.');
  const telegram = createTelegramBot({
    token,
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    maxDownloadBytes: config.telegram.maxDownloadBytes,
    conversation: app.conversation,
    logger: logger.child({ bot: 'telegram' }),
    ...(options.onFatalError ? { onFatalError: options.onFatalError } : {}),
    // Polling too: updates stored by webhook mode and left unhandled (a crash, then a switch back to polling) are handled first.
    ...(app.store ? { inbox: { ...options.webhook, inbox: app.store.updates } } : {}),
    ...(webhook ? { webhook } : {}),
  });
  // Served before start(): Telegram delivers as soon as it knows the URL.
  const removeRoute = telegram.webhookRoute ? options.routes?.add(telegram.webhookRoute) : undefined;
  try {
    await telegram.start();
  } catch (error) {
    removeRoute?.();
    throw error;
  }
  // The conversation reaches Telegram chats through it (a /link code used elsewhere) until the bot stops.
  const remove = app.directories?.add(telegram);
  return {
    ...telegram,
    async stop() {
      remove?.();
      await telegram.stop();
      removeRoute?.();
    },
  };
}

/**
 * The send-only directory of the worker role: Telegram chats reached through the bot's API
 * (analyses, reminders, check-ins), without polling, a webhook or setMyCommands — the ingress owns
 * those. Null when TELEGRAM_BOT_TOKEN is not set.
 */
export function telegramDirectory(config: Config, logger: Logger): TelegramSender | null {
  const token = config.telegram.token;
  if (!token) return null;
  return createTelegramSender({
    token,
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    maxDownloadBytes: config.telegram.maxDownloadBytes,
    logger: logger.child({ bot: 'telegram' }),
  });
}
