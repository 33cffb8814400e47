/**
 * The platform's "busy" sign (Telegram's "typing…") during long work — reading a large upload,
 * preparing the reports — shown now and repeated, since a platform shows it a few seconds only.
 */
import type { Logger } from '../logger.js';
import type { ChatActivity, ChatThread } from './port.js';
import { asError } from './turn.js';

/** Telegram shows an action 5 s, so it is repeated a little sooner. */
const BUSY_REPEAT_MS = 4000;

/**
 * Shows the busy sign now and every few seconds until the returned function is called. The first
 * one is awaited (briefly), so that it goes out before CPU-bound work starts.
 */
export async function showBusy(thread: ChatThread, activity: ChatActivity, logger?: Logger): Promise<() => void> {
  if (!thread.showActivity) return () => undefined;
  const show = () =>
    thread.showActivity!(activity).catch((e: unknown) => {
      logger?.debug({ err: asError(e), athleteKey: thread.athleteKey }, 'chat action failed');
    });
  await Promise.race([show(), new Promise((r) => setTimeout(r, 1000).unref())]);
  const timer = setInterval(() => void show(), BUSY_REPEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
