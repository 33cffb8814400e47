/**
 * What a run produces: the record of each phase, the result handed to the caller (report model,
 * files, usage) and run.json, the run's summary as stored beside its reports.
 */
import type { PlanInput } from '../domain/plan/types.js';
import type { LlmUsage } from '../llm/provider.js';
import type { ReportModel } from '../report/report-model.js';
import type { UploadSummary } from '../store/store.js';
import type { PhaseName } from './events.js';

/** The stored plan of a run (not written by `generate`, which writes the four report files). */
export const PLAN_FILE = 'plan.json';

export interface PhaseRecord {
  name: PhaseName;
  status: 'done' | 'degraded' | 'skipped' | 'failed';
  seconds: number;
  inputTokens: number;
  outputTokens: number;
  provider: string;
  note?: string;
}

export interface RunResult {
  runId: string;
  status: 'done' | 'degraded';
  provider: string;
  model: string;
  degradedReason: string | null;
  phases: PhaseRecord[];
  usage: LlmUsage;
  costUsd: number;
  warnings: { code: string; message: string }[];
  upload: UploadSummary | null;
  report: ReportModel;
  /** index.html, coaching_insights.html, performance_dashboard.html, run.json — contents, not yet written. */
  files: { fileName: string; contentType: string; content: string }[];
  runJson: RunJson;
  /** What the plan was generated from; null without a plan. */
  planInput: PlanInput | null;
}

export interface RunJson {
  runId: string;
  status: 'done' | 'degraded' | 'failed';
  generatedAt: string;
  provider: string;
  model: string;
  degradedReason: string | null;
  phases: { name: PhaseName; status: string; seconds: number; inputTokens: number; outputTokens: number }[];
  tokens: { input: number; output: number; budget: number };
  costUsd: number;
  period: { from: string; to: string; months: number };
  athlete: { name: string; ftp: number | null; ftpSource: string; eftp: number | null; weightKg: number | null; wattsPerKg: number | null };
  /** At the end of the period, the day of the latest ride (`date`). */
  fitness: { ctl: number | null; atl: number | null; tsb: number | null; rampRate: number | null; date?: string | null };
  /** The same carried on to the run's day: faded by the days without rides since. */
  fitnessToday?: { date: string; ctl: number; atl: number; tsb: number } | null;
  latestRide?: { date: string; daysAgo: number } | null;
  bests: Record<'5' | '60' | '300' | '1200', number | null>;
  /**
   * Rides only (`activities`, `hours`, `distanceKm`), other sports apart (`otherSports`, absent in
   * runs from before they were). `weeklyLoad` is every sport's load, as in CTL;
   * `estimatedLoadPercent` the share of it not from measured power (heart rate, Strava's estimated
   * power, ride time).
   */
  volume: {
    activities: number;
    hours: number;
    distanceKm: number;
    weeklyLoad: number;
    otherSports?: { sport: string; count: number; hours: number }[];
    estimatedLoadPercent?: number | null;
  };
  upload: { new: number; duplicates: number; merged: number; errors: number } | null;
  plan: { weeks: number; startDate: string | null; eventDate: string | null; plannedTss: number[] } | null;
  warnings: { code: string; message: string }[];
}
