/**
 * A chat directory for ticker tests: records what each identity was sent; `blocked` identities
 * fail permanently (the athlete blocked the bot), `flaky` ones once (a network hiccup); `delayMs`
 * stands for a network round trip, during which another ticker works.
 */
import type { ChatDirectory, ChatThread, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import { DeliveryError } from '../../src/conversation/port.js';

export function recordingDirectory(options: { blocked?: string[]; flaky?: string[]; delayMs?: number } = {}): {
  dir: ChatDirectory;
  sent: Map<string, Reply[]>;
} {
  const sent = new Map<string, Reply[]>();
  const failedOnce = new Set<string>();
  const dir: ChatDirectory = {
    open: (key) =>
      stubThread(key, async (reply) => {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (options.blocked?.includes(key)) throw new DeliveryError(true, 'Telegram: the user blocked the bot (403)');
        if (options.flaky?.includes(key) && !failedOnce.has(key)) {
          failedOnce.add(key);
          throw new DeliveryError(false, 'network hiccup');
        }
        sent.set(key, [...(sent.get(key) ?? []), reply]);
      }),
  };
  return { dir, sent };
}

/** A private chat with `key` whose messages go to `post`; nothing else in it does anything. */
export function stubThread(key: string, post: (reply: Reply) => Promise<void>): ChatThread {
  return {
    athleteKey: key,
    displayName: key,
    isPrivate: true,
    maxDownloadBytes: 1,
    async post(reply: Reply): Promise<MessageRef> {
      await post(reply);
      return { id: String(Math.random()) };
    },
    async edit() {},
    async sendFiles(_f: OutgoingFile[]) {},
  };
}
