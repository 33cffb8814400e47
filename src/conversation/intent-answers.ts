/**
 * The offline coach's answers to the questions intents.ts recognises, from the engine's numbers:
 * fitness / fatigue / form, last week's load against the plan, best efforts, FTP and eFTP, the
 * next workouts, whether to skip today's, and the zone split. (How far and how long the athlete
 * rode is in volume-question.ts.)
 */
import { addDays, daysBetween, utcDate } from '../domain/calendar.js';
import { ATL_DAYS, CTL_DAYS, type PmcDay } from '../domain/metrics/index.js';
import type { Plan } from '../domain/plan/types.js';
import type { RideLoad } from '../domain/training-load.js';
import type { FactSheet, FactSheetDetail } from '../orchestrator/fact-sheet.js';
import type { Intent } from './intents.js';
import { monthNumber } from './written-dates.js';

const f = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const signed = (v: number, digits = 1) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
const LABELS: [number, string][] = [
  [5, '5 s'],
  [60, '1 min'],
  [300, '5 min'],
  [1200, '20 min'],
  [3600, '60 min'],
];

export function formText(tsb: number): string {
  if (tsb > 15) return 'you are very fresh — good for a race or a test, but fitness will start to fade if it stays like this';
  if (tsb > 5) return 'you are fresh';
  if (tsb >= -10) return 'you are in balance: normal training';
  if (tsb >= -30) return 'you are carrying training fatigue — productive, as long as recovery days follow';
  return 'you are very fatigued: take two or three easy days before the next hard session';
}

/**
 * Form (TSB) going into `today`: the chart's own value on that day, or — after the last ride —
 * fitness and fatigue decayed over the days without load (TSB_t = CTL_{t−1} − ATL_{t−1}).
 */
export function formOn(pmc: readonly PmcDay[], today: string): number | null {
  const last = pmc.at(-1);
  if (!last) return null;
  if (today <= last.date) return (pmc.find((p) => p.date === today) ?? last).tsb;
  const idle = daysBetween(last.date, today) - 1;
  return last.ctl * Math.exp(-idle / CTL_DAYS) - last.atl * Math.exp(-idle / ATL_DAYS);
}

/** The TSS of the rides whose (UTC) day passes `inDays`. */
const loadOn = (loads: readonly RideLoad[], inDays: (date: string) => boolean) =>
  loads.filter((l) => inDays(utcDate(l.activity.startTime))).reduce((s, l) => s + (l.metrics.load ?? 0), 0);

/** "Should I skip today's workout?": today's plan against today's form. */
function answerSkip(pmc: readonly PmcDay[], plan: Plan | null, today: string): string {
  const tsb = formOn(pmc, today);
  const form = tsb === null ? '' : `Your form (TSB) today is ${f(tsb, 1)}: ${formText(tsb)}.`;
  if (!plan)
    return `You have no plan yet, so there is no workout to skip. ${form} Send your rides and /analyze for a plan.`
      .replace(/\s+/g, ' ')
      .trim();
  const days = plan.weeks.flatMap((w) => w.days);
  const todays = days.find((d) => d.date === today);
  const next = days.find((d) => d.date > today && d.workouts.length > 0);
  const nextText = next ? `${next.weekday[0]!.toUpperCase()}${next.weekday.slice(1)} ${next.date}` : null;
  if (!todays || todays.workouts.length === 0) {
    return [
      `Nothing is planned today (${today}): ${todays ? 'it is a rest day in your plan' : 'your plan does not cover today'}, so there is nothing to skip.`,
      form,
      next ? `Next: ${nextText}, ${next.workouts.map((w) => `${w.name} (${Math.round(w.durationMinutes)} min)`).join(' + ')}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  const workout = todays.workouts.map((w) => `${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${f(w.tss)}`).join('; ');
  const hard = todays.workouts.some((w) => w.intensity === 'hard');
  const lines = [`Today (${today}): ${workout}.`, form];
  if (tsb !== null && tsb < -30)
    lines.push(
      `Yes — skip it, or ride 30–45 min very easy instead (zone 1–2): you are deeply fatigued, and rest now makes the next sessions count.${nextText ? ` Pick the plan up again on ${nextText}.` : ''}`,
    );
  else if (tsb !== null && tsb < -20 && hard)
    lines.push(
      `Swap it rather than force it: fatigue this deep and a hard session do not go well together. Ride 45–60 min easy today${nextText ? ` and do it on ${nextText} if your legs feel fresh` : ''}.`,
    );
  else
    lines.push(
      `No — do it: your form can take it. Skip only if you are ill (fever, chest symptoms), injured or slept very badly; then rest${nextText ? ` and carry on with ${nextText}` : ''}.`,
    );
  return lines.filter(Boolean).join(' ');
}

/** "How fit am I?": fitness, fatigue and form today (faded since the latest ride), against four weeks earlier. */
function answerForm(pmc: readonly PmcDay[], loads: readonly RideLoad[], today: string): string {
  const now = pmc.at(-1);
  if (!now) return 'I have no training load yet to compute fitness and form: send me your rides.';
  const ago = pmc.find((p) => p.date === addDays(now.date, -28));
  const week = loadOn(loads, (d) => d > addDays(now.date, -7));
  // after the last ride, fitness and fatigue fade: the answer is about today, as the summary's "as of today" line
  const idle = today > now.date ? daysBetween(now.date, today) : 0;
  const ctlToday = now.ctl * Math.exp(-idle / CTL_DAYS);
  const atlToday = now.atl * Math.exp(-idle / ATL_DAYS);
  const tsbToday = formOn(pmc, today) ?? now.tsb;
  const lines = [
    idle > 0
      ? `Today (${today}), ${idle} day${idle === 1 ? '' : 's'} after your latest ride: fitness (CTL) ${f(ctlToday, 1)}, fatigue (ATL) ${f(atlToday, 1)}, form (TSB) ${f(tsbToday, 1)} — ${formText(tsbToday)}. On ${now.date} it was CTL ${f(now.ctl, 1)}, ATL ${f(now.atl, 1)}, TSB ${f(now.tsb, 1)}.`
      : `On ${now.date}: fitness (CTL) ${f(now.ctl, 1)}, fatigue (ATL) ${f(now.atl, 1)}, form (TSB) ${f(now.tsb, 1)} — ${formText(now.tsb)}.`,
    ago ? `Four weeks earlier CTL was ${f(ago.ctl, 1)} (${signed(now.ctl - ago.ctl)}).` : '',
    `The last 7 days brought ${f(week)} TSS${now.atl > now.ctl ? `, more than your fitness absorbs day to day (ATL ${f(now.atl, 1)} above CTL ${f(now.ctl, 1)}): that is why form is negative` : ''}.`,
  ];
  return lines.filter(Boolean).join(' ');
}

/** "Was last week too hard?": the last 7 days against the 4 weeks before, and the plan's week. */
function answerLastWeek(pmc: readonly PmcDay[], loads: readonly RideLoad[], plan: Plan | null, today: string): string {
  const end = pmc.at(-1)?.date ?? today;
  const start = addDays(end, -6);
  const week = loads.filter((l) => utcDate(l.activity.startTime) >= start && utcDate(l.activity.startTime) <= end);
  const tss = week.reduce((s, l) => s + (l.metrics.load ?? 0), 0);
  const hours = week.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0);
  const before = loadOn(loads, (d) => d >= addDays(start, -28) && d < start) / 4;
  const planned = plan?.weeks.find((w) => w.days.some((d) => d.date >= start && d.date <= end));
  const ratio = before > 0 ? tss / before : null;
  const verdict =
    ratio === null
      ? ''
      : ratio > 1.3
        ? ' That is a big jump: keep the next days easy.'
        : ratio < 0.6
          ? ' A light week — fine as recovery.'
          : ' A normal load for you.';
  return [
    `From ${start} to ${end}: ${week.length} activit${week.length === 1 ? 'y' : 'ies'}, ${f(hours, 1)} h, ${f(tss)} TSS.`,
    before > 0
      ? `Your weekly average over the 4 weeks before was ${f(before)} TSS (${signed(((tss - before) / before) * 100, 0)} %).${verdict}`
      : '',
    planned ? `The plan had ${f(planned.plannedTss)} TSS in week ${planned.week} (${planned.phase}).` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** "What are my best efforts?": all-time bests per duration, with the recent ones where they differ. */
function answerBests(sheet: FactSheet, loads: readonly RideLoad[]): string {
  const current = sheet.powerCurve.current;
  const allTime = new Map<number, { watts: number; date: string }>();
  for (const l of loads) {
    for (const [seconds] of LABELS) {
      const w = l.metrics.powerCurve[seconds];
      if (w !== undefined && w > (allTime.get(seconds)?.watts ?? -1))
        allTime.set(seconds, { watts: w, date: utcDate(l.activity.startTime) });
    }
  }
  if (allTime.size === 0) return 'I have no power data from your rides yet, so no best efforts: send rides recorded with a power meter.';
  const parts = LABELS.filter(([s]) => allTime.has(s)).map(([s, label]) => {
    const best = allTime.get(s)!;
    const recent = current[s];
    return `${label} ${f(best.watts)} W (${best.date})${recent !== undefined && Math.round(recent) !== Math.round(best.watts) ? `, ${f(recent)} W in the last ${sheet.period.months} months` : ''}`;
  });
  return `Your best efforts: ${parts.join('; ')}.`;
}

/** "What's my FTP?": the athlete's FTP and its history (since a month, when asked), eFTP and the 20-minute estimate. */
function answerFtp(sheet: FactSheet, today: string, question: string): string {
  const ftp = sheet.athlete.ftp;
  const history = sheet.athlete.ftpHistory.filter((h) => h.ftp !== null);
  const model = sheet.powerCurve.model;
  const twenty = sheet.powerCurve.ftpSuggestions.find((s) => s.method === 'best-20-min');
  const month = /\bsince\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/i.exec(question);
  const lines = [
    `Your FTP is ${f(ftp)} W${sheet.athlete.ftpSource === 'estimated' ? ' (estimated from your rides: tell me yours with "ftp 265")' : ''}${sheet.athlete.wattsPerKg ? ` (${f(sheet.athlete.wattsPerKg, 2)} W/kg)` : ''}.`,
  ];
  if (history.length > 1) lines.push(`It went ${history.map((h) => `${f(h.ftp)} W from ${h.from}`).join(', then ')}.`);
  if (month && history.length > 0) {
    const monthIndex = monthNumber(month[1]!) - 1;
    const year = today.slice(0, 4);
    const since = `${Number(today.slice(5, 7)) - 1 >= monthIndex ? year : String(Number(year) - 1)}-${String(monthIndex + 1).padStart(2, '0')}-01`;
    const then = [...history].reverse().find((h) => h.from <= since) ?? history[0]!;
    if (then.ftp !== null && ftp !== null)
      lines.push(`Since ${since} it changed from ${f(then.ftp)} W to ${f(ftp)} W (${signed(ftp - then.ftp, 0)} W).`);
  }
  if (model.eftp !== null) lines.push(`Your rides put critical power (eFTP) at ${f(model.eftp)} W (confidence ${model.confidence}).`);
  else lines.push(`No reliable eFTP: ${model.reason}`);
  if (twenty) lines.push(`95 % of your best 20 min gives ${f(twenty.watts)} W.`);
  return lines.join(' ');
}

/** "What's my next workout?": the next two days of the plan with workouts. */
function answerNextWorkout(plan: Plan | null, today: string): string {
  if (!plan) return 'You have no plan yet: send your rides and /analyze — the plan comes with the reports.';
  const upcoming = plan.weeks
    .flatMap((w) => w.days.map((d) => ({ ...d, week: w })))
    .filter((d) => d.date >= today && d.workouts.length > 0)
    .slice(0, 2);
  if (upcoming.length === 0) return 'Your plan has no more workouts: send new rides and /analyze for the next block.';
  return upcoming
    .map(
      (d) =>
        `${d.date === today ? 'Today' : d.date === addDays(today, 1) ? 'Tomorrow' : d.date} (${d.weekday}): ${d.workouts.map((w) => `${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${f(w.tss)}, IF ${f(w.intensityFactor, 2)}${w.description ? `: ${w.description}` : ''}`).join('; ')}.`,
    )
    .join(' ');
}

/** "How polarized is my training?": time in power zones (else heart-rate zones) over the period. */
function answerZones(sheet: FactSheet): string {
  const s = sheet.comparison.current;
  const total = s.powerZoneSeconds.reduce((a, b) => a + b, 0);
  if (total === 0) {
    const hr = s.heartRateZoneSeconds.reduce((a, b) => a + b, 0);
    if (hr === 0) return 'I have no power or heart-rate zones from your rides yet.';
    return `Heart-rate zones over ${sheet.period.from} – ${sheet.period.to}: ${s.heartRateZoneSeconds.map((x, i) => `Z${i + 1} ${f((x / hr) * 100)} %`).join(', ')}.`;
  }
  const p = s.polarization;
  return `Power zones over ${sheet.period.from} – ${sheet.period.to}: ${s.powerZoneSeconds.map((x, i) => `Z${i + 1} ${f((x / total) * 100)} %`).join(', ')}.${p ? ` Easy ${f(p.easy * 100)} %, moderate ${f(p.moderate * 100)} %, hard ${f(p.hard * 100)} %${p.easy < 0.7 ? ' — more moderate riding than a polarized plan would have' : ''}.` : ''}`;
}

/** The offline coach's answer to a recognised question (volume questions are answered by answerVolume). */
export function answerIntent(
  intent: Exclude<Intent, 'volume'>,
  detail: FactSheetDetail,
  plan: Plan | null,
  today: string,
  question = '',
): string {
  const { sheet, pmc, loads } = detail;
  switch (intent) {
    case 'skip':
      return answerSkip(pmc, plan, today);
    case 'form':
      return answerForm(pmc, loads, today);
    case 'last-week':
      return answerLastWeek(pmc, loads, plan, today);
    case 'bests':
      return answerBests(sheet, loads);
    case 'ftp':
      return answerFtp(sheet, today, question);
    case 'next-workout':
      return answerNextWorkout(plan, today);
    case 'zones':
      return answerZones(sheet);
  }
}
