/**
 * Phase 2's tools: read-only views of the fact sheet and the rides behind it, for one athlete.
 */
import { z } from 'zod';
import { addDays } from '../domain/metrics/index.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { rideFact, type FactSheetDetail, type RideFact } from './fact-sheet.js';
import type { Tool } from './tool-loop.js';

const day = (d: Date) => d.toISOString().slice(0, 10);
const round = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

/** Whole percentages that add up to 100, the same numbers the reports print. */
const percentages = (seconds: readonly number[]): number[] => wholePercentages(seconds);

export function analysisTools(detail: FactSheetDetail): Tool[] {
  const { sheet, loads, pmc } = detail;
  const period = z.object({ period: z.enum(['current', 'previous', 'both']).default('both') });

  const getPeriodSummary: Tool<Record<string, never>> = {
    name: 'get_period_summary',
    description:
      "Volume (rides; other sports apart), load (every sport, with the share estimated rather than measured), rides per week, average NP and best powers of the analysed period, with the fitness (CTL/ATL/TSB) at its end, the same faded to today, the latest ride's date and the data warnings.",
    input: z.object({}).strict(),
    run: () => ({
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
  };

  const getPmc: Tool<{ weeks: number }> = {
    name: 'get_pmc',
    description:
      'Performance Management Chart sampled weekly: CTL (fitness), ATL (fatigue), TSB (form) and ramp rate for the last N weeks up to the end of the period.',
    input: z.object({ weeks: z.number().int().min(1).max(52).default(12) }),
    run: ({ weeks }) => {
      const end = sheet.period.to;
      const wanted = new Set(Array.from({ length: weeks + 1 }, (_, i) => addDays(end, -7 * i)));
      return pmc
        .filter((p) => wanted.has(p.date))
        .map((p) => ({ date: p.date, ctl: round(p.ctl, 1), atl: round(p.atl, 1), tsb: round(p.tsb, 1), rampRate: round(p.rampRate, 1) }));
    },
  };

  const getPowerCurve: Tool<{ period: 'current' | 'previous' | 'both' }> = {
    name: 'get_power_curve',
    description:
      'Best power (W) per duration (s) in the period and the one before, the critical-power model (CP, W′, eFTP, confidence) and FTP suggestions.',
    input: period,
    run: ({ period: p }) => ({
      ...(p !== 'previous' ? { current: sheet.powerCurve.current } : {}),
      ...(p !== 'current' ? { previous: sheet.powerCurve.previous } : {}),
      ftp: sheet.athlete.ftp,
      model: {
        cp: round(sheet.powerCurve.model.twoParameter?.cp, 0),
        wPrimeKj: round((sheet.powerCurve.model.twoParameter?.wPrime ?? NaN) / 1000, 1),
        eftp: round(sheet.powerCurve.model.eftp, 0),
        confidence: sheet.powerCurve.model.confidence,
        reason: sheet.powerCurve.model.reason,
      },
      ftpSuggestions: sheet.powerCurve.ftpSuggestions.map((s) => ({
        method: s.method,
        watts: s.watts,
        basis: s.basis,
        confidence: s.confidence,
        differenceWatts: s.differenceWatts,
      })),
    }),
  };

  const getZones: Tool<{ period: 'current' | 'previous' | 'both' }> = {
    name: 'get_zone_distribution',
    description:
      'Share of riding time (%) in the 7 Coggan power zones and the 5 heart-rate zones, and the easy/moderate/hard polarization.',
    input: period,
    run: ({ period: p }) => {
      const view = (s: typeof sheet.comparison.current) => {
        const split = s.polarization ? wholePercentages([s.polarization.easy, s.polarization.moderate, s.polarization.hard]) : null;
        return {
          powerZonesPercent: percentages(s.powerZoneSeconds),
          heartRateZonesPercent: percentages(s.heartRateZoneSeconds),
          polarizationPercent:
            s.polarization && split ? { basis: s.polarization.basis, easy: split[0], moderate: split[1], hard: split[2] } : null,
        };
      };
      return {
        ...(p !== 'previous' ? { current: view(sheet.comparison.current) } : {}),
        ...(p !== 'current' ? { previous: view(sheet.comparison.previous) } : {}),
      };
    },
  };

  const searchActivities: Tool<{
    from?: string | undefined;
    to?: string | undefined;
    sport?: string | undefined;
    sortBy: 'date' | 'tss' | 'np' | 'best20';
    limit: number;
  }> = {
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
      const key: Record<typeof sortBy, (r: RideFact) => number> = {
        date: (r) => -Date.parse(r.date),
        tss: (r) => r.tss ?? -1,
        np: (r) => r.normalizedPower ?? -1,
        best20: (r) => r.best20MinWatts ?? -1,
      };
      const facts: RideFact[] = loads
        .filter(
          (l) =>
            day(l.activity.startTime) >= start && day(l.activity.startTime) <= end && (sport === undefined || l.activity.sport === sport),
        )
        .map(rideFact);
      return {
        from: start,
        to: end,
        count: facts.length,
        activities: facts.sort((a, b) => key[sortBy](b) - key[sortBy](a)).slice(0, limit),
      };
    },
  };

  const comparePeriodsTool: Tool<Record<string, never>> = {
    name: 'compare_periods',
    description:
      'The period against the one before: every compared figure with both values, the difference and the percentage change (null where the earlier value was 0).',
    input: z.object({}).strict(),
    run: () => ({
      months: sheet.comparison.months,
      changes: sheet.comparison.changes,
      powerCurveChanges: sheet.comparison.powerCurveChanges,
    }),
  };

  const getProfile: Tool<Record<string, never>> = {
    name: 'get_profile',
    description:
      "The athlete's profile: FTP (and whether it was estimated), weight, W/kg, heart-rate anchors, goals, availability, FTP history.",
    input: z.object({}).strict(),
    run: () => sheet.athlete,
  };

  return [getPeriodSummary, getPmc, getPowerCurve, getZones, searchActivities, comparePeriodsTool, getProfile] as Tool[];
}
