/**
 * What a monthly reminder says: a look back at the month from the stored rides — rides, hours,
 * load, fitness at its start and end, new best efforts, whether this month's rides were sent and
 * analysed — all by the athlete's own calendar days, and the message made of it.
 */
import { DateTime } from 'luxon';
import { isCycling } from '../domain/activity.js';
import { addDays, addMonths, zonedDate } from '../domain/calendar.js';
import { performanceManagementChart } from '../domain/metrics/index.js';
import { dailyLoads, rideLoads } from '../domain/training-load.js';
import type { AthleteStore, StoredActivity } from '../store/store.js';
import { buttonRow, type Reply } from './port.js';

export interface LookBack {
  label: string;
  from: string;
  to: string;
  rides: number;
  hours: number;
  load: number;
  ctlStart: number | null;
  ctlEnd: number | null;
  newBests: { label: string; watts: number; before: number | null }[];
  uploadedThisMonth: boolean;
  analysedThisMonth: boolean;
}

const BEST_LABELS: [number, string][] = [
  [5, '5 s'],
  [60, '1 min'],
  [300, '5 min'],
  [1200, '20 min'],
];

/**
 * The month to look back at: the last full calendar month when the reminder comes in the first
 * week of a month (the usual 1st-of-the-month case), else the current month so far.
 */
function monthToReview(today: string): { from: string; to: string; label: string; monthStart: string } {
  const monthStart = `${today.slice(0, 8)}01`;
  const fullMonth = Number(today.slice(8, 10)) <= 7;
  const from = fullMonth ? addMonths(monthStart, -1) : monthStart;
  const to = fullMonth ? addDays(monthStart, -1) : today;
  const label =
    new Date(`${from}T12:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }) +
    (fullMonth ? '' : ' so far');
  return { from, to, label, monthStart };
}

/** The best efforts of the month that beat everything before it (rides only). */
function newBestsOf(stored: readonly StoredActivity[], from: string, to: string, localDay: (d: Date) => string): LookBack['newBests'] {
  const bestIn = (pred: (date: string) => boolean, seconds: number) =>
    stored
      .filter((s) => isCycling(s.activity.sport) && pred(localDay(s.activity.startTime)))
      .reduce<number | null>((best, s) => {
        const w = s.metrics.powerCurve[seconds];
        return w !== undefined && (best === null || w > best) ? w : best;
      }, null);
  return BEST_LABELS.flatMap(([seconds, text]) => {
    const inMonth = bestIn((dt) => dt >= from && dt <= to, seconds);
    const before = bestIn((dt) => dt < from, seconds);
    return inMonth !== null && (before === null || inMonth > before)
      ? [{ label: text, watts: Math.round(inMonth), before: before === null ? null : Math.round(before) }]
      : [];
  });
}

/** The month in review for the athlete at `now`, by the days of `zone`. */
export async function lookBack(athlete: AthleteStore, now: Date, zone: string): Promise<LookBack> {
  const { from, to, label, monthStart } = monthToReview(zonedDate(now, zone));
  const localDay = (d: Date) => zonedDate(d, zone);

  const stored = await athlete.activitiesBetween(new Date(0), new Date(now.getTime() + 1));
  const loads = rideLoads(
    stored.map((s) => s.activity),
    await athlete.profileHistory(),
  );
  const inMonth = loads.filter((l) => localDay(l.activity.startTime) >= from && localDay(l.activity.startTime) <= to);
  const daily = dailyLoads(loads, (a) => localDay(a.startTime));
  const pmc =
    daily.length > 0 ? performanceManagementChart(daily, { start: daily[0]!.date, end: to < daily[0]!.date ? daily[0]!.date : to }) : [];
  // before the first ride there is no training load: fitness 0
  const ctlOn = (date: string) => (pmc.length === 0 ? null : (pmc.filter((p) => p.date <= date).at(-1)?.ctl ?? 0));

  // midnight of the 1st in the athlete's zone, not in UTC
  const startOfThisMonth = DateTime.fromISO(monthStart, { zone }).toJSDate();
  const uploads = await athlete.uploads();
  const runs = await athlete.runs();
  return {
    label,
    from,
    to,
    rides: inMonth.filter((l) => isCycling(l.activity.sport)).length,
    hours: inMonth.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0),
    load: inMonth.reduce((s, l) => s + (l.metrics.load ?? 0), 0),
    ctlStart: ctlOn(addDays(from, -1)),
    ctlEnd: ctlOn(to),
    newBests: newBestsOf(stored, from, to, localDay),
    uploadedThisMonth: uploads.some((u) => u.createdAt >= startOfThisMonth && u.new + u.merged > 0),
    analysedThisMonth: runs.some((r) => r.status === 'done' && r.createdAt >= startOfThisMonth),
  };
}

const f = (v: number | null, digits = 0) => (v === null ? '–' : v.toFixed(digits));

/** A month without rides is never "nothing to do": either the rides are not here yet, or it was a quiet month to restart from. */
function quietMonthReply(look: LookBack, title: string): Reply {
  const lines = [
    `${look.label}: no rides here yet.`,
    ...(look.ctlStart !== null && look.ctlEnd !== null && look.ctlStart > 0
      ? [
          `Fitness (CTL) ${f(look.ctlStart, 1)} → ${f(look.ctlEnd, 1)}: it fades without riding, and comes back quickly once you start again.`,
        ]
      : []),
    '',
    'If you rode, send me the files (.fit from your bike computer, or your Strava export) so that the month counts.',
    'If it was a quiet month — that happens. Let\'s plan the restart: /plan shows your workouts, and "Analyze now" makes a fresh plan from where you are.',
  ];
  return {
    title,
    text: lines.join('\n'),
    buttons: buttonRow(['Analyze now', 'analyze'], ["This week's plan", 'plan']),
  };
}

/** The reminder's message: the month in numbers, and what to do now (nothing, when the month's rides are in and analysed). */
export function reminderReply(look: LookBack, name: string): Reply {
  const title = `Hi ${name} — your month in review`;
  if (look.rides === 0) return quietMonthReply(look, title);
  const lines = [
    `${look.label}: ${look.rides} ride${look.rides === 1 ? '' : 's'}, ${f(look.hours, 1)} h, ${f(look.load)} TSS.`,
    look.ctlStart !== null && look.ctlEnd !== null
      ? `Fitness (CTL) ${f(look.ctlStart, 1)} → ${f(look.ctlEnd, 1)} (${look.ctlEnd >= look.ctlStart ? '+' : '−'}${f(Math.abs(look.ctlEnd - look.ctlStart), 1)}).`
      : 'No fitness trend yet.',
    ...(look.newBests.length > 0
      ? [`New bests: ${look.newBests.map((b) => `${b.label} ${b.watts} W${b.before !== null ? ` (was ${b.before} W)` : ''}`).join(', ')}.`]
      : []),
  ];
  if (look.uploadedThisMonth && look.analysedThisMonth) {
    lines.push('', "You already sent your rides and ran this month's analysis — nothing to do. Ride well!");
    return { title, text: lines.join('\n') };
  }
  lines.push('', 'Time for the monthly review: send me your new rides (.fit files or your Strava export), then analyse.');
  return { title, text: lines.join('\n'), buttons: [[{ label: 'Analyze now', action: 'analyze' }]] };
}
