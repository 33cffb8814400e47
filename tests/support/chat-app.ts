/**
 * A chat app on a temp database with an in-memory thread per athlete, for tests that drive the
 * Conversation directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatApp, type ChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatThread, Incoming, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import type { LlmProvider } from '../../src/llm/provider.js';
import { createLogger, type Logger } from '../../src/logger.js';

export interface TestChat {
  app: ChatApp;
  dir: string;
  thread(key: string): TestThread;
  close(): Promise<void>;
}

export interface TestThread {
  thread: ChatThread;
  posts: Reply[];
  files: OutgoingFile[];
  last(): string;
  send(incoming: Incoming): Promise<string>;
  upload(files: { fileName: string; content: Uint8Array }[]): Promise<string>;
}

/** A chat app on a temp database with its own directory; close() shuts the app and removes the directory. */
export async function testChat(
  env: Record<string, string> = {},
  options: { logger?: Logger; clock?: () => Date; provider?: LlmProvider; snapshot?: boolean } = {},
): Promise<TestChat> {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-chat-'));
  const app = await createChatApp(loadConfig({ DATABASE_PATH: join(dir, 'bot.db'), ...env }), options.logger ?? createLogger('silent'), {
    snapshot: options.snapshot ?? false,
    statusIntervalMs: 10,
    processMetrics: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  });
  return {
    app,
    dir,
    thread(key) {
      const posts: Reply[] = [];
      const files: OutgoingFile[] = [];
      const thread: ChatThread = {
        athleteKey: key,
        displayName: key,
        isPrivate: true,
        maxDownloadBytes: 20 * 1024 * 1024,
        async post(r: Reply): Promise<MessageRef> {
          posts.push(r);
          return { id: String(posts.length) };
        },
        async edit() {},
        async sendFiles(f: OutgoingFile[]) {
          files.push(...f);
        },
      };
      const last = () => posts.at(-1)?.text ?? '';
      return {
        thread,
        posts,
        files,
        last,
        async send(incoming) {
          await app.conversation.handle(thread, incoming);
          return last();
        },
        async upload(list) {
          await app.conversation.handle(thread, {
            kind: 'files',
            attachments: list.map((f) => ({ fileName: f.fileName, sizeBytes: f.content.length, download: async () => f.content })),
          });
          return last();
        },
      };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
