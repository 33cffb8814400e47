/**
 * A bot process for the webhook crash test, killed with SIGKILL by the parent: the chat app on
 * `<db>`, its HTTP server on a free port, and the Telegram bot in webhook mode against the fake Bot
 * API at `<api root>`. Prints "READY" once the webhook is registered, and "STORED <update id>" when
 * an update has been stored and answered 200 — then handles nothing more (the parent kills it there).
 *   telegram-webhook-child.ts <db> <api root> <lease ms>
 */
import type { AddressInfo } from 'node:net';
import { startTelegram } from '../../bots/telegram/main.js';
import { createChatApp } from '../../src/app/chat-app.js';
import { HttpRoutes, startOperationsServer } from '../../src/app/observability.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FAKE_BOT_TOKEN } from '../fakes/fake-telegram.js';
import { WEBHOOK_PATH, WEBHOOK_SECRET } from '../fakes/telegram-driver.js';

const [db, apiRoot, leaseMs] = process.argv.slice(2);
if (!db || !apiRoot || !leaseMs) throw new Error('usage: telegram-webhook-child.ts <db> <api root> <lease ms>');

const config = loadConfig({
  DATABASE_PATH: db,
  TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
  TELEGRAM_API_ROOT: apiRoot,
  METRICS_PORT: '0',
  TELEGRAM_WEBHOOK_URL: `http://127.0.0.1${WEBHOOK_PATH}`,
  TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
});
const logger = createLogger('silent');
const app = await createChatApp(config, logger, { snapshot: false, processMetrics: false });
const routes = new HttpRoutes();
const server = await startOperationsServer(0, app.metrics, () => app.health(), routes.handle);
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
await startTelegram(
  { ...config, telegram: { ...config.telegram, webhook: { url, secret: WEBHOOK_SECRET } } },
  logger,
  { conversation: app.conversation, directories: app.directories, store: app.store },
  {
    routes,
    webhook: {
      leaseMs: Number(leaseMs),
      beforeHandle: (updateId) => {
        process.stdout.write(`STORED ${updateId}\n`);
        return new Promise<void>(() => undefined); // never handled: the parent kills this process
      },
    },
  },
);
process.stdout.write('READY\n');
