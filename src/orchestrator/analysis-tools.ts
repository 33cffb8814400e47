/**
 * Phase 2's tools: read-only views of the fact sheet and the rides behind it, for one athlete.
 */
import { z } from 'zod';
import { addDays, utcDate } from '../domain/calendar.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { roundOrNull } from '../domain/numbers.js';
import type { PmcDay } from '../domain/metrics/pmc.js';
import type { RideLoad } from '../domain/training-load.js';
import { rideFact, type FactSheet, type FactSheetDetail, type RideFact } from './fact-sheet.js';
import type { Tool } from './tool-loop.js';

type Period = 'current' | 'previous' | 'both';
const PERIOD = z.object({ period: z.enum(['current', 'previous', 'both']).default('both') });
const NO_INPUT = z.object({}).strict();

/** The parts of a current/previous pair that a `period` argument asks for. */
function byPeriod<V>(p: Period, current: () => V, previous: () => V): { current?: V; previous?: V } {
  return { ...(p !== 'previous' ? { current: current() } : {}), ...(p !== 'current' ? { previous: previous() } : {}) };
}

/** A tool without arguments. */
function view(name: string, description: string, run: () => unknown): Tool<Record<string, never>> {
  return { name, description, input: NO_INPUT, run };
}

function periodSummaryTool(sheet: FactSheet): Tool<Record<string, never>> {
  return view(
    'get_period_summary',
    "Volume (rides; other sports apart), load (every sport, with the share estimated rather than measured), rides per week, average NP and best powers of the analysed period, with the fitness (CTL/ATL/TSB) at its end, the same faded to today, the latest ride's date and the data warnings.",
    () => ({
      period: sheet.period,
      summary: sheet.comparison.current,
      fitness: sheet.fitness,
      fitnessToday: sheet.fitnessToday,
      latestRide: sheet.latestRide,
      loadSources: sheet.loadSources,
      sports: sheet.sports,
      power: sheet.power,
      warnings: sheet.warnings,
    }),
  );
}

function pmcTool(sheet: FactSheet, pmc: readonly PmcDay[]): Tool<{ weeks: number }> {
  return {
    name: 'get_pmc',
    description:
      'Performance Management Chart sampled weekly: CTL (fitness), ATL (fatigue), TSB (form) and ramp rate for the last N weeks up to the end of the period.',
    input: z.object({ weeks: z.number().int().min(1).max(52).default(12) }),
    run: ({ weeks }) => {
      const end = sheet.period.to;
      const wanted = new Set(Array.from({ length: weeks + 1 }, (_, i) => addDays(end, -7 * i)));
      return pmc
        .filter((p) => wanted.has(p.date))
        .map((p) => ({
          date: p.date,
          ctl: roundOrNull(p.ctl, 1),
          atl: roundOrNull(p.atl, 1),
          tsb: roundOrNull(p.tsb, 1),
          rampRate: roundOrNull(p.rampRate, 1),
        }));
    },
  };
}

function powerCurveTool(sheet: FactSheet): Tool<{ period: Period }> {
  const { powerCurve } = sheet;
  return {
    name: 'get_power_curve',
    description:
      'Best power (W) per duration (s) in the period and the one before, the critical-power model (CP, W′, eFTP, confidence) and FTP suggestions.',
    input: PERIOD,
    run: ({ period }) => ({
      ...byPeriod(
        period,
        () => powerCurve.current,
        () => powerCurve.previous,
      ),
      ftp: sheet.athlete.ftp,
      model: {
        cp: roundOrNull(powerCurve.model.twoParameter?.cp, 0),
        wPrimeKj: roundOrNull((powerCurve.model.twoParameter?.wPrime ?? NaN) / 1000, 1),
        eftp: roundOrNull(powerCurve.model.eftp, 0),
        confidence: powerCurve.model.confidence,
        reason: powerCurve.model.reason,
      },
      ftpSuggestions: powerCurve.ftpSuggestions.map((s) => ({
        method: s.method,
        watts: s.watts,
        basis: s.basis,
        confidence: s.confidence,
        differenceWatts: s.differenceWatts,
      })),
    }),
  };
}

/** Time in zones as whole percentages that add up to 100, the same numbers the reports print. */
function zoneView(s: FactSheet['comparison']['current']): unknown {
  const split = s.polarization ? wholePercentages([s.polarization.easy, s.polarization.moderate, s.polarization.hard]) : null;
  return {
    powerZonesPercent: wholePercentages(s.powerZoneSeconds),
    heartRateZonesPercent: wholePercentages(s.heartRateZoneSeconds),
    polarizationPercent:
      s.polarization && split ? { basis: s.polarization.basis, easy: split[0], moderate: split[1], hard: split[2] } : null,
  };
}

function zonesTool(sheet: FactSheet): Tool<{ period: Period }> {
  return {
    name: 'get_zone_distribution',
    description:
      'Share of riding time (%) in the 7 Coggan power zones and the 5 heart-rate zones, and the easy/moderate/hard polarization.',
    input: PERIOD,
    run: ({ period }) =>
      byPeriod(
        period,
        () => zoneView(sheet.comparison.current),
        () => zoneView(sheet.comparison.previous),
      ),
  };
}

type SearchInput = {
  from?: string | undefined;
  to?: string | undefined;
  sport?: string | undefined;
  sortBy: 'date' | 'tss' | 'np' | 'best20';
  limit: number;
};

const SORT_KEYS: Record<SearchInput['sortBy'], (r: RideFact) => number> = {
  date: (r) => -Date.parse(r.date),
  tss: (r) => r.tss ?? -1,
  np: (r) => r.normalizedPower ?? -1,
  best20: (r) => r.best20MinWatts ?? -1,
};

function searchTool(sheet: FactSheet, loads: readonly RideLoad[]): Tool<SearchInput> {
  return {
    name: 'search_activities',
    description:
      'Activities of the athlete between two dates (YYYY-MM-DD, default the period), optionally of one sport, sorted by date, TSS, NP or best 20 min power.',
    input: z.object({
      from: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      to: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      sport: z.string().max(40).optional(),
      sortBy: z.enum(['date', 'tss', 'np', 'best20']).default('date'),
      limit: z.number().int().min(1).max(20).default(10),
    }),
    run: ({ from, to, sport, sortBy, limit }) => {
      const start = from ?? sheet.period.from;
      const end = to ?? sheet.period.to;
      const facts: RideFact[] = loads
        .filter((l) => {
          const date = utcDate(l.activity.startTime);
          return date >= start && date <= end && (sport === undefined || l.activity.sport === sport);
        })
        .map(rideFact);
      const key = SORT_KEYS[sortBy];
      return { from: start, to: end, count: facts.length, activities: facts.sort((a, b) => key(b) - key(a)).slice(0, limit) };
    },
  };
}

export function analysisTools(detail: FactSheetDetail): Tool[] {
  const { sheet, loads, pmc } = detail;
  const comparePeriods = view(
    'compare_periods',
    'The period against the one before: every compared figure with both values, the difference and the percentage change (null where the earlier value was 0).',
    () => ({ months: sheet.comparison.months, changes: sheet.comparison.changes, powerCurveChanges: sheet.comparison.powerCurveChanges }),
  );
  const profile = view(
    'get_profile',
    "The athlete's profile: FTP (and whether it was estimated), weight, W/kg, heart-rate anchors, goals, availability, FTP history.",
    () => sheet.athlete,
  );
  return [
    periodSummaryTool(sheet),
    pmcTool(sheet, pmc),
    powerCurveTool(sheet),
    zonesTool(sheet),
    searchTool(sheet, loads),
    comparePeriods,
    profile,
  ] as Tool[];
}
