/**
 * Everything the three HTML reports and the chat picture show, as plain data. Numbers come from
 * the engine; `analysis` and `planNotes` are the narrative (Markdown written by a model or the
 * offline coach). The renderer adds no numbers of its own.
 */
import type { Plan } from '../domain/plan/types.js';

export interface Trend {
  /** Percentage change against the previous period; null when there is no base. */
  percent: number | null;
  direction: 'up' | 'down' | 'flat' | null;
}

export interface KeyNumber {
  label: string;
  /** Already rounded for display. */
  value: number | null;
  unit: string;
  trend?: Trend | undefined;
  /** A short note under the number, e.g. "estimated from rides". */
  note?: string | undefined;
}

export interface RideRow {
  date: string;
  name: string | null;
  sport: string;
  durationSeconds: number | null;
  distanceKm: number | null;
  avgPower: number | null;
  normalizedPower: number | null;
  tss: number | null;
  intensityFactor: number | null;
  avgHeartRate: number | null;
  best20MinWatts: number | null;
}

export interface ReportModel {
  /** ISO timestamp of the run. */
  generatedAt: string;
  runId: string;
  athlete: {
    name: string;
    ftp: number | null;
    ftpSource: 'profile' | 'estimated' | 'none';
    eftp: number | null;
    weightKg: number | null;
    wattsPerKg: number | null;
    goals: string | null;
    eventDate: string | null;
  };
  period: { from: string; to: string; months: number; previousFrom: string; previousTo: string };
  /** FTP/eFTP, W/kg, CTL/ATL/TSB, volume, best 5 s / 1 / 5 / 20 min, in display order. */
  keyNumbers: KeyNumber[];
  fitness: { ctl: number; atl: number; tsb: number; rampRate: number | null } | null;
  /** Daily CTL/ATL/TSB up to the end of the period (the dashboard shows the last 6–12 months). */
  pmc: { date: string; ctl: number; atl: number; tsb: number; load: number }[];
  /** The plan's predicted CTL/ATL/TSB, from the day after the period. */
  projectedPmc: { date: string; ctl: number; atl: number; tsb: number }[];
  powerCurve: {
    /** seconds → watts */
    current: Record<string, number>;
    previous: Record<string, number>;
    /** CP model line, when the model is usable. */
    model: { cp: number; wPrime: number; confidence: string; reason: string } | null;
  };
  weeklyLoad: { week: string; load: number; hours: number; rides: number }[];
  zones: {
    /** % of time in Coggan Z1–Z7, current and previous period. */
    power: { current: number[]; previous: number[] } | null;
    /** % of time in HR Z1–Z5. */
    heartRate: { current: number[]; previous: number[] } | null;
    polarization: { easy: number; moderate: number; hard: number; basis: string } | null;
  };
  ftpHistory: { date: string; ftp: number | null; wattsPerKg: number | null }[];
  rides: RideRow[];
  analysis: {
    summary: string;
    keyTrends: string[];
    strengths: { title: string; detail: string }[];
    limiters: { title: string; detail: string; area: string }[];
    insights: string[];
    recommendations: { shortTerm: string[]; longTerm: string[]; recovery: string[] };
  };
  plan: Plan | null;
  planNotes: { coachingNotes: string[]; monitoring: string[] } | null;
  /** Export files for the plan, embedded as data URLs by the renderer or written beside it. */
  planExports: { ics: string; zwo: { fileName: string; xml: string }[] } | null;
  run: { provider: string; model: string; degraded: boolean; degradedReason: string | null; warnings: { code: string; message: string }[] };
  /** Words from prompts/report-generation.md, placeholders filled. */
  copy: { title: string; intro: string; footer: string };
}

export const REPORT_FILES = ['index.html', 'coaching_insights.html', 'performance_dashboard.html'] as const;
export type ReportFileName = (typeof REPORT_FILES)[number];
