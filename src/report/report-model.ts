/**
 * Everything the three HTML reports and the chat picture show, as plain data. Numbers come from
 * the engine; `analysis` and `planNotes` are the narrative (Markdown written by a model or the
 * offline coach). The renderer adds no numbers of its own.
 */
import type { ComplianceSummary } from '../domain/coaching/compliance-summary.js';
import type { Plan } from '../domain/plan/types.js';
import type { Units } from './format.js';

export interface Trend {
  /** Percentage change against the previous period; null when there is no base. */
  percent: number | null;
  direction: 'up' | 'down' | 'flat' | null;
}

/**
 * Which change is good news, for the colour of a key number's trend arrow (`trendTone` in
 * components.ts): `higher-is-better` (FTP, eFTP, W/kg, fitness, best efforts: up green, down red),
 * `neutral` (fatigue, volume, load: amber whichever way — a cost as much as a gain), `form` (TSB:
 * judged by where it ends up — below −30 red, −30 to −10 amber, −10 to +25 green, above amber).
 */
export type TrendJudge = 'higher-is-better' | 'neutral' | 'form';

/** Stable names of the key numbers the chat picture picks out (labels are words and may change). */
export type KeyNumberKey =
  'ftp' | 'eftp' | 'wkg' | 'ctl' | 'atl' | 'tsb' | 'hours' | 'weekly-load' | 'best-5s' | 'best-1min' | 'best-5min' | 'best-20min';

export interface KeyNumber {
  key?: KeyNumberKey | undefined;
  label: string;
  /** Already rounded for display. */
  value: number | null;
  unit: string;
  trend?: Trend | undefined;
  /** How to colour the trend; without it the arrow makes no judgement (accent colour). */
  judge?: TrendJudge | undefined;
  /** A short note under the number, e.g. "estimated from rides". */
  note?: string | undefined;
}

export interface RideRow {
  date: string;
  name: string | null;
  sport: string;
  durationSeconds: number | null;
  /** Always km in the model; the renderer shows miles to an imperial athlete. */
  distanceKm: number | null;
  avgPower: number | null;
  normalizedPower: number | null;
  tss: number | null;
  intensityFactor: number | null;
  avgHeartRate: number | null;
  best20MinWatts: number | null;
  /** Pw:HR aerobic decoupling, % (first half vs second half of the ride); null without power and heart rate. */
  aerobicDecouplingPercent: number | null;
}

/** A long endurance ride's Pw:HR decoupling, for the trend. */
export interface DecouplingPoint {
  date: string;
  name: string | null;
  /** Pw:HR decoupling, %, one decimal. */
  percent: number;
  durationSeconds: number | null;
  intensityFactor: number | null;
}

/** The lowest W′ balance of an interval ride (Skiba's differential model). */
export interface WPrimeBalanceRow {
  date: string;
  name: string | null;
  /** Lowest W′bal, kJ, one decimal (below 0 when the ride beat the CP model). */
  minKj: number;
  /** The same as % of W′, whole. */
  minPercent: number;
  /** Time above CP, s. */
  secondsAboveCp: number;
  variabilityIndex: number | null;
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
    /** The athlete's units for distance and weight (W/kg is W/kg everywhere); absent means metric. */
    units?: Units | undefined;
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
    /** Whole % of zoned time (Z1–Z2 easy, Z3 moderate, Z4+ hard), summing to exactly 100. */
    polarization: { easy: number; moderate: number; hard: number; basis: string } | null;
  };
  ftpHistory: { date: string; ftp: number | null; wattsPerKg: number | null }[];
  rides: RideRow[];
  /** Pw:HR decoupling on the period's long endurance rides (rule: moving time and IF limits), oldest first. */
  aerobicDecoupling: { rule: { minMovingMinutes: number; maxIntensityFactor: number; goodBelowPercent: number }; rides: DecouplingPoint[] };
  /** Lowest W′ balance on the period's interval rides, newest first; null without a usable CP model. */
  wPrimeBalance: {
    cp: number;
    wPrimeKj: number;
    rule: { minVariabilityIndex: number; minMinutesAboveCp: number };
    rides: WPrimeBalanceRow[];
  } | null;
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
  /** The calendar, the Zwift workouts and (when the FTP is known) the head-unit FIT workouts, base64. */
  planExports: { ics: string; zwo: { fileName: string; xml: string }[]; fit?: { fileName: string; base64: string }[] } | null;
  /**
   * How the athlete followed their current (stored) plan: planned vs done TSS per week, the interval
   * hit rate, the adaptations. Null: no current plan; absent: not computed (older models, test
   * fixtures), and the pages show nothing of it.
   */
  compliance?: ComplianceSummary | null | undefined;
  run: { provider: string; model: string; degraded: boolean; degradedReason: string | null; warnings: { code: string; message: string }[] };
  /** Words from prompts/report-generation.md, placeholders filled. */
  copy: { title: string; intro: string; footer: string };
}

export const REPORT_FILES = ['index.html', 'coaching_insights.html', 'performance_dashboard.html'] as const;
export type ReportFileName = (typeof REPORT_FILES)[number];
