/**
 * Starts the Telegram bot from the configuration: the one place that turns `config.telegram`
 * into a running `createTelegramBot`. The chat app (store, analysis, conversation) is created
 * once by the caller and shared with the other bots.
 */
import type { Config } from '../../src/config.js';
import type { ChatDirectories } from '../../src/conversation/chat-directories.js';
import type { Logger } from '../../src/logger.js';
import { createTelegramBot, type ConversationHandler, type TelegramBot } from './telegram-adapter.js';

export interface StartTelegramOptions {
  /** Called when polling stops for good (revoked token, a second instance polling). */
  onFatalError?: (error: Error) => void;
}

/** Creates and starts the Telegram bot; throws (without the token in the message) when it cannot. */
export async function startTelegram(
  config: Config,
  logger: Logger,
  app: { conversation: ConversationHandler; directories?: ChatDirectories },
  options: StartTelegramOptions = {},
): Promise<TelegramBot> {
  const token = config.telegram.token;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env.');
  const telegram = createTelegramBot({
    token,
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    maxDownloadBytes: config.telegram.maxDownloadBytes,
    conversation: app.conversation,
    logger: logger.child({ bot: 'telegram' }),
    ...(options.onFatalError ? { onFatalError: options.onFatalError } : {}),
  });
  await telegram.start();
  // The conversation reaches Telegram chats through it (a /link code used elsewhere) until the bot stops.
  const remove = app.directories?.add(telegram);
  return {
    ...telegram,
    async stop() {
      remove?.();
      await telegram.stop();
    },
  };
}
