/**
 * The words the bot says, built from data. Plain text: adapters escape it for their platform.
 */
import { trainingStressScore } from '../domain/metrics/activity-metrics.js';
import type { PlanWeek, Plan } from '../domain/plan/types.js';
import type { ProfileVersion } from '../domain/profile.js';
import { PHASES, PHASE_TITLES, type PhaseName } from '../orchestrator/events.js';
import type { RunJson, RunResult } from '../orchestrator/run-analysis.js';
import type { AthleteRecord, RunRecord, StoredActivity, UploadSummary } from '../store/store.js';
import {
  chatQuantity,
  formatDistance as distanceText,
  formatDuration as durationText,
  formatWeight,
  type Units,
} from '../report/format.js';
import type { Reply } from './port.js';
import { longDate, timeAgo } from '../domain/calendar.js';

/** A number as chat text ("1,234", "8.0 h", "–" when missing), from the one formatting module. */
const n = (v: number | null | undefined, digits = 0, unit = '') => chatQuantity(v, digits, unit.trim());

export const HELP: Reply = {
  title: 'domestique — your cycling coach',
  text: [
    'Send me your rides: .fit or .fit.gz files from your bike computer, a .zip of them, or your Strava export (the zip, or activities.csv inside it). Several at once is fine.',
    '',
    '/start — set up your profile (FTP, weight, heart rate, days, hours, goal)',
    '/profile — show it; change a value by writing it, e.g. "ftp 270" or "I can ride Tue Thu Sat, 8h"',
    '/analyze — analyse your last 6 months and plan the next weeks (reports as HTML files)',
    '/report — the latest reports again',
    "/plan — this week's workouts (/plan next for next week), with Zwift and calendar files",
    '/status — what is stored and what is running',
    '/activities — your latest rides with their ids; /delete <id> removes one',
    '/reminders — a monthly nudge to send new rides (on/off, day, time like 19:00 or 7pm)',
    '/export — everything I hold about you, as a file',
    '/forget — delete everything I hold about you',
    '/link — use one history on Telegram and Discord (a code to enter on the other app)',
    '',
    'Or just write to me: "how fit am I?", "how many km did I ride this year?", "should I skip today\'s workout?", "ftp 270", "time zone Paris" — or "analyze" without the slash.',
  ].join('\n'),
};

export const PRIVATE_ONLY: Reply = {
  text: 'For your privacy I only handle training data in a private chat. Message me directly and send your rides there.',
};

export function profileText(athlete: AthleteRecord, profile: ProfileVersion | null): string {
  const p = profile;
  const weight = formatWeight(p?.weightKg, athlete.units, 'chat');
  return [
    `FTP: ${p?.ftp == null ? 'not set (estimated from your rides)' : `${n(p.ftp)} W`}${p?.ftp && p.weightKg ? ` (${n(p.ftp / p.weightKg, 2)} W/kg)` : ''}`,
    `Weight: ${weight}`,
    `Heart rate: max ${n(p?.maxHr, 0, ' bpm')}, threshold ${n(p?.lthr, 0, ' bpm')}, resting ${n(p?.restingHr, 0, ' bpm')}`,
    `Training days: ${p?.trainingDays?.map((d) => d[0]!.toUpperCase() + d.slice(1)).join(' ') ?? '–'}; hours per week: ${n(p?.weeklyHours, 1, ' h')}`,
    `Goal: ${p?.goals ?? '–'}${p?.eventDate ? ` (event ${p.eventDate})` : ''}`,
    `Time zone: ${athlete.timeZone}; units: ${athlete.units}`,
  ].join('\n');
}

/** What an upload held: rides, their distance and moving time (shown in the athlete's units). */
export interface UploadTotals {
  activities: number;
  distanceMeters: number;
  movingSeconds: number;
}

/** The sum of what was read from an upload, for the reply. */
export function uploadTotals(
  activities: readonly { distanceMeters: number | null; movingSeconds: number | null; timerSeconds: number | null }[],
): UploadTotals {
  let distanceMeters = 0;
  let movingSeconds = 0;
  for (const a of activities) {
    if (a.distanceMeters !== null && Number.isFinite(a.distanceMeters) && a.distanceMeters > 0) distanceMeters += a.distanceMeters;
    const moving = a.movingSeconds ?? a.timerSeconds;
    if (moving !== null && Number.isFinite(moving) && moving > 0) movingSeconds += moving;
  }
  return { activities: activities.length, distanceMeters, movingSeconds };
}

/**
 * A warning about a kept activity: structured (its code counts in the summary of those not shown),
 * or a ready line "file: message".
 */
export type UploadWarning = string | { source: string; code: string; message: string };

/** At most this many errors, and this many warnings, are listed one per line; the rest are counted. */
export const UPLOAD_LINES_SHOWN = 10;
/** A listed line longer than this (a file named with thousands of characters) is cut. */
const UPLOAD_LINE_CHARS = 300;

const count = (k: number) => k.toLocaleString('en-US');
const fileName = (source: string) => source.split('/').pop() || source;
const cut = (line: string) => (line.length > UPLOAD_LINE_CHARS ? `${line.slice(0, UPLOAD_LINE_CHARS - 1)}…` : line);

/** "truncated ×1,500, bad-crc ×491": codes by how often they occur, most first. */
function codeCounts(codes: readonly (string | null)[]): string {
  const byCode = new Map<string, number>();
  for (const code of codes) if (code) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  return [...byCode]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, k]) => `${code} ×${count(k)}`)
    .join(', ');
}

export function uploadText(
  summary: UploadSummary & { warnings?: readonly UploadWarning[]; totals?: UploadTotals },
  skipped: readonly { source: string; reason: string }[],
  units: Units = 'metric',
): Reply {
  const lines: string[] = [];
  const total = summary.new + summary.duplicates + summary.merged;
  if (total > 0) {
    lines.push(
      `${summary.new} new activit${summary.new === 1 ? 'y' : 'ies'} stored${summary.duplicates > 0 ? `, ${summary.duplicates} already there` : ''}${summary.merged > 0 ? `, ${summary.merged} merged with the same ride from another file` : ''}.`,
    );
    const t = summary.totals;
    if (t && t.activities > 0 && (t.distanceMeters > 0 || t.movingSeconds > 0)) {
      const parts = [
        t.distanceMeters > 0 ? formatDistance(t.distanceMeters, units) : '',
        t.movingSeconds > 0 ? `${formatDuration(t.movingSeconds)} moving` : '',
      ].filter(Boolean);
      lines.push(`In what you sent: ${t.activities} ${t.activities === 1 ? 'activity' : 'activities'}, ${parts.join(', ')}.`);
    }
  }
  // skipped archive entries, grouped by why: "12 skipped (a.gpx, b.gpx, …): GPX is not read …"
  const byReason = new Map<string, string[]>();
  for (const k of skipped) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), fileName(k.source)]);
  for (const [reason, names] of byReason)
    lines.push(cut(`– ${names.length} skipped (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): ${reason}.`));
  // An export of thousands of damaged files must not become dozens of messages: ten of each, then counts by code.
  const errors = summary.errors;
  if (errors.length > 0) {
    lines.push(
      `${count(errors.length)} file${errors.length === 1 ? '' : 's'} could not be read — nothing from ${errors.length === 1 ? 'it' : 'them'} was stored:`,
    );
    for (const e of errors.slice(0, UPLOAD_LINES_SHOWN)) lines.push(cut(`✗ ${fileName(e.source)}: ${e.message}`));
    const rest = errors.slice(UPLOAD_LINES_SHOWN);
    if (rest.length > 0) {
      const codes = codeCounts(rest.map((e) => e.code));
      lines.push(
        `…and ${count(rest.length)} more file${rest.length === 1 ? '' : 's'} could not be read${codes ? ` (codes: ${codes})` : ''}.`,
      );
    }
  }
  const warnings = summary.warnings ?? [];
  for (const w of warnings.slice(0, UPLOAD_LINES_SHOWN))
    lines.push(cut(`! ${typeof w === 'string' ? w : `${fileName(w.source)}: ${w.message}`}`));
  const restWarnings = warnings.slice(UPLOAD_LINES_SHOWN);
  if (restWarnings.length > 0) {
    const codes = codeCounts(restWarnings.map((w) => (typeof w === 'string' ? null : w.code)));
    lines.push(
      `…and ${count(restWarnings.length)} more warning${restWarnings.length === 1 ? '' : 's'} about files that were kept${codes ? ` (codes: ${codes})` : ''}.`,
    );
  }
  if (lines.length === 0) lines.push('There were no activities in what you sent.');
  // The button names its upload: pressed again after an analysis that already holds these rides, it says so.
  return total > 0
    ? {
        text: lines.join('\n'),
        buttons: [[{ label: 'Analyze now', action: summary.uploadId ? `analyze:upload:${summary.uploadId}` : 'analyze' }]],
      }
    : { text: lines.join('\n') };
}

/** What the bot reads, for a message it cannot (a photo, a sticker, a voice note). */
export const WHAT_I_READ =
  'I read rides from files: .fit or .fit.gz files from your bike computer, a .zip of them, or your Strava export (the .zip, or the activities.csv inside it). Send them as files (on Telegram: 📎 → File, not as a photo).';

export function unreadableText(what: string): Reply {
  return { text: `That is ${what}: there is no ride in it that I can read. ${WHAT_I_READ}` };
}

/** The shortest id that /activities shows and /delete takes. */
export const SHORT_ID_LENGTH = 8;
export const shortId = (id: string) => id.slice(0, SHORT_ID_LENGTH);

/** 1:05 h, 45 min, 30 s (chat style of src/report/format.ts). */
export function formatDuration(seconds: number | null): string {
  return durationText(seconds, 'chat');
}

/** Metres as km, or miles for imperial units; '' when there is no distance (an indoor ride). */
export function formatDistance(meters: number | null, units: Units): string {
  if (meters === null || !Number.isFinite(meters) || meters <= 0) return '';
  return distanceText(meters, units, 'chat');
}

const sportLabel = (sport: string) => sport.replace(/_/g, ' ');

/**
 * One line of an activity: date, name (or sport), moving time, distance, NP, TSS and its short id.
 * TSS is the head unit's, else from NP and the FTP valid that day (hours × IF² × 100).
 */
export function activityLine(stored: StoredActivity, ftpOn: (date: Date) => number | null, units: 'metric' | 'imperial'): string {
  const a = stored.activity;
  const moving = a.movingSeconds ?? a.timerSeconds;
  const np = a.normalizedPower;
  const tss = a.device?.tss ?? trainingStressScore(np, moving, ftpOn(a.startTime));
  const name = a.name?.trim() ? `${a.name.trim()} (${sportLabel(a.sport)})` : sportLabel(a.sport);
  const parts = [
    formatDuration(moving),
    formatDistance(a.distanceMeters, units),
    np !== null ? `NP ${n(np, 0, ' W')}` : '',
    tss !== null ? `TSS ${n(tss)}` : '',
  ].filter(Boolean);
  return `${a.startTime.toISOString().slice(0, 10)} ${name} — ${parts.join(', ')} · id ${shortId(a.id)}`;
}

export function activitiesText(
  list: StoredActivity[],
  total: number,
  ftpOn: (date: Date) => number | null,
  units: 'metric' | 'imperial',
): Reply {
  if (list.length === 0) return { text: 'No activities stored yet. Send me .fit files or your Strava export.' };
  return {
    title:
      list.length < total
        ? `Your latest ${list.length} of ${total} activities`
        : `Your ${total} ${total === 1 ? 'activity' : 'activities'}`,
    text: [
      ...list.map((s) => activityLine(s, ftpOn, units)),
      '',
      `/delete <id> removes one (e.g. /delete ${shortId(list[0]!.activity.id)}).${list.length < total ? ' /activities 30 shows more.' : ''}`,
    ].join('\n'),
  };
}

/** The key numbers of an analysis: period and volume, load, FTP, the latest ride, fitness now and today. */
function keyNumberLines(json: RunJson, period: { from: string; to: string }, units: Units, fresh: boolean): string[] {
  return [
    `${period.from} – ${period.to}: ${volumeCount(json)}, ${n(json.volume.hours, 1)} h, ${n(json.volume.weeklyLoad)} TSS a week.${riddenText(json.volume.distanceKm, units)}`,
    ...loadLines(json),
    `FTP ${n(json.athlete.ftp, 0, ' W')}${json.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}${wattsPerKgText(json.athlete.wattsPerKg, json.athlete.weightKg, units)} · eFTP ${n(json.athlete.eftp, 0, ' W')}`,
    ...latestRideLines(json, fresh),
    `Fitness CTL ${n(json.fitness.ctl, 1)} · fatigue ATL ${n(json.fitness.atl, 1)} · form TSB ${n(json.fitness.tsb, 1)}`,
    ...fitnessTodayLines(json, fresh),
  ];
}

/**
 * The answer to /analyze when nothing changed since the last analysis: the same numbers again,
 * from its run.json, without running (and without counting against the daily limit).
 */
export function resentSummaryText(run: RunRecord, json: RunJson, plan: Plan | null, today: string, units: Units = 'metric'): Reply {
  const lines = [
    `Nothing changed since your analysis of ${run.createdAt.toISOString().slice(0, 10)} — the same rides, profile and plan settings — so here it is again. This does not count against your daily analyses.`,
    '',
    ...keyNumberLines(json, json.period, units, false),
  ];
  const week = plan ? planWeek(plan, today) : null;
  if (week) lines.push('', weekText(week));
  lines.push('', 'The reports follow again. Send new rides or change your profile, and /analyze makes a new analysis.');
  const buttons = plan
    ? [
        [
          { label: "This week's plan", action: 'plan' },
          { label: 'Next week', action: 'plan:next' },
        ],
      ]
    : [];
  return { title: `Your analysis (run ${run.id.slice(0, 8)}), unchanged`, text: lines.join('\n'), buttons };
}

export function statusText(
  runId: string,
  done: Map<PhaseName, string>,
  current: PhaseName | null,
  detail: string | null,
  position: number | null,
): Reply {
  const lines = [`Analysis ${runId.slice(0, 8)}`];
  if (position !== null && position > 0 && done.size === 0 && current === null) lines.push(`Queued — ${position} ahead of you.`);
  for (const phase of PHASES) {
    const result = done.get(phase);
    const mark = result === 'done' ? '✓' : result === 'degraded' ? '!' : result === 'skipped' ? '–' : phase === current ? '…' : '·';
    lines.push(
      `${mark} ${PHASE_TITLES[phase]}${phase === current && detail ? ` — ${detail}` : ''}${result === 'degraded' ? ' (offline coach)' : ''}`,
    );
  }
  return { text: lines.join('\n') };
}

function weekText(week: PlanWeek): string {
  const lines = [`Week ${week.week} (${week.phase}) — ${n(week.plannedTss)} TSS, ${n(week.hours, 1)} h`];
  for (const day of week.days) {
    const label = `${day.weekday[0]!.toUpperCase()}${day.weekday.slice(1)} ${day.date.slice(5)}`;
    if (day.workouts.length === 0) lines.push(`${label}: rest`);
    for (const w of day.workouts)
      lines.push(
        `${label}: ${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${n(w.tss)}, IF ${n(w.intensityFactor, 2)}${w.intensity === 'hard' ? ' (hard)' : ''}`,
      );
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
  if (!week)
    return {
      text:
        offset > 0
          ? 'Your plan has no further week. Send new rides and /analyze for the next block.'
          : 'Your plan is over. Send new rides and /analyze for the next block.',
    };
  return { title: offset > 0 ? 'Next week' : 'This week', text: weekText(week) };
}

/** The summary after an analysis; `newSince`: activities stored since the previous analysis (null for the first). */
/** " 1,234.5 km ridden." after the volume line, in the athlete's units; '' without distance. */
function riddenText(distanceKm: number | null | undefined, units: Units): string {
  return distanceKm && distanceKm > 0 ? ` ${formatDistance(distanceKm * 1000, units)} ridden.` : '';
}

/** " · 3.79 W/kg at 154 lb": W/kg is W/kg everywhere, the weight in the athlete's units. */
function wattsPerKgText(wattsPerKg: number | null, weightKg: number | null, units: Units): string {
  if (!wattsPerKg) return '';
  return ` · ${n(wattsPerKg, 2, 'W/kg')}${weightKg ? ` at ${formatWeight(weightKg, units, 'chat')}` : ''}`;
}

/**
 * The summary after an analysis; `newSince`: activities stored since the previous analysis (null
 * for the first); distance and weight in the athlete's `units`.
 */
export function summaryText(result: RunResult, today: string, newSince: number | null = null, units: Units = 'metric'): Reply {
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
  const fields = [
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
  const buttons = model.plan
    ? [
        [
          { label: "This week's plan", action: 'plan' },
          { label: 'Next week', action: 'plan:next' },
        ],
      ]
    : [];
  return { title: `Your analysis is ready (run ${result.runId.slice(0, 8)})`, text: lines.join('\n'), fields, buttons };
}

/** Days after the latest ride from which the summary calls the history old (as the analysis does). */
const STALE_DAYS = 28;

/** The headline's count, in the words outside checks read ("N activities"): the rides; other sports follow apart (loadLines). */
function volumeCount(r: RunJson): string {
  return `${r.volume.activities} activities`;
}

const SPORT_NOUNS: Readonly<Record<string, [string, string]>> = {
  running: ['run', 'runs'],
  hiking: ['hike', 'hikes'],
  walking: ['walk', 'walks'],
  swimming: ['swim', 'swims'],
  e_biking: ['e-bike ride', 'e-bike rides'],
  rowing: ['row', 'rows'],
  paddling: ['paddle', 'paddles'],
};

/** '48 runs', '11 cross country skiing sessions'. */
function sportCount(sport: string, count: number): string {
  const noun = SPORT_NOUNS[sport];
  if (noun) return `${count} ${count === 1 ? noun[0] : noun[1]}`;
  return `${count} ${sport.replace(/_/g, ' ')} session${count === 1 ? '' : 's'}`;
}

/** Other sports, shown apart from the ride volume, and how much of the load is estimated. */
function loadLines(r: RunJson): string[] {
  const lines: string[] = [];
  const others = r.volume.otherSports ?? [];
  if (others.length > 0)
    lines.push(
      `Those are your rides; other sports apart: + ${others.map((o) => `${sportCount(o.sport, o.count)}, ${n(o.hours, 1)} h`).join(' · ')} (in the load where they have heart rate).`,
    );
  const estimated = r.warnings.find((w) => w.code === 'load-estimated');
  if (estimated) lines.push(estimated.message);
  return lines;
}

/** When the latest ride was, once it is weeks old: the figures line that follows is from that day. */
function latestRideLines(r: RunJson, current: boolean): string[] {
  const latest = r.latestRide;
  const today = r.fitnessToday?.date;
  if (!latest || !today || latest.daysAgo < STALE_DAYS) return [];
  return [
    `Your latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today)}${current ? '' : ` (on ${longDate(today)})`}. On that day:`,
  ];
}

/** Fitness, fatigue and form carried on to the run's day (faded without rides), labelled with it. */
function fitnessTodayLines(r: RunJson, current: boolean): string[] {
  const today = r.fitnessToday;
  if (!today || !r.fitness.date || today.date <= r.fitness.date) return [];
  const days = r.latestRide?.daysAgo ?? null;
  const since =
    days !== null && days > 0 && days < STALE_DAYS ? `, ${days} day${days === 1 ? '' : 's'} after your latest ride` : ', faded since';
  return [
    `As of ${current ? 'today, ' : ''}${longDate(today.date)}${since}: fitness CTL ${n(today.ctl, 1)} · fatigue ATL ${n(today.atl, 1)} · form TSB ${n(today.tsb, 1)}`,
  ];
}
