/**
 * The report's key numbers: FTP, eFTP, W/kg, fitness, fatigue, form, volume, load and the best
 * powers of the period, each with its trend against the previous period and how to judge it.
 */
import { criticalPowerModel } from '../domain/metrics/index.js';
import { utcDate } from '../domain/calendar.js';
import { round, roundOrNull } from '../domain/numbers.js';
import type { KeyNumber, KeyNumberKey, Trend } from '../report/report-model.js';
import type { FactSheetDetail } from './fact-sheet.js';

function trend(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null || previous === 0) return { percent: null, direction: null };
  const percent = ((current - previous) / previous) * 100;
  return { percent: roundOrNull(percent, 1), direction: Math.abs(percent) < 1 ? 'flat' : percent > 0 ? 'up' : 'down' };
}

/** For a figure that crosses zero (form): its direction, not a percentage. */
function difference(current: number | null, previous: number | null): Trend {
  if (current === null || previous === null) return { percent: null, direction: null };
  const d = current - previous;
  return { percent: null, direction: Math.abs(d) < 1 ? 'flat' : d > 0 ? 'up' : 'down' };
}

/**
 * "Against the previous period": FTP and weight in force when this period began, the previous
 * period's CP model, and fitness, fatigue and form on the previous period's last day (before the
 * first profile version, the first one applies, as it does to the rides).
 */
function previousPeriod(detail: FactSheetDetail) {
  const { sheet, pmc, effectiveHistory } = detail;
  const previousTo = sheet.period.previousTo;
  const before = [...effectiveHistory].reverse().find((v) => utcDate(v.validFrom) <= previousTo) ?? effectiveHistory[0] ?? null;
  const ftp = before?.ftp ?? null;
  return {
    ftp,
    wattsPerKg: ftp !== null && before?.weightKg ? round(ftp / before.weightKg, 2) : null,
    eftp: criticalPowerModel(sheet.powerCurve.previous).eftp,
    pmc: pmc.find((p) => p.date === previousTo) ?? null,
  };
}

/** The best power at one duration, against the previous period's. */
function best(detail: FactSheetDetail, seconds: number, label: string, key: KeyNumberKey): KeyNumber {
  const { current, previous } = detail.sheet.comparison;
  const watts = current.powerCurve[seconds] ?? null;
  return {
    key,
    label,
    value: roundOrNull(watts),
    unit: 'W',
    trend: trend(watts, previous.powerCurve[seconds] ?? null),
    judge: 'higher-is-better',
  };
}

type Previous = ReturnType<typeof previousPeriod>;

/** FTP, eFTP and W/kg: higher is better. */
function powerNumbers(sheet: FactSheetDetail['sheet'], before: Previous): KeyNumber[] {
  const ftp = sheet.athlete.ftp;
  const { model } = sheet.powerCurve;
  return [
    {
      key: 'ftp',
      label: 'FTP',
      value: ftp,
      unit: 'W',
      trend: trend(ftp, before.ftp),
      judge: 'higher-is-better',
      ...(sheet.athlete.ftpSource === 'estimated' ? { note: 'estimated from rides' } : {}),
    },
    {
      key: 'eftp',
      label: 'eFTP (CP model)',
      value: roundOrNull(model.eftp),
      unit: 'W',
      trend: trend(model.eftp, before.eftp),
      judge: 'higher-is-better',
      note: `confidence ${model.confidence}`,
    },
    {
      key: 'wkg',
      label: 'W/kg',
      value: sheet.athlete.wattsPerKg,
      unit: 'W/kg',
      trend: trend(sheet.athlete.wattsPerKg, before.wattsPerKg),
      judge: 'higher-is-better',
    },
  ];
}

/** Fitness up is good news; fatigue is amber whichever way; form crosses zero, so its direction, judged by where it ends up. */
function fitnessNumbers(sheet: FactSheetDetail['sheet'], before: Previous): KeyNumber[] {
  const ctl = sheet.fitness?.ctl ?? null;
  const atl = sheet.fitness?.atl ?? null;
  const tsb = sheet.fitness?.tsb ?? null;
  return [
    {
      key: 'ctl',
      label: 'Fitness (CTL)',
      value: ctl,
      unit: 'TSS/d',
      trend: trend(ctl, before.pmc?.ctl ?? null),
      judge: 'higher-is-better',
    },
    { key: 'atl', label: 'Fatigue (ATL)', value: atl, unit: 'TSS/d', trend: trend(atl, before.pmc?.atl ?? null), judge: 'neutral' },
    { key: 'tsb', label: 'Form (TSB)', value: tsb, unit: '', trend: difference(tsb, before.pmc?.tsb ?? null), judge: 'form' },
  ];
}

/** Volume and load: amber whichever way (a cost as much as a gain). */
function volumeNumbers(c: FactSheetDetail['sheet']['comparison']): KeyNumber[] {
  return [
    {
      key: 'hours',
      label: 'Volume',
      value: roundOrNull(c.current.hours, 1),
      unit: 'h',
      trend: trend(c.current.hours, c.previous.hours),
      judge: 'neutral',
    },
    {
      key: 'weekly-load',
      label: 'Load per week',
      value: roundOrNull(c.current.weeklyLoad),
      unit: 'TSS',
      trend: trend(c.current.weeklyLoad, c.previous.weeklyLoad),
      judge: 'neutral',
    },
  ];
}

/** The arrows' colours (KeyNumber.judge) say whether a change is good news. */
export function keyNumbers(detail: FactSheetDetail): KeyNumber[] {
  const before = previousPeriod(detail);
  return [
    ...powerNumbers(detail.sheet, before),
    ...fitnessNumbers(detail.sheet, before),
    ...volumeNumbers(detail.sheet.comparison),
    best(detail, 5, 'Best 5 s', 'best-5s'),
    best(detail, 60, 'Best 1 min', 'best-1min'),
    best(detail, 300, 'Best 5 min', 'best-5min'),
    best(detail, 1200, 'Best 20 min', 'best-20min'),
  ];
}
