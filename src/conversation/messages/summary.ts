/**
 * The summary after an analysis — key numbers, bests, insights, this week of the plan — and the
 * same numbers again when /analyze finds nothing changed since the last one.
 */
import { utcDate } from '../../domain/calendar.js';
import type { Plan } from '../../domain/plan/types.js';
import type { RunJson, RunResult } from '../../orchestrator/run-result.js';
import type { Units } from '../../report/format.js';
import type { RunRecord } from '../../store/store.js';
import type { Reply } from '../port.js';
import { formatDistance, quantity as n, shortId } from './format.js';
import { keyNumberLines } from './key-numbers.js';
import { planButtons, planWeek, weekText } from './plan.js';

/**
 * The summary after an analysis; `newSince`: activities stored since the previous analysis (null
 * for the first); distance and weight in the athlete's `units`.
 */
export function summaryText(result: RunResult, today: string, newSince: number | null = null, units: Units = 'metric'): Reply {
  return {
    title: `Your analysis is ready (run ${shortId(result.runId)})`,
    text: summaryLines(result, today, units).join('\n'),
    fields: summaryFields(result.runJson, newSince, units),
    buttons: result.report.plan ? planButtons() : [],
  };
}

function summaryLines(result: RunResult, today: string, units: Units): string[] {
  const r = result.runJson;
  const model = result.report;
  const lines = [
    ...keyNumberLines(r, model.period, units, true),
    `Best 5 s ${n(r.bests['5'], 0, ' W')} · 1 min ${n(r.bests['60'], 0, ' W')} · 5 min ${n(r.bests['300'], 0, ' W')} · 20 min ${n(r.bests['1200'], 0, ' W')}`,
    '',
    ...model.analysis.insights.slice(0, 3).map((i) => `• ${i.replace(/\*\*/g, '')}`),
  ];
  if (model.plan) {
    const week = planWeek(model.plan, today);
    // the week's notes say why its first days are easy (a return block, deep fatigue)
    if (week)
      lines.push(
        '',
        weekText(week),
        ...(week.notes ?? []).filter((note) => /^(Return block|Form \(TSB\))/.test(note)).map((note) => `Note: ${note}`),
      );
  }
  if (result.status === 'degraded')
    lines.push(
      '',
      `Note: the offline coach stood in for ${result.provider} (${result.degradedReason ?? 'the model failed'}). The numbers are the same; the words are simpler.`,
    );
  lines.push('', 'The full reports follow as HTML files: open them in your browser.');
  return lines;
}

/** The key numbers again as name → value, for platforms that show cards. */
function summaryFields(r: RunJson, newSince: number | null, units: Units): { name: string; value: string }[] {
  return [
    { name: 'FTP', value: `${n(r.athlete.ftp, 0, ' W')}${r.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}` },
    { name: 'eFTP', value: n(r.athlete.eftp, 0, ' W') },
    {
      name: 'CTL / ATL / TSB',
      value: `${n(r.fitness.ctl, 1)} / ${n(r.fitness.atl, 1)} / ${n(r.fitness.tsb, 1)}${r.fitnessToday && r.fitness.date && r.fitnessToday.date !== r.fitness.date ? ` (${r.fitness.date}); today ${n(r.fitnessToday.ctl, 1)} / ${n(r.fitnessToday.atl, 1)} / ${n(r.fitnessToday.tsb, 1)}` : ''}`,
    },
    { name: 'Best 20 min', value: n(r.bests['1200'], 0, ' W') },
    {
      name: 'Activities analysed',
      value: `${r.volume.activities}${newSince !== null ? ` (${newSince} new since the last analysis)` : r.upload && r.upload.new > 0 ? ` (${r.upload.new} new)` : ''}`,
    },
    {
      name: 'Volume',
      value: `${n(r.volume.hours, 1)} h${r.volume.distanceKm > 0 ? ` · ${formatDistance(r.volume.distanceKm * 1000, units)}` : ''} · ${n(r.volume.weeklyLoad)} TSS/week`,
    },
  ];
}

/**
 * The answer to /analyze when nothing changed since the last analysis: the same numbers again,
 * from its run.json, without running (and without counting against the daily limit).
 */
export function resentSummaryText(run: RunRecord, json: RunJson, plan: Plan | null, today: string, units: Units = 'metric'): Reply {
  const lines = [
    `Nothing changed since your analysis of ${utcDate(run.createdAt)} — the same rides, profile and plan settings — so here it is again. This does not count against your daily analyses.`,
    '',
    ...keyNumberLines(json, json.period, units, false),
  ];
  const week = plan ? planWeek(plan, today) : null;
  if (week) lines.push('', weekText(week));
  lines.push('', 'The reports follow again. Send new rides or change your profile, and /analyze makes a new analysis.');
  return { title: `Your analysis (run ${shortId(run.id)}), unchanged`, text: lines.join('\n'), buttons: plan ? planButtons() : [] };
}
