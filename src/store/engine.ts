/**
 * A database engine behind the store: the repositories (ports.ts) one engine implements, built on
 * one open database. `Store` and `AthleteStore` (store.ts, athlete-store.ts) are the same facade
 * over either engine — SQLite's (sqlite-engine.ts: one file, better-sqlite3) or PostgreSQL's
 * (pg/pg-engine.ts: a pool) — so every caller, test and chat flow runs unchanged on both.
 */
import type {
  ActivityRepository,
  AthleteRepository,
  AthleteSyncRepository,
  ChatStateRepository,
  ChatUpdates,
  CheckinRepository,
  CheckinSchedule,
  CoachingRepository,
  IdentityDirectory,
  Maintenance,
  PrivacyRepository,
  ProfileRepository,
  QuestionRepository,
  ReminderRepository,
  ReminderSchedule,
  RunRepository,
  SyncQueue,
  UploadRepository,
} from './ports.js';
import type { UsageKind } from './usage-counters.js';

/** One athlete's repositories on an engine: every query scoped by that athlete's id. */
export interface AthletePorts {
  athlete: AthleteRepository;
  profile: ProfileRepository;
  activities: ActivityRepository;
  uploads: UploadRepository;
  runs: RunRepository;
  questions: QuestionRepository;
  reminders: ReminderRepository;
  checkins: CheckinRepository;
  coaching: CoachingRepository;
  sync: AthleteSyncRepository;
  privacy: PrivacyRepository;
}

/** The quota counters (usage-counters.ts explains what they hold and why): keyed by chat identity. */
export interface UsageEvents {
  /** Records `amount` of `kind` for one chat at `at`, and deletes what is older than the window. */
  record(identityKey: string, kind: UsageKind, amount: number, at: Date): Promise<void>;
  /** The sum of `kind` recorded since `from` (inclusive) for any of these chats. */
  since(identityKeys: readonly string[], kind: UsageKind, from: Date): Promise<number>;
  /** Deletes the events older than the window before `now`; returns how many. */
  prune(now: Date): Promise<number>;
}

/** Which engine, for the few callers that must know (the operator's commands, messages naming the store). */
export type EngineKind = 'sqlite' | 'postgres';

/** An open database with every repository of the store on it. */
export interface StoreEngine {
  readonly kind: EngineKind;
  /** Where the data is, safe to print: the file path, or the URL without its password. */
  readonly location: string;
  readonly identities: IdentityDirectory;
  readonly chatStates: ChatStateRepository;
  readonly reminders: ReminderSchedule;
  readonly checkins: CheckinSchedule;
  readonly maintenance: Maintenance;
  readonly sync: SyncQueue;
  readonly updates: ChatUpdates;
  readonly usage: UsageEvents;
  /** One athlete's repositories. */
  athlete(athleteId: string): AthletePorts;
  /** Closes the database (drains a pool). */
  close(): Promise<void>;
}
