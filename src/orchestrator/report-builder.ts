/**
 * Phase 4's assembly: the report model from the engine's numbers and the narrative of phases 2–3.
 */
import { GOOD_DECOUPLING_PERCENT, isLongEnduranceRide, LONG_ENDURANCE_RULE } from '../domain/metrics/decoupling-trend.js';
import { clockTimePower, criticalPowerModel, cyclingPowerStream } from '../domain/metrics/index.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { INTERVAL_RIDE_RULE, looksLikeIntervals, lowestWPrimeBalance } from '../domain/metrics/w-prime-balance.js';
import type { RideLoad } from '../domain/training-load.js';
import type { Plan } from '../domain/plan/types.js';
import type { ProfileVersion } from '../domain/profile.js';
import type { Units } from '../report/format.js';
import type { KeyNumber, KeyNumberKey, ReportModel, RideRow, Trend } from '../report/report-model.js';
import type { FactSheetDetail } from './fact-sheet.js';
import { fill, type Prompts } from './prompts.js';
import type { Analysis, PlanningNotes } from './schemas.js';

const round = (v: number | null | undefined, digits = 0): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

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
  /** The athlete's units, for how the reports show distance and weight (default metric). */
  units?: Units;
}

export function buildReportModel(input: ReportInputs): ReportModel {
  const { sheet, loads, pmc } = input.detail;
  const c = sheet.comparison;
  const bests = c.current.powerCurve;
  const prevBests = c.previous.powerCurve;
  const best = (s: number, label: string, key: KeyNumberKey): KeyNumber => ({
    key,
    label,
    value: round(bests[s] ?? null),
    unit: 'W',
    trend: trend(bests[s] ?? null, prevBests[s] ?? null),
    judge: 'higher-is-better',
  });
  const ftp = sheet.athlete.ftp;
  // "against the previous period": FTP and weight in force when this period began, the previous
  // period's CP model, and fitness, fatigue and form on the previous period's last day
  // (before the first profile version, the first one applies, as it does to the rides)
  const versionAt = (date: string) =>
    [...input.detail.effectiveHistory].reverse().find((v) => v.validFrom.toISOString().slice(0, 10) <= date) ??
    input.detail.effectiveHistory[0] ??
    null;
  const before = versionAt(sheet.period.previousTo);
  const previousFtp = before?.ftp ?? null;
  const previousWkg = previousFtp !== null && before?.weightKg ? Math.round((previousFtp / before.weightKg) * 100) / 100 : null;
  const previousEftp = criticalPowerModel(sheet.powerCurve.previous).eftp;
  const previousPmc = pmc.find((p) => p.date === sheet.period.previousTo) ?? null;
  // The arrows' colours (KeyNumber.judge): power and fitness up is good news; fatigue, volume and
  // load are amber whichever way (a cost as much as a gain); form is judged by where it ends up.
  const keyNumbers: KeyNumber[] = [
    {
      key: 'ftp',
      label: 'FTP',
      value: ftp,
      unit: 'W',
      trend: trend(ftp, previousFtp),
      judge: 'higher-is-better',
      ...(sheet.athlete.ftpSource === 'estimated' ? { note: 'estimated from rides' } : {}),
    },
    {
      key: 'eftp',
      label: 'eFTP (CP model)',
      value: round(sheet.powerCurve.model.eftp),
      unit: 'W',
      trend: trend(sheet.powerCurve.model.eftp, previousEftp),
      judge: 'higher-is-better',
      note: `confidence ${sheet.powerCurve.model.confidence}`,
    },
    {
      key: 'wkg',
      label: 'W/kg',
      value: sheet.athlete.wattsPerKg,
      unit: 'W/kg',
      trend: trend(sheet.athlete.wattsPerKg, previousWkg),
      judge: 'higher-is-better',
    },
    {
      key: 'ctl',
      label: 'Fitness (CTL)',
      value: sheet.fitness?.ctl ?? null,
      unit: 'TSS/d',
      trend: trend(sheet.fitness?.ctl ?? null, previousPmc?.ctl ?? null),
      judge: 'higher-is-better',
    },
    {
      key: 'atl',
      label: 'Fatigue (ATL)',
      value: sheet.fitness?.atl ?? null,
      unit: 'TSS/d',
      trend: trend(sheet.fitness?.atl ?? null, previousPmc?.atl ?? null),
      judge: 'neutral',
    },
    // form crosses zero: its direction, not a percentage
    {
      key: 'tsb',
      label: 'Form (TSB)',
      value: sheet.fitness?.tsb ?? null,
      unit: '',
      trend: difference(sheet.fitness?.tsb ?? null, previousPmc?.tsb ?? null),
      judge: 'form',
    },
    {
      key: 'hours',
      label: 'Volume',
      value: round(c.current.hours, 1),
      unit: 'h',
      trend: trend(c.current.hours, c.previous.hours),
      judge: 'neutral',
    },
    {
      key: 'weekly-load',
      label: 'Load per week',
      value: round(c.current.weeklyLoad),
      unit: 'TSS',
      trend: trend(c.current.weeklyLoad, c.previous.weeklyLoad),
      judge: 'neutral',
    },
    best(5, 'Best 5 s', 'best-5s'),
    best(60, 'Best 1 min', 'best-1min'),
    best(300, 'Best 5 min', 'best-5min'),
    best(1200, 'Best 20 min', 'best-20min'),
  ];

  const from = sheet.period.from;
  const to = sheet.period.to;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const inPeriod = loads
    .filter((l) => day(l.activity.startTime) >= from && day(l.activity.startTime) <= to)
    .sort((a, b) => b.activity.startTime.getTime() - a.activity.startTime.getTime());
  const rideName = (l: RideLoad) => l.activity.name ?? l.activity.source.split('/').pop() ?? null;
  const rides: RideRow[] = inPeriod.map((l) => ({
    date: day(l.activity.startTime),
    name: rideName(l),
    sport: l.activity.sport,
    durationSeconds: round(l.metrics.movingSeconds),
    distanceKm: round(l.activity.distanceMeters === null ? null : l.activity.distanceMeters / 1000, 1),
    avgPower: round(l.metrics.avgPower),
    normalizedPower: round(l.metrics.normalizedPower),
    tss: round(l.metrics.tss, 1),
    intensityFactor: round(l.metrics.intensityFactor, 2),
    avgHeartRate: round(l.metrics.avgHeartRate),
    best20MinWatts: round(l.metrics.powerCurve[1200] ?? null),
    aerobicDecouplingPercent: round(l.metrics.aerobicDecouplingPercent, 1),
  }));

  const hasPowerZones = c.current.powerZoneSeconds.some((s) => s > 0) || c.previous.powerZoneSeconds.some((s) => s > 0);
  const hasHrZones = c.current.heartRateZoneSeconds.some((s) => s > 0) || c.previous.heartRateZoneSeconds.some((s) => s > 0);
  const model = sheet.powerCurve.model;
  const pmcFrom = sheet.period.previousFrom;
  const values = {
    athlete: sheet.athlete.name,
    from,
    to,
    months: String(sheet.period.months),
    provider: input.provider === 'offline' ? 'the offline coach (rule-based)' : `${input.provider} (${input.model})`,
  };

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
      units: input.units ?? 'metric',
    },
    period: sheet.period,
    keyNumbers,
    fitness: sheet.fitness
      ? { ctl: sheet.fitness.ctl, atl: sheet.fitness.atl, tsb: sheet.fitness.tsb, rampRate: sheet.fitness.rampRate }
      : null,
    pmc: pmc
      .filter((p) => p.date >= pmcFrom)
      .map((p) => ({ date: p.date, ctl: round(p.ctl, 1)!, atl: round(p.atl, 1)!, tsb: round(p.tsb, 1)!, load: round(p.load, 1)! })),
    projectedPmc: input.projectedPmc,
    powerCurve: {
      current: Object.fromEntries(Object.entries(sheet.powerCurve.current).map(([k, v]) => [k, Math.round(v)])),
      previous: Object.fromEntries(Object.entries(sheet.powerCurve.previous).map(([k, v]) => [k, Math.round(v)])),
      model:
        model.eftp !== null && model.twoParameter
          ? {
              cp: round(model.twoParameter.cp)!,
              wPrime: round(model.twoParameter.wPrime)!,
              confidence: model.confidence,
              reason: model.reason,
            }
          : null,
    },
    weeklyLoad: sheet.weeks.map((w) => ({ week: w.week, load: w.load, hours: w.hours, rides: w.rides })),
    zones: {
      power: hasPowerZones
        ? { current: percentages(c.current.powerZoneSeconds), previous: percentages(c.previous.powerZoneSeconds) }
        : null,
      heartRate: hasHrZones
        ? { current: percentages(c.current.heartRateZoneSeconds), previous: percentages(c.previous.heartRateZoneSeconds) }
        : null,
      polarization: polarization(c.current.polarization),
    },
    ftpHistory: ftpHistory(input.detail.effectiveHistory),
    rides,
    aerobicDecoupling: aerobicDecouplingTrend(inPeriod, rideName),
    // W′ balance only on a CP model worth trusting: a low-confidence W′ makes most rides "beat the model"
    wPrimeBalance:
      model.eftp !== null && model.twoParameter && (model.confidence === 'high' || model.confidence === 'medium')
        ? wPrimeBalanceRows(inPeriod, rideName, model.twoParameter.cp, model.twoParameter.wPrime)
        : null,
    analysis: input.analysis,
    plan: input.plan,
    planNotes: input.planNotes,
    planExports: input.planExports,
    run: {
      provider: input.provider,
      model: input.model,
      degraded: input.degradedReason !== null,
      degradedReason: input.degradedReason,
      warnings: input.warnings,
    },
    copy: {
      title: fill(input.prompts.report.title ?? 'Training report for {{athlete}}', values),
      intro: fill(input.prompts.report.intro ?? '', values),
      footer: fill(input.prompts.report.footer ?? '', values),
    },
  };
}

/** The easy / moderate / hard split as whole percentages that add up to exactly 100 (the engine gives fractions). */
function polarization(split: FactSheetDetail['sheet']['comparison']['current']['polarization']): ReportModel['zones']['polarization'] {
  if (!split) return null;
  const [easy = 0, moderate = 0, hard = 0] = wholePercentages([split.easy, split.moderate, split.hard]);
  const zones = split.basis === 'power' ? 'power' : 'heart-rate';
  return { easy, moderate, hard, basis: `time in ${zones} zones: Z1–Z2 easy, Z3 moderate, Z4 and above hard` };
}

/** One entry per change: a profile version that changes neither FTP nor W/kg (new goals, say) is not a new point. */
function ftpHistory(history: ProfileVersion[]): ReportModel['ftpHistory'] {
  const out: ReportModel['ftpHistory'] = [];
  for (const p of history) {
    const entry = {
      date: p.validFrom.toISOString().slice(0, 10),
      ftp: p.ftp,
      wattsPerKg: p.ftp !== null && p.weightKg ? round(p.ftp / p.weightKg, 2) : null,
    };
    const last = out[out.length - 1];
    if (last && last.ftp === entry.ftp && last.wattsPerKg === entry.wattsPerKg) continue;
    out.push(entry);
  }
  return out;
}

/** Pw:HR decoupling of the long endurance rides (LONG_ENDURANCE_RULE), oldest first. */
function aerobicDecouplingTrend(rides: readonly RideLoad[], name: (l: RideLoad) => string | null): ReportModel['aerobicDecoupling'] {
  const points = rides
    .filter((l) => l.metrics.aerobicDecouplingPercent !== null && isLongEnduranceRide(l.metrics.movingSeconds, l.metrics.intensityFactor))
    .map((l) => ({
      date: l.activity.startTime.toISOString().slice(0, 10),
      name: name(l),
      percent: round(l.metrics.aerobicDecouplingPercent, 1)!,
      durationSeconds: round(l.metrics.movingSeconds),
      intensityFactor: round(l.metrics.intensityFactor, 2),
    }))
    .reverse();
  return {
    rule: {
      minMovingMinutes: LONG_ENDURANCE_RULE.minMovingSeconds / 60,
      maxIntensityFactor: LONG_ENDURANCE_RULE.maxIntensityFactor,
      goodBelowPercent: GOOD_DECOUPLING_PERCENT,
    },
    rides: points,
  };
}

/**
 * The lowest W′ balance of each interval ride (INTERVAL_RIDE_RULE), from its power stream on clock
 * time (stops count as 0 W: W′ recovers while stopped) and the period's CP model. Rides without a
 * power stream (summaries) are left out.
 */
function wPrimeBalanceRows(
  rides: readonly RideLoad[],
  name: (l: RideLoad) => string | null,
  cp: number,
  wPrime: number,
): NonNullable<ReportModel['wPrimeBalance']> {
  const rows: NonNullable<ReportModel['wPrimeBalance']>['rides'] = [];
  for (const l of rides) {
    const power = cyclingPowerStream(l.activity);
    if (!power || !l.activity.streams) continue;
    const low = lowestWPrimeBalance(clockTimePower(power, l.activity.streams.elapsed), cp, wPrime);
    if (!low || !looksLikeIntervals(l.metrics.variabilityIndex, low.secondsAboveCp)) continue;
    rows.push({
      date: l.activity.startTime.toISOString().slice(0, 10),
      name: name(l),
      minKj: round(low.minJoules / 1000, 1)!,
      minPercent: round(low.minPercent)!,
      secondsAboveCp: low.secondsAboveCp,
      variabilityIndex: round(l.metrics.variabilityIndex, 2),
    });
  }
  return {
    cp: round(cp)!,
    wPrimeKj: round(wPrime / 1000, 1)!,
    rule: { minVariabilityIndex: INTERVAL_RIDE_RULE.minVariabilityIndex, minMinutesAboveCp: INTERVAL_RIDE_RULE.minSecondsAboveCp / 60 },
    rides: rows,
  };
}
