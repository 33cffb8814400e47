/**
 * Monthly reminders: when each is due (croner's nextRun in the athlete's own time zone, so DST
 * and short months come out right), what it says (a look back at the month from the stored
 * rides), and the ticker that sends them — claiming each due reminder atomically in the
 * database, so that two bot processes never send one twice and a restart after downtime sends
 * exactly one catch-up.
 */
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { isCycling } from '../domain/activity.js';
import { addDays, performanceManagementChart } from '../domain/metrics/index.js';
import { dailyLoads, rideLoads } from '../domain/training-load.js';
import type { Logger } from '../logger.js';
import type { AthleteStore, DueReminder, Store } from '../store/store.js';
import type { ChatThread, Reply } from './port.js';
import { resolveTimeZone } from './profile-text.js';

export interface ReminderSchedule {
  /** 1–28, or `last`. */
  dayOfMonth: string;
  /** HH:MM, 24 h, in `timeZone`. */
  timeOfDay: string;
  timeZone: string;
}

export const DEFAULT_SCHEDULE = { dayOfMonth: '1', timeOfDay: '09:00' } as const;

/** The first reminder time strictly after `from`, or null for an impossible schedule. */
export function nextReminderAt(schedule: ReminderSchedule, from: Date): Date | null {
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(schedule.timeOfDay);
  const day = schedule.dayOfMonth === 'last' ? 'L' : /^([1-9]|1\d|2[0-8])$/.test(schedule.dayOfMonth) ? schedule.dayOfMonth : null;
  if (!time || !day) return null;
  try {
    return new Cron(`${Number(time[2])} ${Number(time[1])} ${day} * *`, { timezone: schedule.timeZone, paused: true }).nextRun(from);
  } catch {
    return null;
  }
}

/** What /reminders takes for the time, said when it gets something else. */
export const TIME_FORMAT = 'Write the time like 19:00 or 7pm (also 7:30pm, 07:30, noon).';

/**
 * A time of day as people write it — "19:00", "7pm", "7 pm", "7:30pm", "7.30", "19h", "noon",
 * "midnight" — as HH:MM (24 h); null for anything else ("25:00", "13pm", "soon"). A bare hour
 * is 24 h: "9" is 09:00 (the reply shows it, so a meant 9pm is seen).
 */
export function parseTimeOfDay(input: string): string | null {
  const t = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'noon' || t === 'midday') return '12:00';
  if (t === 'midnight') return '00:00';
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h)?$/.exec(t);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  const half = m[3]?.replace(/\./g, '');
  if (half === 'am' || half === 'pm') {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** `/reminders on|off`, `day 15|last`, `time 19:00|7pm`, `zone Europe/Berlin|Paris` — any combination. */
export function parseReminderArgs(args: string): {
  changes: Partial<{ enabled: boolean; dayOfMonth: string; timeOfDay: string; timeZone: string }>;
  errors: string[];
} {
  const changes: Partial<{ enabled: boolean; dayOfMonth: string; timeOfDay: string; timeZone: string }> = {};
  const errors: string[] = [];
  const text = args.trim().toLowerCase();
  // the zone goes first and is taken out: "zone Etc/GMT-1" must not read as a time or a day
  const zone = /\b(?:zone|tz|time\s*zone)\s+(\S+)(?:\s+(?!(?:time|day|on|off)\b)(\S+))?/i.exec(args); // the next keyword is never part of a city
  let rest = text;
  if (zone) {
    // "zone New York" (two words) or "zone Paris day 1": two words when together they name a zone
    const two = zone[2] ? resolveTimeZone(`${zone[1]} ${zone[2]}`) : null;
    const resolved = two ?? resolveTimeZone(zone[1]!);
    const taken = two ? zone[0] : zone[0].slice(0, zone[0].indexOf(zone[1]!) + zone[1]!.length);
    rest = text.slice(0, zone.index) + text.slice(zone.index + taken.length);
    if (resolved) changes.timeZone = resolved;
    else errors.push(`"${zone[1]!.slice(0, 40)}" is not a time zone I know; write your city (e.g. Paris) or a zone like Europe/Berlin.`);
  }
  if (/\b(on|yes|enable)\b/.test(rest)) changes.enabled = true;
  if (/\b(off|no|disable|stop)\b/.test(rest)) changes.enabled = false;
  const day = /\bday\s+(\S+)/.exec(rest);
  if (day) {
    if (day[1] === 'last' || /^([1-9]|1\d|2[0-8])$/.test(day[1]!)) changes.dayOfMonth = day[1]!;
    else errors.push('The day must be 1 to 28, or "last" (the last day of each month).');
  }
  // "time 7pm", "at 19:00" — or a time on its own ("/reminders 7pm")
  const time =
    /\b(?:time|at)\s+(\S+(?:\s*(?:am|pm|a\.m\.|p\.m\.))?)/.exec(rest) ??
    /(?:^|\s)(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})(?=\s|$)/.exec(rest);
  if (time) {
    const parsed = parseTimeOfDay(time[1]!);
    if (parsed) changes.timeOfDay = parsed;
    else errors.push(`"${time[1]!.slice(0, 20)}" is not a time I can read. ${TIME_FORMAT}`);
  }
  return { changes, errors };
}

/** A reminder time as the athlete reads it: "Thu 1 Oct 2026, 19:00 (Europe/Paris)", in their zone. */
export function formatReminderTime(date: Date, zone: string): string {
  const local = DateTime.fromJSDate(date, { zone });
  const shown = local.isValid ? local : DateTime.fromJSDate(date, { zone: 'UTC' });
  return `${shown.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')} (${shown.zoneName})`;
}

function zonedDate(date: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

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
export function lookBack(athlete: AthleteStore, now: Date, zone: string): LookBack {
  const today = zonedDate(now, zone);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const monthStart = `${today.slice(0, 8)}01`;
  const fullMonth = d <= 7;
  const from = fullMonth ? `${m === 1 ? y - 1 : y}-${String(m === 1 ? 12 : m - 1).padStart(2, '0')}-01` : monthStart;
  const to = fullMonth ? addDays(monthStart, -1) : today;
  const label =
    new Date(`${from}T12:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }) +
    (fullMonth ? '' : ' so far');

  const stored = athlete.activitiesBetween(new Date(0), new Date(now.getTime() + 1));
  const all = stored.map((s) => s.activity);
  const history = athlete.profileHistory();
  const loads = rideLoads(all, history);
  const day = (a: { startTime: Date }) => zonedDate(a.startTime, zone);
  const inMonth = loads.filter((l) => day(l.activity) >= from && day(l.activity) <= to);
  const daily = dailyLoads(loads, (a) => day(a));
  const pmc =
    daily.length > 0 ? performanceManagementChart(daily, { start: daily[0]!.date, end: to < daily[0]!.date ? daily[0]!.date : to }) : [];
  // before the first ride there is no training load: fitness 0
  const ctlOn = (date: string) => (pmc.length === 0 ? null : (pmc.filter((p) => p.date <= date).at(-1)?.ctl ?? 0));

  const bestIn = (pred: (date: string) => boolean, seconds: number) =>
    stored
      .filter((s) => isCycling(s.activity.sport) && pred(day(s.activity)))
      .reduce<number | null>((best, s) => {
        const w = s.metrics.powerCurve[seconds];
        return w !== undefined && (best === null || w > best) ? w : best;
      }, null);
  const newBests = BEST_LABELS.flatMap(([seconds, text]) => {
    const now_ = bestIn((dt) => dt >= from && dt <= to, seconds);
    const before = bestIn((dt) => dt < from, seconds);
    return now_ !== null && (before === null || now_ > before)
      ? [{ label: text, watts: Math.round(now_), before: before === null ? null : Math.round(before) }]
      : [];
  });

  // midnight of the 1st in the athlete's zone, not in UTC
  const startOfThisMonth = DateTime.fromISO(monthStart, { zone }).toJSDate();
  const uploads = athlete.uploads();
  return {
    label,
    from,
    to,
    rides: inMonth.filter((l) => isCycling(l.activity.sport)).length,
    hours: inMonth.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0),
    load: inMonth.reduce((s, l) => s + (l.metrics.load ?? 0), 0),
    ctlStart: ctlOn(addDays(from, -1)),
    ctlEnd: ctlOn(to),
    newBests,
    uploadedThisMonth: uploads.some((u) => u.createdAt >= startOfThisMonth && u.new + u.merged > 0),
    analysedThisMonth: athlete.runs().some((r) => r.status === 'done' && r.createdAt >= startOfThisMonth),
  };
}

export function reminderReply(look: LookBack, name: string): Reply {
  const f = (v: number | null, digits = 0) => (v === null ? '–' : v.toFixed(digits));
  const title = `Hi ${name} — your month in review`;
  if (look.rides === 0) {
    // A month without rides is never "nothing to do": either the rides are not here yet, or it was a quiet month to restart from.
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
      buttons: [
        [
          { label: 'Analyze now', action: 'analyze' },
          { label: "This week's plan", action: 'plan' },
        ],
      ],
    };
  }
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

/** A failure to deliver: `permanent` when the athlete blocked the bot or cannot be messaged. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** How the ticker reaches an athlete without an incoming message: each bot opens its own threads. */
export interface ChatDirectory {
  /** A thread for the chat identity (`telegram:<id>`), or null when that platform is not running here. */
  open(identityKey: string): ChatThread | null;
}

export interface TickResult {
  sent: number;
  disabled: number;
  failed: number;
  skipped: number;
}

export interface ReminderTickerOptions {
  store: Store;
  directory: ChatDirectory;
  clock: () => Date;
  /** Identifies this process in claims. */
  claimant: string;
  logger?: Logger;
  intervalMs?: number;
  /** Reminders claimed at a time (default 50). */
  batchSize?: number;
  /** Pause between two sends, to stay inside platform rate limits. */
  sendSpacingMs?: number;
  /** Told the outcome of every pass (metrics). */
  onTick?: (result: TickResult) => void;
}

export class ReminderTicker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<TickResult> | null = null;

  constructor(private readonly options: ReminderTickerOptions) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running ??= this.tick()
        .then((result) => {
          this.options.onTick?.(result);
          return result;
        })
        .catch((error: unknown) => {
          this.options.logger?.error({ err: error instanceof Error ? error : new Error(String(error)) }, 'reminder pass failed');
          return { sent: 0, disabled: 0, failed: 0, skipped: 0 };
        })
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.options.intervalMs ?? 60_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: claim what is due, send it, schedule the next one from now (one catch-up, not one per missed month). */
  async tick(): Promise<TickResult> {
    const { store, clock, claimant } = this.options;
    const now = clock();
    const result: TickResult = { sent: 0, disabled: 0, failed: 0, skipped: 0 };
    const tried = new Set<string>();
    // Claims come in batches; keep claiming until nothing new is due (a transient failure is
    // released and waits for the next pass rather than being retried in this one).
    for (;;) {
      const claimed: DueReminder[] = store.claimDueReminders(now, claimant, undefined, this.options.batchSize);
      const due = claimed.filter((r) => !tried.has(r.athleteId));
      for (const r of claimed)
        if (tried.has(r.athleteId)) store.completeReminder(r.athleteId, claimant, { sentAt: null, nextDueAt: r.nextDueAt });
      if (due.length === 0) break;
      for (const r of due) tried.add(r.athleteId);
      await this.send(due, now, result);
    }
    return result;
  }

  private async send(due: DueReminder[], now: Date, result: TickResult): Promise<void> {
    const { store, directory, claimant } = this.options;
    for (const reminder of due) {
      const athlete = store.athlete(reminder.athleteId);
      const next = nextReminderAt(reminder, now);
      const thread = reminder.channelKey ? directory.open(reminder.channelKey) : null;
      if (!thread) {
        // Another process runs that platform: leave the reminder to it (its claim lease expires).
        result.skipped += 1;
        continue;
      }
      try {
        const info = athlete.info();
        await thread.post(reminderReply(lookBack(athlete, now, reminder.timeZone), info.displayName));
        store.completeReminder(reminder.athleteId, claimant, { sentAt: now, nextDueAt: next });
        result.sent += 1;
      } catch (error) {
        if (error instanceof DeliveryError && error.permanent) {
          store.completeReminder(reminder.athleteId, claimant, { sentAt: null, nextDueAt: next, disabledReason: error.message });
          result.disabled += 1;
        } else {
          // Transient: release the claim, keep it due, try again on the next tick.
          store.completeReminder(reminder.athleteId, claimant, { sentAt: null, nextDueAt: reminder.nextDueAt });
          result.failed += 1;
        }
        this.options.logger?.warn(
          { athleteId: reminder.athleteId, err: error instanceof Error ? error : new Error(String(error)) },
          'reminder not delivered',
        );
      }
      if (this.options.sendSpacingMs) await new Promise((r) => setTimeout(r, this.options.sendSpacingMs));
    }
  }
}
