/**
 * The offline coach's answers to the common questions, from the engine's numbers: fitness /
 * fatigue / form, last week's load against the plan, best efforts, FTP and eFTP, the next
 * workouts and the zone split. Anything else plainly needs a model.
 */
import { addDays } from '../domain/metrics/index.js';
import type { Plan } from '../domain/plan/types.js';
import type { FactSheetDetail } from '../orchestrator/fact-sheet.js';

export type Intent = 'form' | 'last-week' | 'bests' | 'ftp' | 'next-workout' | 'zones';

const PATTERNS: [Intent, RegExp][] = [
  ['next-workout', /\b(tomorrow|tonight|next\s+(workout|ride|session|training)|what\s+(should|shall|do)\s+i\s+(ride|do|train)|today'?s?\s+(workout|session|ride)|on\s+(the|my)\s+plan|ride\s+(today|tomorrow)|plan\s+for\s+(today|tomorrow|this\s+week))\b/i],
  ['last-week', /\b(last|past)\s+(week|7\s+days)\b|\bthis\s+week\b.*\b(hard|load|much|ride)|\b(too\s+(hard|much|easy)|overtrain|overdo)/i],
  ['zones', /\b(zones?|polari[sz]|intensity\s+(split|distribution|mix)|time\s+in\s+z|how\s+(much|often).*\b(easy|hard)\b|80\/20)/i],
  ['ftp', /\b(ftp|e-?ftp|threshold|critical\s+power|\bcp\b|w\s*prime|w′)\b/i],
  ['bests', /\b(best|pbs?|prs?|personal\s+(best|record)s?|records?|peaks?|max(imum|imal)?\s+power|power\s+curve|sprint|strongest)\b/i],
  ['form', /\b(fit(ness)?|fatigue[d]?|tired|form|fresh|ctl|atl|tsb|rested|recover(ed|y)|ready|shape)\b/i],
];

/**
 * A question rather than a statement: "Is my FTP of 250 too low?" must not set the FTP, and
 * "can I do the Marmotte on 2027-07-04" must not set an event date.
 */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t.includes('?')) return true;
  if (/^(how|what|what's|whats|why|when|which|who|where)\b/.test(t)) return true;
  return /^(is|are|was|were|am|do|does|did|should|shall|can|could|will|would|may|might|have|has|had)\s+(i|my|me|you|it|this|that|these|those|the|last|we|there|a|an)\b/.test(t);
}

export function detectIntent(question: string): Intent | null {
  for (const [intent, pattern] of PATTERNS) if (pattern.test(question)) return intent;
  return null;
}

export const NEEDS_MODEL =
  'Without a language model I can answer questions about your fitness, fatigue and form, last week\'s load against the plan, your best efforts, FTP and eFTP, your next workouts and your zone split — for example "how fit am I?", "was last week too hard?", "what should I ride tomorrow?". Other questions need a model: ask whoever runs this bot to set LLM_PROVIDER (anthropic or ollama).';

const f = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const signed = (v: number, digits = 1) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
const LABELS: [number, string][] = [[5, '5 s'], [60, '1 min'], [300, '5 min'], [1200, '20 min'], [3600, '60 min']];

function formText(tsb: number): string {
  if (tsb > 15) return 'you are very fresh — good for a race or a test, but fitness will start to fade if it stays like this';
  if (tsb > 5) return 'you are fresh';
  if (tsb >= -10) return 'you are in balance: normal training';
  if (tsb >= -30) return 'you are carrying training fatigue — productive, as long as recovery days follow';
  return 'you are very fatigued: take two or three easy days before the next hard session';
}

export function answerIntent(intent: Intent, detail: FactSheetDetail, plan: Plan | null, today: string, question = ''): string {
  const { sheet, pmc, loads } = detail;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  switch (intent) {
    case 'form': {
      const now = pmc.at(-1);
      if (!now) return 'I have no training load yet to compute fitness and form: send me your rides.';
      const ago = pmc.find((p) => p.date === addDays(now.date, -28));
      const week = loads.filter((l) => day(l.activity.startTime) > addDays(now.date, -7)).reduce((s, l) => s + (l.metrics.load ?? 0), 0);
      const lines = [
        `On ${now.date}: fitness (CTL) ${f(now.ctl, 1)}, fatigue (ATL) ${f(now.atl, 1)}, form (TSB) ${f(now.tsb, 1)} — ${formText(now.tsb)}.`,
        ago ? `Four weeks earlier CTL was ${f(ago.ctl, 1)} (${signed(now.ctl - ago.ctl)}).` : '',
        `The last 7 days brought ${f(week)} TSS${now.atl > now.ctl ? `, more than your fitness absorbs day to day (ATL ${f(now.atl, 1)} above CTL ${f(now.ctl, 1)}): that is why form is negative` : ''}.`,
      ];
      return lines.filter(Boolean).join(' ');
    }
    case 'last-week': {
      const end = pmc.at(-1)?.date ?? today;
      const start = addDays(end, -6);
      const week = loads.filter((l) => day(l.activity.startTime) >= start && day(l.activity.startTime) <= end);
      const tss = week.reduce((s, l) => s + (l.metrics.load ?? 0), 0);
      const hours = week.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0);
      const before = loads.filter((l) => day(l.activity.startTime) >= addDays(start, -28) && day(l.activity.startTime) < start).reduce((s, l) => s + (l.metrics.load ?? 0), 0) / 4;
      const planned = plan?.weeks.find((w) => w.days.some((d) => d.date >= start && d.date <= end));
      const ratio = before > 0 ? tss / before : null;
      const verdict = ratio === null ? '' : ratio > 1.3 ? ' That is a big jump: keep the next days easy.' : ratio < 0.6 ? ' A light week — fine as recovery.' : ' A normal load for you.';
      return [
        `From ${start} to ${end}: ${week.length} activit${week.length === 1 ? 'y' : 'ies'}, ${f(hours, 1)} h, ${f(tss)} TSS.`,
        before > 0 ? `Your weekly average over the 4 weeks before was ${f(before)} TSS (${signed(((tss - before) / before) * 100, 0)} %).${verdict}` : '',
        planned ? `The plan had ${f(planned.plannedTss)} TSS in week ${planned.week} (${planned.phase}).` : '',
      ].filter(Boolean).join(' ');
    }
    case 'bests': {
      const current = sheet.powerCurve.current;
      const allTime = new Map<number, { watts: number; date: string }>();
      for (const l of loads) {
        for (const [seconds] of LABELS) {
          const w = l.metrics.powerCurve[seconds];
          if (w !== undefined && w > (allTime.get(seconds)?.watts ?? -1)) allTime.set(seconds, { watts: w, date: day(l.activity.startTime) });
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
    case 'ftp': {
      const ftp = sheet.athlete.ftp;
      const history = sheet.athlete.ftpHistory.filter((h) => h.ftp !== null);
      const model = sheet.powerCurve.model;
      const twenty = sheet.powerCurve.ftpSuggestions.find((s) => s.method === 'best-20-min');
      const month = /\bsince\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/i.exec(question);
      const lines = [`Your FTP is ${f(ftp)} W${sheet.athlete.ftpSource === 'estimated' ? ' (estimated from your rides: tell me yours with "ftp 265")' : ''}${sheet.athlete.wattsPerKg ? ` (${f(sheet.athlete.wattsPerKg, 2)} W/kg)` : ''}.`];
      if (history.length > 1) lines.push(`It went ${history.map((h) => `${f(h.ftp)} W from ${h.from}`).join(', then ')}.`);
      if (month && history.length > 0) {
        const monthIndex = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(month[1]!.toLowerCase());
        const year = today.slice(0, 4);
        const since = `${Number(today.slice(5, 7)) - 1 >= monthIndex ? year : String(Number(year) - 1)}-${String(monthIndex + 1).padStart(2, '0')}-01`;
        const then = [...history].reverse().find((h) => h.from <= since) ?? history[0]!;
        if (then.ftp !== null && ftp !== null) lines.push(`Since ${since} it changed from ${f(then.ftp)} W to ${f(ftp)} W (${signed(ftp - then.ftp, 0)} W).`);
      }
      if (model.eftp !== null) lines.push(`Your rides put critical power (eFTP) at ${f(model.eftp)} W (confidence ${model.confidence}).`);
      else lines.push(`No reliable eFTP: ${model.reason}`);
      if (twenty) lines.push(`95 % of your best 20 min gives ${f(twenty.watts)} W.`);
      return lines.join(' ');
    }
    case 'next-workout': {
      if (!plan) return 'You have no plan yet: send your rides and /analyze — the plan comes with the reports.';
      const upcoming = plan.weeks.flatMap((w) => w.days.map((d) => ({ ...d, week: w }))).filter((d) => d.date >= today && d.workouts.length > 0).slice(0, 2);
      if (upcoming.length === 0) return 'Your plan has no more workouts: send new rides and /analyze for the next block.';
      return upcoming
        .map((d) => `${d.date === today ? 'Today' : d.date === addDays(today, 1) ? 'Tomorrow' : d.date} (${d.weekday}): ${d.workouts.map((w) => `${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${f(w.tss)}, IF ${f(w.intensityFactor, 2)}${w.description ? `: ${w.description}` : ''}`).join('; ')}.`)
        .join(' ');
    }
    case 'zones': {
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
  }
}
