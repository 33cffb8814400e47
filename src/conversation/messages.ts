/**
 * The words the bot says, built from data. Plain text: adapters escape it for their platform.
 */
import type { PlanWeek, Plan } from '../domain/plan/types.js';
import type { ProfileVersion } from '../domain/profile.js';
import { PHASES, PHASE_TITLES, type PhaseName } from '../orchestrator/events.js';
import type { RunResult } from '../orchestrator/run-analysis.js';
import type { AthleteRecord, UploadSummary } from '../store/store.js';
import type { Reply } from './port.js';

const n = (v: number | null | undefined, digits = 0, unit = '') => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`);

export const HELP: Reply = {
  title: 'domestique — your cycling coach',
  text: [
    'Send me your rides: .fit or .fit.gz files from your bike computer, a .zip of them, or your Strava export (the zip, or activities.csv inside it). Several at once is fine.',
    '',
    '/start — set up your profile (FTP, weight, heart rate, days, hours, goal)',
    '/profile — show it; change a value by writing it, e.g. "ftp 270" or "I can ride Tue Thu Sat, 8h"',
    '/analyze — analyse your last 6 months and plan the next weeks (reports as HTML files)',
    '/report — the latest reports again',
    '/plan — this week\'s workouts (/plan next for next week), with Zwift and calendar files',
    '/status — what is stored and what is running',
    '/reminders — a monthly nudge to send new rides (on/off, day, time)',
    '/export — everything I hold about you, as a file',
    '/forget — delete everything I hold about you',
    '/link — use one history on Telegram and Discord (a code to enter on the other app)',
    '',
    'Or just ask, e.g. "how fit am I?" or "what should I ride tomorrow?"',
  ].join('\n'),
};

export const PRIVATE_ONLY: Reply = {
  text: 'For your privacy I only handle training data in a private chat. Message me directly and send your rides there.',
};

export function profileText(athlete: AthleteRecord, profile: ProfileVersion | null): string {
  const p = profile;
  const imperial = athlete.units === 'imperial';
  const weight = p?.weightKg == null ? '–' : imperial ? `${n(p.weightKg / 0.45359237, 0)} lb` : `${n(p.weightKg, 1)} kg`;
  return [
    `FTP: ${p?.ftp == null ? 'not set (estimated from your rides)' : `${n(p.ftp)} W`}${p?.ftp && p.weightKg ? ` (${n(p.ftp / p.weightKg, 2)} W/kg)` : ''}`,
    `Weight: ${weight}`,
    `Heart rate: max ${n(p?.maxHr, 0, ' bpm')}, threshold ${n(p?.lthr, 0, ' bpm')}, resting ${n(p?.restingHr, 0, ' bpm')}`,
    `Training days: ${p?.trainingDays?.map((d) => d[0]!.toUpperCase() + d.slice(1)).join(' ') ?? '–'}; hours per week: ${n(p?.weeklyHours, 1, ' h')}`,
    `Goal: ${p?.goals ?? '–'}${p?.eventDate ? ` (event ${p.eventDate})` : ''}`,
    `Time zone: ${athlete.timeZone}; units: ${athlete.units}`,
  ].join('\n');
}

export function uploadText(summary: UploadSummary & { warnings?: string[] }, skipped: readonly { source: string; reason: string }[]): Reply {
  const lines: string[] = [];
  const total = summary.new + summary.duplicates + summary.merged;
  if (total > 0) {
    lines.push(`${summary.new} new activit${summary.new === 1 ? 'y' : 'ies'} stored${summary.duplicates > 0 ? `, ${summary.duplicates} already there` : ''}${summary.merged > 0 ? `, ${summary.merged} merged with the same ride from another file` : ''}.`);
  }
  // skipped archive entries, grouped by why: "12 skipped (a.gpx, b.gpx, …): GPX is not read …"
  const byReason = new Map<string, string[]>();
  for (const k of skipped) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k.source.split('/').pop() ?? k.source]);
  for (const [reason, names] of byReason) lines.push(`– ${names.length} skipped (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): ${reason}.`);
  if (summary.errors.length > 0) {
    lines.push(`${summary.errors.length} file${summary.errors.length === 1 ? '' : 's'} could not be read — nothing from ${summary.errors.length === 1 ? 'it' : 'them'} was stored:`);
    for (const e of summary.errors.slice(0, 10)) lines.push(`✗ ${e.source.split('/').pop()}: ${e.message}`);
    if (summary.errors.length > 10) lines.push(`… and ${summary.errors.length - 10} more.`);
  }
  for (const w of summary.warnings ?? []) lines.push(`! ${w}`);
  if (lines.length === 0) lines.push('There were no activities in what you sent.');
  return total > 0 ? { text: lines.join('\n'), buttons: [[{ label: 'Analyze now', action: 'analyze' }]] } : { text: lines.join('\n') };
}

export function statusText(runId: string, done: Map<PhaseName, string>, current: PhaseName | null, detail: string | null, position: number | null): Reply {
  const lines = [`Analysis ${runId.slice(0, 8)}`];
  if (position !== null && position > 0 && done.size === 0 && current === null) lines.push(`Queued — ${position} ahead of you.`);
  for (const phase of PHASES) {
    const result = done.get(phase);
    const mark = result === 'done' ? '✓' : result === 'degraded' ? '!' : result === 'skipped' ? '–' : phase === current ? '…' : '·';
    lines.push(`${mark} ${PHASE_TITLES[phase]}${phase === current && detail ? ` — ${detail}` : ''}${result === 'degraded' ? ' (offline coach)' : ''}`);
  }
  return { text: lines.join('\n') };
}

function weekText(week: PlanWeek): string {
  const lines = [`Week ${week.week} (${week.phase}) — ${n(week.plannedTss)} TSS, ${n(week.hours, 1)} h`];
  for (const day of week.days) {
    const label = `${day.weekday[0]!.toUpperCase()}${day.weekday.slice(1)} ${day.date.slice(5)}`;
    if (day.workouts.length === 0) lines.push(`${label}: rest`);
    for (const w of day.workouts) lines.push(`${label}: ${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${n(w.tss)}, IF ${n(w.intensityFactor, 2)}${w.intensity === 'hard' ? ' (hard)' : ''}`);
  }
  return lines.join('\n');
}

/** The week of the plan that holds `today`, or the first one when the plan has not started. */
export function planWeek(plan: Plan, today: string, offset = 0): PlanWeek | null {
  const index = plan.weeks.findIndex((w) => w.days.some((d) => d.date === today));
  const base = index >= 0 ? index : plan.weeks[0] && today < plan.weeks[0].days[0]!.date ? 0 : -1;
  if (base < 0) return null;
  return plan.weeks[base + offset] ?? null;
}

export function planText(plan: Plan, today: string, offset: number): Reply {
  const week = planWeek(plan, today, offset);
  if (!week) return { text: offset > 0 ? 'Your plan has no further week. Send new rides and /analyze for the next block.' : 'Your plan is over. Send new rides and /analyze for the next block.' };
  return { title: offset > 0 ? 'Next week' : 'This week', text: weekText(week) };
}

/** The summary after an analysis; `newSince`: activities stored since the previous analysis (null for the first). */
export function summaryText(result: RunResult, today: string, newSince: number | null = null): Reply {
  const r = result.runJson;
  const model = result.report;
  const lines = [
    `${model.period.from} – ${model.period.to}: ${r.volume.activities} activities, ${n(r.volume.hours, 1)} h, ${n(r.volume.weeklyLoad)} TSS a week.`,
    `FTP ${n(r.athlete.ftp, 0, ' W')}${r.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}${r.athlete.wattsPerKg ? ` · ${n(r.athlete.wattsPerKg, 2)} W/kg` : ''} · eFTP ${n(r.athlete.eftp, 0, ' W')}`,
    `Fitness CTL ${n(r.fitness.ctl, 1)} · fatigue ATL ${n(r.fitness.atl, 1)} · form TSB ${n(r.fitness.tsb, 1)}`,
    `Best 5 s ${n(r.bests['5'], 0, ' W')} · 1 min ${n(r.bests['60'], 0, ' W')} · 5 min ${n(r.bests['300'], 0, ' W')} · 20 min ${n(r.bests['1200'], 0, ' W')}`,
    '',
    ...model.analysis.insights.slice(0, 3).map((i) => `• ${i.replace(/\*\*/g, '')}`),
  ];
  if (model.plan) {
    const week = planWeek(model.plan, today);
    if (week) lines.push('', weekText(week));
  }
  if (result.status === 'degraded') lines.push('', `Note: the offline coach stood in for ${result.provider} (${result.degradedReason ?? 'the model failed'}). The numbers are the same; the words are simpler.`);
  lines.push('', 'The full reports follow as HTML files: open them in your browser.');
  const fields = [
    { name: 'FTP', value: `${n(r.athlete.ftp, 0, ' W')}${r.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}` },
    { name: 'eFTP', value: n(r.athlete.eftp, 0, ' W') },
    { name: 'CTL / ATL / TSB', value: `${n(r.fitness.ctl, 1)} / ${n(r.fitness.atl, 1)} / ${n(r.fitness.tsb, 1)}` },
    { name: 'Best 20 min', value: n(r.bests['1200'], 0, ' W') },
    { name: 'Activities analysed', value: `${r.volume.activities}${newSince !== null ? ` (${newSince} new since the last analysis)` : r.upload && r.upload.new > 0 ? ` (${r.upload.new} new)` : ''}` },
    { name: 'Volume', value: `${n(r.volume.hours, 1)} h · ${n(r.volume.weeklyLoad)} TSS/week` },
  ];
  const buttons = model.plan ? [[{ label: 'This week\'s plan', action: 'plan' }, { label: 'Next week', action: 'plan:next' }]] : [];
  return { title: `Your analysis is ready (run ${result.runId.slice(0, 8)})`, text: lines.join('\n'), fields, buttons };
}
