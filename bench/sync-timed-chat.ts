/**
 * What bench/sync.ts measures with: a chat directory that notes when each message was posted (so a
 * latency ends at the post itself, not at the next look), the sync routes on the app's operations
 * server, Strava's OAuth round trip on its fake, and percentiles.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metrics, startOperationsServer } from '../src/app/observability.js';
import { syncRoutes, type SyncEndpoints } from '../src/app/sync-routes.js';
import type { ChatDirectory, MessageRef, Reply } from '../src/conversation/port.js';
import type { SyncService } from '../src/conversation/sync/sync-service.js';
import type { AthleteStore } from '../src/store/store.js';
import type { FakeStrava } from '../tests/fakes/fake-strava.js';

/** One message posted to a chat, with `performance.now()` at the post. */
interface TimedPost {
  key: string;
  text: string;
  at: number;
}

interface Waiter {
  key: string;
  match: (text: string) => boolean;
  resolve: (post: TimedPost) => void;
}

/** A directory of private `telegram:*` chats that keep every post with its time. */
export interface TimedChat {
  directory: ChatDirectory;
  /** The next post to `key` (from now on) whose text (title and text) matches; rejects after `timeoutMs`. */
  next(key: string, match: (text: string) => boolean, timeoutMs: number): Promise<TimedPost>;
}

export function timedChat(): TimedChat {
  let waiters: Waiter[] = [];
  let id = 0;
  const posted = (post: TimedPost) => {
    const due = waiters.filter((w) => w.key === post.key && w.match(post.text));
    waiters = waiters.filter((w) => !due.includes(w));
    for (const w of due) w.resolve(post);
  };
  return {
    directory: {
      open: (key) =>
        key.startsWith('telegram:')
          ? {
              athleteKey: key,
              displayName: key,
              isPrivate: true,
              maxDownloadBytes: 20 * 1024 * 1024,
              async post(reply: Reply): Promise<MessageRef> {
                posted({ key, text: [reply.title, reply.text].filter(Boolean).join('\n'), at: performance.now() });
                return { id: String(++id) };
              },
              async edit() {},
              async sendFiles() {},
            }
          : null,
    },
    next(key, match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`no message to ${key} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          key,
          match,
          resolve: (post) => {
            clearTimeout(timer);
            resolve(post);
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

/** The sync routes on the bot's operations server (as bots/main.ts starts it), on a free port: its base URL. */
export async function startSyncServer(sync: SyncEndpoints): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = await startOperationsServer(
    0,
    new Metrics({ processMetrics: false }),
    () => Promise.resolve({ ok: true, checks: {} }),
    syncRoutes(sync),
  );
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The athlete's "Authorize" on the fake and the redirect back, as in tests/integration/sync-strava.test.ts. */
export async function connectStrava(sync: SyncService, fake: FakeStrava, athlete: AthleteStore, chat: string, stravaId: string) {
  const link = new URL(await sync.stravaAuthorizeUrl(athlete, chat, 1));
  const code = fake.authorize(stravaId);
  const page = await sync.stravaCallback(new URLSearchParams({ state: link.searchParams.get('state')!, code, scope: 'activity:read_all' }));
  if (page.title !== 'Strava connected') throw new Error(`Strava not connected: ${page.message}`);
}

/** 1 Hz samples of a steady ride with a little variation (Strava's streams on the fake). */
export function stravaSamples(minutes: number, watts = 210): { watts: number[]; heartrate: number[] } {
  const n = minutes * 60;
  return {
    watts: Array.from({ length: n }, (_, i) => watts + ((i * 37) % 41) - 20),
    heartrate: Array.from({ length: n }, (_, i) => 130 + (i % 20)),
  };
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
