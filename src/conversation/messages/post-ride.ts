/**
 * The message after each new ride (synced from intervals.icu or Strava, or uploaded): its key
 * numbers, how it went against the plan, the form it leaves, and what the plan changed — one
 * message. And the words of a backfill: its progress (one message, edited) and its summary.
 */
import { DateTime } from 'luxon';
import { longDate, zonedDate } from '../../domain/calendar.js';
import type { PlanChange, WorkoutMatch } from '../../domain/coaching/types.js';
import { intensityFactor, trainingStressScore } from '../../domain/metrics/activity-metrics.js';
import type { StoredActivity } from '../../store/records.js';
import { formText } from '../intent-answers.js';
import type { Reply } from '../port.js';
import { complianceLine, dayNameOf, planChangedText } from './coaching.js';
import { count, formatDistance, formatDuration, quantity as n } from './format.js';

/** One new ride and what it did, as the post-ride message says it. */
export interface PostRide {
  activity: StoredActivity;
  /** The ride against the plan; null: no plan, or outside it. */
  match: WorkoutMatch | null;
  /** Fitness, fatigue and form after this ride. */
  form: { ctl: number; atl: number; tsb: number } | null;
  /** What the plan changed because of it. */
  changes: readonly PlanChange[];
  ftpNote: string | null;
  units: 'metric' | 'imperial';
  /** 'intervals.icu' | 'Strava' | null (an upload). */
  source: string | null;
  /** The FTP valid on the ride's day: its TSS and IF when no planned workout was matched (they come from the match otherwise). */
  ftp?: number | null;
  /** The athlete has a current plan: a ride without a match then falls outside it ("Not in your plan"). */
  hasPlan?: boolean;
  /** The athlete's zone, for the ride's day (UTC when absent; a match carries its own local day). */
  timeZone?: string;
}

const sportLabel = (sport: string) => sport.replace(/_/g, ' ');

/** "Tuesday 22 Sep" for a YYYY-MM-DD date. */
function dayText(date: string): string {
  return `${dayNameOf(date)} ${longDate(date).replace(/ \d{4}$/, '')}`;
}

/** The ride's title: its name (or "Ride", or the sport for other sports) · its weekday and date. */
function titleOf(ride: PostRide): string {
  const a = ride.activity.activity;
  const name = a.name?.trim() || (a.sport === 'cycling' ? 'Ride' : sportLabel(a.sport).replace(/^./, (c) => c.toUpperCase()));
  const date = ride.match?.rideDate ?? zonedDate(a.startTime, ride.timeZone ?? 'UTC');
  return `${name} · ${dayText(date)}`;
}

/** The key numbers, name → value with unit: Discord's card, and the first line of the text. */
function keyNumbers(ride: PostRide): { name: string; value: string }[] {
  const { activity: a, metrics: m } = ride.activity;
  const fields: { name: string; value: string }[] = [];
  const moving = m.movingSeconds ?? a.movingSeconds ?? a.timerSeconds;
  if (moving !== null && moving > 0) fields.push({ name: 'Duration', value: formatDuration(moving) });
  const distance = formatDistance(a.distanceMeters, ride.units);
  if (distance) fields.push({ name: 'Distance', value: distance });
  const estimated = !m.hasCyclingPower && a.power === 'estimated' && (a.avgPower !== null || a.normalizedPower !== null);
  if (m.hasCyclingPower) {
    if (m.avgPower !== null) fields.push({ name: 'Avg power', value: n(m.avgPower, 0, 'W') });
    if (m.normalizedPower !== null) fields.push({ name: 'NP', value: n(m.normalizedPower, 0, 'W') });
  } else if (estimated) {
    const watts = a.avgPower ?? a.normalizedPower;
    fields.push({ name: 'Avg power (estimated)', value: n(watts, 0, 'W') });
  }
  const load = loadOf(ride, moving, estimated);
  if (load.tss !== null) fields.push({ name: load.estimated ? 'TSS (estimated)' : 'TSS', value: n(load.tss) });
  if (load.intensity !== null) fields.push({ name: 'IF', value: n(load.intensity, 2) });
  if (m.avgHeartRate !== null) fields.push({ name: 'Avg heart rate', value: n(m.avgHeartRate, 0, 'bpm') });
  return fields;
}

/** TSS and IF: the match's (the load the plan counts), else from NP (or Strava's estimate) and the FTP, else the head unit's. */
function loadOf(ride: PostRide, moving: number | null, estimated: boolean) {
  const { activity: a, metrics: m } = ride.activity;
  if (ride.match) return { tss: ride.match.session.doneTss, intensity: ride.match.session.doneIf, estimated: false };
  const ftp = ride.ftp ?? null;
  const np = m.hasCyclingPower ? m.normalizedPower : estimated ? (a.normalizedPower ?? a.avgPower) : null;
  const tss = trainingStressScore(np, moving, ftp) ?? a.device?.tss ?? null;
  const intensity = intensityFactor(np, ftp) ?? a.device?.intensityFactor ?? null;
  return { tss, intensity, estimated };
}

/** The key numbers in words, one line: "1:05 h · 32.4 km · avg 215 W, NP 231 W · 78 TSS, IF 0.86". */
function keyNumbersLine(ride: PostRide, fields: readonly { name: string; value: string }[]): string {
  const value = (name: string) => fields.find((f) => f.name === name)?.value;
  const parts: string[] = [];
  for (const name of ['Duration', 'Distance']) if (value(name)) parts.push(value(name)!);
  const avg = value('Avg power');
  const np = value('NP');
  const guessed = value('Avg power (estimated)');
  if (avg || np) parts.push([avg ? `avg ${avg}` : '', np ? `NP ${np}` : ''].filter(Boolean).join(', '));
  else if (guessed) parts.push(`avg ${guessed} (Strava's estimate: no power meter)`);
  else parts.push('no power in this ride');
  const tss = value('TSS') ?? value('TSS (estimated)');
  const intensity = value('IF');
  if (tss || intensity) parts.push([tss ? `${tss} TSS` : '', intensity ? `IF ${intensity}` : ''].filter(Boolean).join(', '));
  if (value('Avg heart rate')) parts.push(`avg HR ${value('Avg heart rate')!}`);
  return `${parts.join(' · ')}.`;
}

/** "Form: fitness (CTL) 54.0, fatigue (ATL) 61.2, form (TSB) -7.2 — you are in balance: normal training." */
function formLine(form: NonNullable<PostRide['form']>): string {
  return `Form: fitness (CTL) ${n(form.ctl, 1)}, fatigue (ATL) ${n(form.atl, 1)}, form (TSB) ${n(form.tsb, 1)} — ${formText(form.tsb)}.`;
}

/**
 * The post-ride message, one message: the ride's name and day as the title; its key numbers; how it
 * went against the plan (or that it is not in the plan); the form it leaves; what the plan changed;
 * where it came from when a service sent it. `fields` hold the key numbers for Discord's card.
 */
export function postRideReply(ride: PostRide): Reply {
  const fields = keyNumbers(ride);
  const lines = [keyNumbersLine(ride, fields)];
  if (ride.match) lines.push(complianceLine(ride.match));
  else if (ride.hasPlan) lines.push("Not in your plan: it falls outside your plan's weeks.");
  if (ride.form) lines.push(formLine(ride.form));
  const changed = planChangedText(ride.changes, ride.ftpNote);
  if (changed) lines.push(changed);
  if (ride.source) lines.push(`(from ${ride.source})`);
  return { title: titleOf(ride), text: lines.join('\n'), fields };
}

/** "Tue 14:05" in the athlete's zone. */
function clockText(at: Date, timeZone: string): string {
  const shown = DateTime.fromJSDate(at, { zone: timeZone });
  return (shown.isValid ? shown : DateTime.fromJSDate(at, { zone: 'UTC' })).setLocale('en-GB').toFormat('ccc HH:mm');
}

/** The backfill's progress message (edited as it goes): rides fetched of those found, and a wait the service asked for. */
export function backfillProgressText(p: {
  service: string;
  done: number;
  total: number | null;
  waitingUntil: Date | null;
  timeZone: string;
}): string {
  const sofar =
    p.total === null
      ? `looking for your rides — ${count(p.done)} fetched so far`
      : `fetching your rides — ${count(p.done)} of ${count(p.total)} so far`;
  const wait = p.waitingUntil
    ? ` ${p.service} limits how fast I may fetch: I continue at ${clockText(p.waitingUntil, p.timeZone)}, by myself.`
    : '';
  return `${p.service}: ${sofar}.${wait} New rides still come as they happen, and you can use me meanwhile.`;
}

/** The backfill's end: what was fetched, what was new, and what the plan did with it. */
export function backfillSummaryText(s: {
  service: string;
  fetched: number;
  newRides: number;
  alreadyHere: number;
  notRides: number;
  failed: number;
  planChanged: string | null;
}): string {
  const plural = (k: number, one: string, many: string) => `${count(k)} ${k === 1 ? one : many}`;
  const parts = [plural(s.newRides, 'new ride', 'new rides')];
  if (s.alreadyHere > 0) parts.push(`${count(s.alreadyHere)} already here`);
  if (s.notRides > 0)
    parts.push(`${plural(s.notRides, 'activity', 'activities')} that ${s.notRides === 1 ? 'is' : 'are'} not a ride, skipped`);
  if (s.failed > 0) parts.push(`${count(s.failed)} that could not be read`);
  const lines = [
    `${s.service}: done — ${plural(s.fetched, 'activity', 'activities')} looked at: ${parts.join(', ')}.`,
    s.newRides > 0
      ? '/activities lists them; /analyze reads your history and plans the next weeks.'
      : 'Nothing new to add: your history here was already complete.',
  ];
  if (s.planChanged) lines.push(s.planChanged);
  return lines.join('\n');
}
