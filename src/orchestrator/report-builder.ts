/**
 * Phase 4's assembly: the report model from the engine's numbers and the narrative of phases 2–3.
 */
import { utcDate } from '../domain/calendar.js';
import { GOOD_DECOUPLING_PERCENT, isLongEnduranceRide, LONG_ENDURANCE_RULE } from '../domain/metrics/decoupling-trend.js';
import { clockTimePower, cyclingPowerStream } from '../domain/metrics/index.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { INTERVAL_RIDE_RULE, looksLikeIntervals, lowestWPrimeBalance } from '../domain/metrics/w-prime-balance.js';
import { round, roundOrNull } from '../domain/numbers.js';
import type { Plan } from '../domain/plan/types.js';
import type { ProfileVersion } from '../domain/profile.js';
import { OFFLINE_PROVIDER } from '../llm/offline/offline-coach.js';
import type { RideLoad } from '../domain/training-load.js';
import type { Units } from '../report/format.js';
import type { ReportModel, RideRow } from '../report/report-model.js';
import type { FactSheetDetail } from './fact-sheet.js';
import { keyNumbers } from './key-numbers.js';
import { fill, type Prompts } from './prompts.js';
import type { Analysis, PlanningNotes } from './schemas.js';

/** Time in zones as percentages of the total, one decimal. */
function percentages(seconds: number[]): number[] {
  const total = seconds.reduce((a, b) => a + b, 0);
  return seconds.map((s) => (total > 0 ? round((s / total) * 100, 1) : 0));
}

export interface ReportInputs {
  runId: string;
  generatedAt: Date;
  detail: FactSheetDetail;
  analysis: Analysis;
  plan: Plan | null;
  planNotes: PlanningNotes | null;
  planExports: ReportModel['planExports'];
  /** The current plan's compliance (compliance-section.ts); null without a current plan. */
  compliance?: ReportModel['compliance'];
  projectedPmc: ReportModel['projectedPmc'];
  prompts: Prompts;
  provider: string;
  model: string;
  degradedReason: string | null;
  warnings: { code: string; message: string }[];
  /** The athlete's units, for how the reports show distance and weight (default metric). */
  units?: Units;
}

const rideName = (l: RideLoad) => l.activity.name ?? l.activity.source.split('/').pop() ?? null;

function rideRow(l: RideLoad): RideRow {
  return {
    date: utcDate(l.activity.startTime),
    name: rideName(l),
    sport: l.activity.sport,
    durationSeconds: roundOrNull(l.metrics.movingSeconds),
    distanceKm: roundOrNull(l.activity.distanceMeters === null ? null : l.activity.distanceMeters / 1000, 1),
    avgPower: roundOrNull(l.metrics.avgPower),
    normalizedPower: roundOrNull(l.metrics.normalizedPower),
    tss: roundOrNull(l.metrics.tss, 1),
    intensityFactor: roundOrNull(l.metrics.intensityFactor, 2),
    avgHeartRate: roundOrNull(l.metrics.avgHeartRate),
    best20MinWatts: roundOrNull(l.metrics.powerCurve[1200] ?? null),
    aerobicDecouplingPercent: roundOrNull(l.metrics.aerobicDecouplingPercent, 1),
  };
}

/** Power and heart-rate zones of both periods (each only when either period has time in them), and the polarization. */
function zones(c: FactSheetDetail['sheet']['comparison']): ReportModel['zones'] {
  const both = (pick: (s: typeof c.current) => number[]) =>
    pick(c.current).some((s) => s > 0) || pick(c.previous).some((s) => s > 0)
      ? { current: percentages(pick(c.current)), previous: percentages(pick(c.previous)) }
      : null;
  return {
    power: both((s) => s.powerZoneSeconds),
    heartRate: both((s) => s.heartRateZoneSeconds),
    polarization: polarization(c.current.polarization),
  };
}

function powerCurve(sheet: FactSheetDetail['sheet']): ReportModel['powerCurve'] {
  const { model } = sheet.powerCurve;
  const watts = (curve: Record<string, number>) => Object.fromEntries(Object.entries(curve).map(([k, v]) => [k, Math.round(v)]));
  return {
    current: watts(sheet.powerCurve.current),
    previous: watts(sheet.powerCurve.previous),
    model:
      model.eftp !== null && model.twoParameter
        ? { cp: round(model.twoParameter.cp), wPrime: round(model.twoParameter.wPrime), confidence: model.confidence, reason: model.reason }
        : null,
  };
}

/** The report's words: title, intro and footer of report-generation.md with the run's values filled in. */
function copy(input: ReportInputs): ReportModel['copy'] {
  const { sheet } = input.detail;
  const values = {
    athlete: sheet.athlete.name,
    from: sheet.period.from,
    to: sheet.period.to,
    months: String(sheet.period.months),
    provider: input.provider === OFFLINE_PROVIDER ? 'the offline coach (rule-based)' : `${input.provider} (${input.model})`,
  };
  return {
    title: fill(input.prompts.report.title ?? 'Training report for {{athlete}}', values),
    intro: fill(input.prompts.report.intro ?? '', values),
    footer: fill(input.prompts.report.footer ?? '', values),
  };
}

export function buildReportModel(input: ReportInputs): ReportModel {
  const { sheet, loads, pmc } = input.detail;
  const { from, to } = sheet.period;
  const inPeriod = loads
    .filter((l) => utcDate(l.activity.startTime) >= from && utcDate(l.activity.startTime) <= to)
    .sort((a, b) => b.activity.startTime.getTime() - a.activity.startTime.getTime());
  const model = sheet.powerCurve.model;
  return {
    generatedAt: input.generatedAt.toISOString(),
    runId: input.runId,
    athlete: {
      name: sheet.athlete.name,
      ftp: sheet.athlete.ftp,
      ftpSource: sheet.athlete.ftpSource,
      eftp: roundOrNull(model.eftp),
      weightKg: sheet.athlete.weightKg,
      wattsPerKg: sheet.athlete.wattsPerKg,
      goals: sheet.athlete.goals,
      eventDate: sheet.athlete.eventDate,
      units: input.units ?? 'metric',
    },
    period: sheet.period,
    keyNumbers: keyNumbers(input.detail),
    fitness: sheet.fitness
      ? { ctl: sheet.fitness.ctl, atl: sheet.fitness.atl, tsb: sheet.fitness.tsb, rampRate: sheet.fitness.rampRate }
      : null,
    pmc: pmc
      .filter((p) => p.date >= sheet.period.previousFrom)
      .map((p) => ({ date: p.date, ctl: round(p.ctl, 1), atl: round(p.atl, 1), tsb: round(p.tsb, 1), load: round(p.load, 1) })),
    projectedPmc: input.projectedPmc,
    powerCurve: powerCurve(sheet),
    weeklyLoad: sheet.weeks.map((w) => ({ week: w.week, load: w.load, hours: w.hours, rides: w.rides })),
    zones: zones(sheet.comparison),
    ftpHistory: ftpHistory(input.detail.effectiveHistory),
    rides: inPeriod.map(rideRow),
    aerobicDecoupling: aerobicDecouplingTrend(inPeriod),
    // W′ balance only on a CP model worth trusting: a low-confidence W′ makes most rides "beat the model"
    wPrimeBalance:
      model.eftp !== null && model.twoParameter && (model.confidence === 'high' || model.confidence === 'medium')
        ? wPrimeBalanceRows(inPeriod, model.twoParameter.cp, model.twoParameter.wPrime)
        : null,
    analysis: input.analysis,
    plan: input.plan,
    planNotes: input.planNotes,
    planExports: input.planExports,
    ...(input.compliance !== undefined ? { compliance: input.compliance } : {}),
    run: {
      provider: input.provider,
      model: input.model,
      degraded: input.degradedReason !== null,
      degradedReason: input.degradedReason,
      warnings: input.warnings,
    },
    copy: copy(input),
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
      date: utcDate(p.validFrom),
      ftp: p.ftp,
      wattsPerKg: p.ftp !== null && p.weightKg ? roundOrNull(p.ftp / p.weightKg, 2) : null,
    };
    const last = out[out.length - 1];
    if (last && last.ftp === entry.ftp && last.wattsPerKg === entry.wattsPerKg) continue;
    out.push(entry);
  }
  return out;
}

/** Pw:HR decoupling of the long endurance rides (LONG_ENDURANCE_RULE), oldest first. */
function aerobicDecouplingTrend(rides: readonly RideLoad[]): ReportModel['aerobicDecoupling'] {
  const points = rides
    .filter((l) => l.metrics.aerobicDecouplingPercent !== null && isLongEnduranceRide(l.metrics.movingSeconds, l.metrics.intensityFactor))
    .map((l) => ({
      date: utcDate(l.activity.startTime),
      name: rideName(l),
      percent: roundOrNull(l.metrics.aerobicDecouplingPercent, 1)!,
      durationSeconds: roundOrNull(l.metrics.movingSeconds),
      intensityFactor: roundOrNull(l.metrics.intensityFactor, 2),
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
function wPrimeBalanceRows(rides: readonly RideLoad[], cp: number, wPrime: number): NonNullable<ReportModel['wPrimeBalance']> {
  const rows: NonNullable<ReportModel['wPrimeBalance']>['rides'] = [];
  for (const l of rides) {
    const power = cyclingPowerStream(l.activity);
    if (!power || !l.activity.streams) continue;
    const low = lowestWPrimeBalance(clockTimePower(power, l.activity.streams.elapsed), cp, wPrime);
    if (!low || !looksLikeIntervals(l.metrics.variabilityIndex, low.secondsAboveCp)) continue;
    rows.push({
      date: utcDate(l.activity.startTime),
      name: rideName(l),
      minKj: roundOrNull(low.minJoules / 1000, 1)!,
      minPercent: roundOrNull(low.minPercent)!,
      secondsAboveCp: low.secondsAboveCp,
      variabilityIndex: roundOrNull(l.metrics.variabilityIndex, 2),
    });
  }
  return {
    cp: roundOrNull(cp)!,
    wPrimeKj: roundOrNull(wPrime / 1000, 1)!,
    rule: { minVariabilityIndex: INTERVAL_RIDE_RULE.minVariabilityIndex, minMinutesAboveCp: INTERVAL_RIDE_RULE.minSecondsAboveCp / 60 },
    rides: rows,
  };
}
