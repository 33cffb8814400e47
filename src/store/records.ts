/**
 * What the store hands out and takes in: plain records, the same whichever database is behind the
 * repositories (see ports.ts). No queries here.
 */
import type { AthleteEvent, CheckinSettings, PlanVersion, WorkoutMatch } from '../domain/coaching/types.js';
import type { ScheduledMessageSettings } from '../domain/reminder-schedule.js';
import type { Activity, Streams } from '../domain/activity.js';
import type { StoredMetrics } from '../domain/metrics/stored-metrics.js';
import type { ProfileVersion } from '../domain/profile.js';
import type { runStatuses } from './schema.js';
import type { ExportedConnection } from './sync-records.js';

export type Clock = () => Date;

export interface AthleteRecord {
  id: string;
  displayName: string;
  timeZone: string;
  units: 'metric' | 'imperial';
  createdAt: Date;
  updatedAt: Date;
  identities: string[];
}

export { STORED_METRICS_VERSION, type StoredMetrics } from '../domain/metrics/stored-metrics.js';

export interface StoredActivity {
  activity: Activity;
  metrics: StoredMetrics;
  /** Every file or CSV row this activity was seen in. */
  sources: string[];
}

export interface UploadError {
  source: string;
  code: string;
  message: string;
}

export interface UploadSummary {
  uploadId: string;
  /** Activities not seen before. */
  new: number;
  /** Activities already stored from the very same file or row. */
  duplicates: number;
  /** Activities already stored from another source (FIT vs CSV row, a second device), merged into one. */
  merged: number;
  errors: UploadError[];
  activityIds: string[];
}

/** What one upload brings: the activities read, the files that could not be read, the bytes received. */
export interface UploadBatch {
  activities: Activity[];
  errors: UploadError[];
  bytes?: number;
}

/** Test seam: called inside the upload transaction after each activity is written. */
export interface UploadHooks {
  afterActivity?: (index: number) => void;
}

export interface UploadRecord {
  id: string;
  fileNames: string[];
  new: number;
  duplicates: number;
  merged: number;
  errors: UploadError[];
  createdAt: Date;
}

export type RunStatus = (typeof runStatuses)[number];

export interface RunPhaseRecord {
  phase: string;
  status: string;
  startedAt: Date;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  note: string | null;
}

export interface RunRecord {
  id: string;
  status: RunStatus;
  periodFrom: string | null;
  periodTo: string | null;
  provider: string | null;
  model: string | null;
  degraded: boolean;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** What the run read, hashed (see AnalysisService.inputHash); null for runs before it was kept. */
  inputHash: string | null;
  /** Why its plan is out of date (a ride it read was deleted); null while current. */
  staleReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When its summary and reports reached the chat (an analysis job: a retry sends nothing again); null before. */
  deliveredAt: Date | null;
  phases: RunPhaseRecord[];
}

export interface StartRunOptions {
  periodFrom?: string;
  periodTo?: string;
  provider?: string;
  model?: string;
  status?: 'queued' | 'running';
  inputHash?: string | null;
}

export interface PhaseCompletion {
  phase: string;
  status: 'done' | 'failed' | 'degraded';
  startedAt: Date;
  durationMs: number;
  inputTokens?: number;
  outputTokens?: number;
  note?: string;
}

export interface RunCompletion {
  /** `interrupted`: its process died mid-run (an analysis job's retry says so before running anew). */
  status: 'done' | 'failed' | 'interrupted';
  degraded?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  provider?: string;
  model?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface ReportFile {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** A question to the coach: which model, tokens, cost and whether the answer was grounded. */
export interface QuestionRecord {
  provider: string;
  model: string;
  intent: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  grounded: boolean;
}

export interface ReminderSettings extends ScheduledMessageSettings {
  /** 1–28, or `last`. */
  dayOfMonth: string;
}

export interface DueReminder extends ReminderSettings {
  athleteId: string;
}

/** What a ticker reports after sending a reminder (or failing to). */
export interface ReminderCompletion {
  sentAt: Date | null;
  nextDueAt: Date | null;
  disabledReason?: string;
}

export interface AthleteExport {
  exportedAt: string;
  athlete: AthleteRecord;
  profileHistory: ProfileVersion[];
  /** Activities with their 1 Hz streams as plain arrays (null where a sample is missing). */
  activities: (Omit<Activity, 'streams'> & {
    metrics: StoredMetrics;
    sources: string[];
    streams: Partial<Record<keyof Streams, (number | null)[]>> | null;
  })[];
  uploads: UploadRecord[];
  runs: RunRecord[];
  reminder: ReminderSettings | null;
  checkin: CheckinSettings | null;
  /** Questions to the coach: when, which model, tokens, cost (the words live in the chat state). */
  questions: (QuestionRecord & { askedAt: Date })[];
  chatState: { identityKey: string; state: Record<string, unknown>; updatedAt: Date }[];
  /** Report files, to be written beside the JSON. */
  reportFiles: (ReportFile & { runId: string })[];
  /** The current plan's versions (each with what changed and why), rides matched to it, events. */
  planVersions: PlanVersion[];
  workoutMatches: WorkoutMatch[];
  events: AthleteEvent[];
  /** The intervals.icu and Strava connections: which account, since when, last synced — never a key or token. */
  connections: ExportedConnection[];
}

export interface IntegrityReport {
  integrity: string;
  counts: Record<string, number>;
}
