/**
 * What every command handler of the conversation gets for one incoming message (a `Turn`): the
 * conversation's dependencies, the chat it came from and the athlete's store — and the small
 * helpers they share: the athlete's today, the rolling quota window and its counters.
 */
import type { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import { zonedDate } from '../domain/calendar.js';
import type { IngestLimits } from '../ingest/ingest.js';
import type { JobQueue } from '../jobs/types.js';
import type { IngestPool } from '../ingest/ingest-pool.js';
import type { Logger } from '../logger.js';
import type { AthleteStore, Store } from '../store/store.js';
import type { AnalysisService } from './analysis-service.js';
import type { CoachQuestions } from './coach-questions.js';
import type { ChatDirectory, ChatThread } from './port.js';
import type { SyncControl } from './sync/sync-control.js';

export interface ConversationDeps {
  store: Store;
  analysis: AnalysisService;
  clock: () => Date;
  ingestLimits?: IngestLimits;
  /** Where uploaded files are read (worker threads); default: the process's shared pool. */
  ingestPool?: IngestPool;
  /** Renders the chat card (and, for runs stored without one, the dashboard) to a PNG for chat; null when no browser is available. */
  snapshot?: { card(html: string): Promise<Uint8Array | null>; png(html: string): Promise<Uint8Array | null> } | null;
  logger?: Logger;
  /** Minimum time between two edits of the status message. */
  statusIntervalMs?: number;
  /** Answers free-text questions; without it, unknown text gets the help hint. */
  coach?: CoachQuestions;
  /** Questions per athlete per day (the athlete's day, in their time zone). */
  questionsPerDay?: number;
  /** Per-athlete quotas (defaults: generous). */
  limits?: Limits;
  /**
   * Reaches an athlete's other chats without an incoming message (every running bot): tells the
   * chat that issued a /link code that it was used, and moves /start from a server to a DM.
   */
  directory?: ChatDirectory;
  /** intervals.icu and Strava: connecting, their status, letting go (absent: syncing is not set up on this bot). */
  sync?: SyncControl;
  /** Months a new connection fetches by default (1–120; 12 when absent). */
  syncBackfillMonths?: number;
  /**
   * An ingress process (process roles): the queue a Telegram athlete's analysis is sent to, as an
   * `analysis` job that a worker runs (see analysis-jobs.ts). Absent: every analysis runs here.
   */
  jobs?: JobQueue;
  /** The coaching loop (default: one on `clock`). */
  coachLoop?: CoachLoop;
  /** Told about uploads and questions, for metrics. */
  observer?: {
    upload(summary: { new: number; duplicates: number; merged: number; errors: number }): void;
    question(answer: { provider: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number }): void;
  };
}

/** Per-athlete quotas. */
export interface Limits {
  uploadFilesPerDay: number;
  uploadBytesPerDay: number;
  analysesPerDay: number;
  maxActivities: number;
}

const DEFAULT_LIMITS: Limits = { uploadFilesPerDay: 200, uploadBytesPerDay: 1024 * 1024 * 1024, analysesPerDay: 5, maxActivities: 25_000 };

/** What lives as long as the Conversation, for every chat (not in the store). */
export interface ConversationShared {
  /** The operator was told (once, in the log) how open questions get a model. */
  operatorHinted: boolean;
}

/** One incoming message being handled: who, where, and with what. */
export interface Turn {
  readonly deps: ConversationDeps;
  readonly thread: ChatThread;
  readonly athlete: AthleteStore;
  readonly shared: ConversationShared;
  /** The coaching loop: the current plan, rides matched to it, adaptations. */
  readonly loop: CoachLoop;
}

/** The athlete's calendar day now, in their time zone. */
export async function today(turn: Turn): Promise<string> {
  const { timeZone } = await turn.athlete.info();
  return zonedDate(turn.deps.clock(), timeZone);
}

/** The quotas in force. */
export function limitsOf(turn: Turn): Limits {
  return turn.deps.limits ?? DEFAULT_LIMITS;
}

/**
 * The per-day quotas (files, megabytes, analyses, questions) count what was attempted in the last
 * 24 hours — a rolling window, not the calendar day: the counters are kept by chat identity in the
 * store (`Store.usage`) and hold across /forget, which would otherwise reset the athlete's time
 * zone and with it the start of "today". "Today" in the messages means these 24 hours. The store
 * keeps the events exactly this long.
 */
const QUOTA_WINDOW_MS = 24 * 3_600_000;

/** Where the per-day quotas start counting (see QUOTA_WINDOW_MS). */
export function quotaStart(turn: Turn): Date {
  return new Date(turn.deps.clock().getTime() - QUOTA_WINDOW_MS);
}

/**
 * The quota counters of this chat, summed with the other chats linked to the same history (one
 * athlete on Telegram and Discord has one quota, not two). Recorded under this chat.
 */
export async function usage(turn: Turn) {
  const key = turn.thread.athleteKey;
  const { identities } = await turn.athlete.info();
  return turn.deps.store.usage([key, ...identities.filter((other) => other !== key)]);
}

/** Anything thrown, as an Error for the log's `err` key. */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
