/**
 * Phase 4's assembly: the report model from the engine's numbers and the narrative of phases 2–3.
 */
import { criticalPowerModel } from '../domain/metrics/index.js';
import type { Plan } from '../domain/plan/types.js';
import type { ProfileVersion } from '../domain/profile.js';
import type { KeyNumber, ReportModel, RideRow, Trend } from '../report/report-model.js';
import type { FactSheetDetail } from './fact-sheet.js';
import { fill, type Prompts } from './prompts.js';
import type { Analysis, PlanningNotes } from './schemas.js';

const round = (v: number | null | undefined, digits = 0): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

function trend(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null || previous === 0) return { percent: null, direction: null };
  const percent = ((current - previous) / previous) * 100;
  return { percent: round(percent, 1), direction: Math.abs(percent) < 1 ? 'flat' : percent > 0 ? 'up' : 'down' };
}

function difference(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null) return { percent: null, direction: null };
  const d = current - previous;
  return { percent: null, direction: Math.abs(d) < 1 ? 'flat' : d > 0 ? 'up' : 'down' };
}

function percentages(seconds: number[]): number[] {
  const total = seconds.reduce((a, b) => a + b, 0);
  return seconds.map((s) => (total > 0 ? round((s / total) * 100, 1)! : 0));
}

export interface ReportInputs {
  runId: string;
  generatedAt: Date;
  detail: FactSheetDetail;
  analysis: Analysis;
  plan: Plan | null;
  planNotes: PlanningNotes | null;
  planExports: ReportModel['planExports'];
  projectedPmc: ReportModel['projectedPmc'];
  prompts: Prompts;
  provider: string;
  model: string;
  degradedReason: string | null;
  warnings: { code: string; message: string }[];
}

export function buildReportModel(input: ReportInputs): ReportModel {
  const { sheet, loads, pmc } = input.detail;
  const c = sheet.comparison;
  const bests = c.current.powerCurve;
  const prevBests = c.previous.powerCurve;
  const best = (s: number, label: string): KeyNumber => ({ label, value: round(bests[s] ?? null), unit: 'W', trend: trend(bests[s] ?? null, prevBests[s] ?? null) });
  const ftp = sheet.athlete.ftp;
  // "against the previous period": FTP and weight in force when this period began, the previous
  // period's CP model, and fitness, fatigue and form on the previous period's last day
  // (before the first profile version, the first one applies, as it does to the rides)
  const versionAt = (date: string) => [...input.detail.effectiveHistory].reverse().find((v) => v.validFrom.toISOString().slice(0, 10) <= date) ?? input.detail.effectiveHistory[0] ?? null;
  const before = versionAt(sheet.period.previousTo);
  const previousFtp = before?.ftp ?? null;
  const previousWkg = previousFtp !== null && before?.weightKg ? Math.round((previousFtp / before.weightKg) * 100) / 100 : null;
  const previousEftp = criticalPowerModel(sheet.powerCurve.previous).eftp;
  const previousPmc = pmc.find((p) => p.date === sheet.period.previousTo) ?? null;
  const keyNumbers: KeyNumber[] = [
    { label: 'FTP', value: ftp, unit: 'W', trend: trend(ftp, previousFtp), ...(sheet.athlete.ftpSource === 'estimated' ? { note: 'estimated from rides' } : {}) },
    { label: 'eFTP (CP model)', value: round(sheet.powerCurve.model.eftp), unit: 'W', trend: trend(sheet.powerCurve.model.eftp, previousEftp), note: `confidence ${sheet.powerCurve.model.confidence}` },
    { label: 'W/kg', value: sheet.athlete.wattsPerKg, unit: 'W/kg', trend: trend(sheet.athlete.wattsPerKg, previousWkg) },
    { label: 'Fitness (CTL)', value: sheet.fitness?.ctl ?? null, unit: 'TSS/d', trend: trend(sheet.fitness?.ctl ?? null, previousPmc?.ctl ?? null) },
    { label: 'Fatigue (ATL)', value: sheet.fitness?.atl ?? null, unit: 'TSS/d', trend: trend(sheet.fitness?.atl ?? null, previousPmc?.atl ?? null) },
    // form crosses zero: its direction, not a percentage
    { label: 'Form (TSB)', value: sheet.fitness?.tsb ?? null, unit: '', trend: difference(sheet.fitness?.tsb ?? null, previousPmc?.tsb ?? null) },
    { label: 'Volume', value: round(c.current.hours, 1), unit: 'h', trend: trend(c.current.hours, c.previous.hours) },
    { label: 'Load per week', value: round(c.current.weeklyLoad), unit: 'TSS', trend: trend(c.current.weeklyLoad, c.previous.weeklyLoad) },
    best(5, 'Best 5 s'),
    best(60, 'Best 1 min'),
    best(300, 'Best 5 min'),
    best(1200, 'Best 20 min'),
  ];

  const from = sheet.period.from;
  const to = sheet.period.to;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const rides: RideRow[] = loads
    .filter((l) => day(l.activity.startTime) >= from && day(l.activity.startTime) <= to)
    .sort((a, b) => b.activity.startTime.getTime() - a.activity.startTime.getTime())
    .map((l) => ({
      date: day(l.activity.startTime),
      name: l.activity.name ?? l.activity.source.split('/').pop() ?? null,
      sport: l.activity.sport,
      durationSeconds: round(l.metrics.movingSeconds),
      distanceKm: round(l.activity.distanceMeters === null ? null : l.activity.distanceMeters / 1000, 1),
      avgPower: round(l.metrics.avgPower),
      normalizedPower: round(l.metrics.normalizedPower),
      tss: round(l.metrics.tss, 1),
      intensityFactor: round(l.metrics.intensityFactor, 2),
      avgHeartRate: round(l.metrics.avgHeartRate),
      best20MinWatts: round(l.metrics.powerCurve[1200] ?? null),
    }));

  const hasPowerZones = c.current.powerZoneSeconds.some((s) => s > 0) || c.previous.powerZoneSeconds.some((s) => s > 0);
  const hasHrZones = c.current.heartRateZoneSeconds.some((s) => s > 0) || c.previous.heartRateZoneSeconds.some((s) => s > 0);
  const model = sheet.powerCurve.model;
  const pmcFrom = sheet.period.previousFrom;
  const values = { athlete: sheet.athlete.name, from, to, months: String(sheet.period.months), provider: input.provider === 'offline' ? 'the offline coach (rule-based)' : `${input.provider} (${input.model})` };

  return {
    generatedAt: input.generatedAt.toISOString(),
    runId: input.runId,
    athlete: {
      name: sheet.athlete.name,
      ftp,
      ftpSource: sheet.athlete.ftpSource,
      eftp: round(model.eftp),
      weightKg: sheet.athlete.weightKg,
      wattsPerKg: sheet.athlete.wattsPerKg,
      goals: sheet.athlete.goals,
      eventDate: sheet.athlete.eventDate,
    },
    period: sheet.period,
    keyNumbers,
    fitness: sheet.fitness ? { ctl: sheet.fitness.ctl, atl: sheet.fitness.atl, tsb: sheet.fitness.tsb, rampRate: sheet.fitness.rampRate } : null,
    pmc: pmc.filter((p) => p.date >= pmcFrom).map((p) => ({ date: p.date, ctl: round(p.ctl, 1)!, atl: round(p.atl, 1)!, tsb: round(p.tsb, 1)!, load: round(p.load, 1)! })),
    projectedPmc: input.projectedPmc,
    powerCurve: {
      current: Object.fromEntries(Object.entries(sheet.powerCurve.current).map(([k, v]) => [k, Math.round(v)])),
      previous: Object.fromEntries(Object.entries(sheet.powerCurve.previous).map(([k, v]) => [k, Math.round(v)])),
      model: model.eftp !== null && model.twoParameter ? { cp: round(model.twoParameter.cp)!, wPrime: round(model.twoParameter.wPrime)!, confidence: model.confidence, reason: model.reason } : null,
    },
    weeklyLoad: sheet.weeks.map((w) => ({ week: w.week, load: w.load, hours: w.hours, rides: w.rides })),
    zones: {
      power: hasPowerZones ? { current: percentages(c.current.powerZoneSeconds), previous: percentages(c.previous.powerZoneSeconds) } : null,
      heartRate: hasHrZones ? { current: percentages(c.current.heartRateZoneSeconds), previous: percentages(c.previous.heartRateZoneSeconds) } : null,
      polarization: c.current.polarization ? { ...c.current.polarization } : null,
    },
    ftpHistory: ftpHistory(input.detail.effectiveHistory),
    rides,
    analysis: input.analysis,
    plan: input.plan,
    planNotes: input.planNotes,
    planExports: input.planExports,
    run: { provider: input.provider, model: input.model, degraded: input.degradedReason !== null, degradedReason: input.degradedReason, warnings: input.warnings },
    copy: {
      title: fill(input.prompts.report.title ?? 'Training report for {{athlete}}', values),
      intro: fill(input.prompts.report.intro ?? '', values),
      footer: fill(input.prompts.report.footer ?? '', values),
    },
  };
}

function ftpHistory(history: ProfileVersion[]): ReportModel['ftpHistory'] {
  return history.map((p) => ({ date: p.validFrom.toISOString().slice(0, 10), ftp: p.ftp, wattsPerKg: p.ftp !== null && p.weightKg ? round(p.ftp / p.weightKg, 2) : null }));
}
