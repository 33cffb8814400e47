/**
 * What the sync engine's integration tests share: a movable clock, a chat directory that records
 * every post and edit per chat identity, and the real SyncService on a real store with the real
 * ingest (read on the test's thread: the app passes its worker pool instead).
 */
import type { ChatDirectory, ChatThread, MessageRef, Reply } from '../../src/conversation/port.js';
import { SyncService, type SyncSettings } from '../../src/conversation/sync/sync-service.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import { CoachLoop } from '../../src/orchestrator/coaching/coach-loop.js';
import type { Store } from '../../src/store/store.js';

export const SECRETS_KEY = 'engine-test-secrets-key-0123456789';

export interface MovableClock {
  clock: () => Date;
  set(at: Date): void;
  advance(ms: number): void;
}

export function movableClock(start: Date): MovableClock {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    set: (at) => (now = at.getTime()),
    advance: (ms) => (now += ms),
  };
}

export interface ChatRecord {
  key: string;
  id: string;
  reply: Reply;
}

export interface RecordingChat {
  directory: ChatDirectory;
  posts: ChatRecord[];
  edits: ChatRecord[];
  /** What was posted to `key`, as text (title and text). */
  textsTo(key: string): string[];
}

/** A directory whose private chats (`telegram:*`) record what they get; other platforms are not running here. */
export function recordingChat(): RecordingChat {
  const posts: ChatRecord[] = [];
  const edits: ChatRecord[] = [];
  let next = 0;
  const thread = (key: string): ChatThread => ({
    athleteKey: key,
    displayName: key,
    isPrivate: true,
    maxDownloadBytes: 20 * 1024 * 1024,
    async post(reply: Reply): Promise<MessageRef> {
      const id = String(++next);
      posts.push({ key, id, reply });
      return { id };
    },
    async edit(ref: MessageRef, reply: Reply) {
      edits.push({ key, id: ref.id, reply });
    },
    async sendFiles() {},
  });
  return {
    directory: { open: (key) => (key.startsWith('telegram:') ? thread(key) : null) },
    posts,
    edits,
    textsTo: (key) => posts.filter((p) => p.key === key).map((p) => [p.reply.title, p.reply.text].filter(Boolean).join('\n')),
  };
}

/** Settings with nothing connected anywhere; the tests fill in their fake's base URL. */
export function syncSettings(overrides: Partial<SyncSettings> = {}): SyncSettings {
  return {
    secretsKey: SECRETS_KEY,
    publicUrl: 'https://coach.example',
    backfillMonths: 12,
    intervals: { apiBase: 'http://127.0.0.1:9', pollMinutes: 10, webhookSecret: null },
    strava: { apiBase: 'http://127.0.0.1:9', clientId: null, clientSecret: null, webhookVerifyToken: null },
    ...overrides,
  };
}

export interface EngineKit {
  sync: SyncService;
  loop: CoachLoop;
  synced: { service: string; result: string }[];
}

export function syncEngine(
  store: Store,
  clock: () => Date,
  directory: ChatDirectory,
  settings: SyncSettings,
  options: { maxActivities?: number; claimant?: string; ingest?: typeof ingestFile } = {},
): EngineKit {
  const loop = new CoachLoop({ clock });
  const synced: { service: string; result: string }[] = [];
  const sync = new SyncService({
    store,
    clock,
    directory,
    loop,
    settings,
    ingest: (bytes, fileName) => (options.ingest ?? ingestFile)(bytes, fileName),
    maxActivities: options.maxActivities ?? 10_000,
    claimant: options.claimant ?? 'engine-test',
    observer: { synced: (service, result) => void synced.push({ service, result }) },
  });
  return { sync, loop, synced };
}
