/**
 * The offline coach's answers to the common questions, from the engine's numbers: fitness /
 * fatigue / form, last week's load against the plan, best efforts, FTP and eFTP, how far and how
 * long the athlete rode in a period, the next workouts, whether to skip today's, and the zone
 * split. Small talk ("help", "thanks", "analyze") is recognised for the conversation to act on;
 * a question off cycling is said to be off-topic; anything else is said to be beyond the offline
 * coach.
 */
import { DateTime } from 'luxon';
import { isCycling } from '../domain/activity.js';
import { addDays, ATL_DAYS, CTL_DAYS, type PmcDay } from '../domain/metrics/index.js';
import type { Plan } from '../domain/plan/types.js';
import type { FactSheetDetail } from '../orchestrator/fact-sheet.js';
import { formatDistance, formatElevation, formatNumber, type Units } from '../report/format.js';

export type Intent = 'form' | 'last-week' | 'bests' | 'ftp' | 'volume' | 'skip' | 'next-workout' | 'zones';

const MONTH_WORDS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const PATTERNS: [Intent, RegExp][] = [
  // distance, time or ride counts over a period — before "last week", which asks about load
  [
    'volume',
    /\b(km|kms|kilomet(?:er|re)s?|miles?|mi|distance|how\s+far|mileage|how\s+many\s+(?:rides|hours|times|activities|km|kms|kilomet\w*|miles?)|total\s+(?:distance|hours|km|rides|climbing|elevation)|how\s+much\s+(?:climbing|elevation))\b/i,
  ],
  // "should I skip today's workout?", "can I take a rest day instead?" — before the next-workout question it resembles
  [
    'skip',
    /\b(skip|miss|cancel|postpone|bail\s+on)\b.*\b(workout|session|ride|training|intervals?|today|tomorrow|it)\b|\b(rest\s+day\s+instead|take\s+(?:a|the)\s+day\s+off|day\s+off\s+today|too\s+(?:tired|sore)\s+to\s+(?:ride|train))\b/i,
  ],
  [
    'next-workout',
    /\b(tomorrow|tonight|next\s+(workout|ride|session|training)|what\s+(should|shall|do)\s+i\s+(ride|do|train)|today'?s?\s+(workout|session|ride)|on\s+(the|my)\s+plan|ride\s+(today|tomorrow)|plan\s+for\s+(today|tomorrow|this\s+week))\b/i,
  ],
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
  return /^(is|are|was|were|am|do|does|did|should|shall|can|could|will|would|may|might|have|has|had)\s+(i|my|me|you|it|this|that|these|those|the|last|we|there|a|an)\b/.test(
    t,
  );
}

export function detectIntent(question: string): Intent | null {
  for (const [intent, pattern] of PATTERNS) if (pattern.test(question)) return intent;
  return null;
}

/** What the conversation does with a short message that is not about the athlete's data. */
export type SmallTalk = 'help' | 'thanks' | 'greeting' | 'analyze';

/**
 * "help", "thanks", "hi", "analyze my rides" — typed without a slash. Only short messages that
 * are nothing else: "help me pick a gear ratio?" is a question, not a call for /help.
 */
export function smallTalk(text: string): SmallTalk | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s!.?,…🙏👍]+$/u, '')
    .replace(/^(?:ok(?:ay)?|hey|so|please)[\s,]+/, '')
    .replace(/[\s,]+(?:please|pls|now|coach|mate)$/, '')
    .trim();
  if (t.length === 0 || t.length > 60) return null;
  if (
    /^(?:help|help me|\?|commands|menu|options|what can you do|what do you do|what can i (?:ask|say|do|send)(?: you)?|how does (?:this|it) work|how do i (?:use|start)(?: this| you)?|instructions)$/.test(
      t,
    )
  )
    return 'help';
  if (
    /^(?:analy[sz]e|analy[sz]e (?:my|the) (?:rides|data|training|activities|season)|(?:run|do|start) (?:an? |the |my )?analys[ie]s)$/.test(
      t,
    )
  )
    return 'analyze';
  if (
    /^(?:(?:great|perfect|cool|nice|awesome|ok|okay|got it|brilliant)[\s,!]+)?(?:thanks?|thank you|thx|ty|cheers|merci|danke|much appreciated)(?:\s+(?:a lot|so much|very much|again|for that|for the help|coach|mate))*$/.test(
      t,
    )
  )
    return 'thanks';
  if (
    /^(?:hi|hello|hey|hiya|yo|howdy|moin|hallo|bonjour|hola|good (?:morning|afternoon|evening))(?:\s+(?:there|coach|domestique|bot))?$/.test(
      t,
    )
  )
    return 'greeting';
  return null;
}

/**
 * Words of cycling, training and the athlete's body and data. A question with none of them is
 * off-topic ("what's the capital of France?"), whatever else it resembles.
 */
const ON_TOPIC_WORDS = [
  'bikes?',
  'cycl\\w*',
  'rides?',
  'riding',
  'rode',
  'ridden',
  'rider',
  'train\\w*',
  'workouts?',
  'sessions?',
  'intervals?',
  'races?',
  'racing',
  'events?',
  'sportives?',
  'fondo',
  'marmotte',
  'etape',
  'power',
  'watts?',
  'ftp',
  'e-?ftp',
  'cp',
  'hr',
  'heart',
  'pulse',
  'bpm',
  'cadence',
  'rpm',
  'saddle',
  'tyres?',
  'tires?',
  'wheels?',
  'gears?',
  'chain',
  'helmet',
  'cleats?',
  'shoes',
  'climb\\w*',
  'hills?',
  'mountains?',
  'cols?',
  'km',
  'kms',
  'kilomet\\w*',
  'miles?',
  'distance',
  'far',
  'speed',
  'pace',
  'zones?',
  'polari[sz]\\w*',
  'intensity',
  'tss',
  'ctl',
  'atl',
  'tsb',
  'fit',
  'fitness',
  'fatigue\\w*',
  'tired',
  'form',
  'fresh',
  'ready',
  'shape',
  'rested',
  'recover\\w*',
  'rest',
  'sleep\\w*',
  'sore',
  'legs?',
  'injur\\w*',
  'knees?',
  'sick',
  'ill',
  'nutrition',
  'eat\\w*',
  'food',
  'fuel\\w*',
  'carbs?',
  'protein',
  'hydrat\\w*',
  'drink\\w*',
  'weight',
  'kg',
  'lose',
  'stretch\\w*',
  'gym',
  'strength',
  'plan\\w*',
  'coach\\w*',
  'skip',
  'strava',
  'zwift',
  'garmin',
  'wahoo',
  'trainer',
  'turbo',
  'indoor',
  'outdoor',
  'pbs?',
  'prs?',
  'best',
  'records?',
  'peaks?',
  'threshold',
  'vo2\\w*',
  'sprint\\w*',
  'endurance',
  'tempo',
  'sweet\\s*spot',
  'taper\\w*',
  'base',
  'build',
  'easy',
  'hard',
  'load',
  'volume',
  'hours',
  'days',
  'week',
  'today',
  'tonight',
  'tomorrow',
  'yesterday',
  'data',
  'profile',
  'reports?',
  'analys[ie]s',
  // every word the intent patterns above listen for, so that none of their questions is taken for off-topic
  'overdo\\w*',
  'overtrain\\w*',
  'too\\s+much',
  'critical',
  'w\\s*prime',
  'strongest',
  'personal',
  'mileage',
  'elevation',
  'day\\s+off',
  'time\\s+in\\s+z\\w*',
  '80/20',
];
const ON_TOPIC = new RegExp(`\\b(?:${ON_TOPIC_WORDS.join('|')})\\b`, 'i');

/** A question about nothing the coach deals with: no word of cycling, training or the athlete's data. */
export function isOffTopic(question: string): boolean {
  return !ON_TOPIC.test(question);
}

const CAN_ANSWER =
  'I can answer questions about your fitness, fatigue and form, last week\'s load against the plan, your best efforts, FTP and eFTP, how far you rode (e.g. "how many km did I ride in August?"), your next workouts, whether to skip today\'s, and your zone split — for example "how fit am I?", "was last week too hard?", "should I skip today\'s workout?".';

/** A cycling question the offline coach has no answer for. Says nothing about configuration: that is for the operator (OPERATOR_HINT). */
export const NEEDS_MODEL = `That one I can't answer from your rides and plan. ${CAN_ANSWER}`;

/** A question that has nothing to do with cycling or training. */
export const OFF_TOPIC = `That's off-topic for me — I'm your cycling coach, and I answer from your rides and your plan. ${CAN_ANSWER}`;

/** For the operator's log (never for the athlete): how open questions get answered. */
export const OPERATOR_HINT =
  "a question outside the offline coach's topics was answered with its list of topics; set LLM_PROVIDER=anthropic (with ANTHROPIC_API_KEY) or LLM_PROVIDER=ollama to answer open questions with a model";

const f = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const signed = (v: number, digits = 1) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
const LABELS: [number, string][] = [
  [5, '5 s'],
  [60, '1 min'],
  [300, '5 min'],
  [1200, '20 min'],
  [3600, '60 min'],
];

function formText(tsb: number): string {
  if (tsb > 15) return 'you are very fresh — good for a race or a test, but fitness will start to fade if it stays like this';
  if (tsb > 5) return 'you are fresh';
  if (tsb >= -10) return 'you are in balance: normal training';
  if (tsb >= -30) return 'you are carrying training fatigue — productive, as long as recovery days follow';
  return 'you are very fatigued: take two or three easy days before the next hard session';
}

export interface VolumePeriod {
  /** First and last day, YYYY-MM-DD inclusive, in the athlete's time zone. */
  from: string;
  to: string;
  /** How the answer names it: "In August 2026", "This year so far (2026)". */
  phrase: string;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The period a volume question asks about: a month ("in August", "August 2025"), a year ("this
 * year", "last year", "in 2025"), this or last month or week, the last N days, or everything;
 * this year when it names none. A month without a year is the latest one that has begun.
 */
export function volumePeriod(question: string, today: string): VolumePeriod {
  const q = question.toLowerCase();
  const t = DateTime.fromISO(today, { zone: 'UTC' });
  const iso = (d: DateTime) => d.toISODate()!;
  const month = new RegExp(`\\b(${MONTH_WORDS})\\b\\.?(?:\\s+(\\d{4}))?`, 'i').exec(q);
  if (month && !/\bmay\s+i\b/.test(q)) {
    const index = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(month[1]!.slice(0, 3)) + 1;
    const year = month[2] ? Number(month[2]) : index <= t.month ? t.year : t.year - 1;
    const start = DateTime.fromObject({ year, month: index, day: 1 }, { zone: 'UTC' });
    const end = start.endOf('month') < t ? start.endOf('month') : t;
    const current = year === t.year && index === t.month;
    return { from: iso(start), to: iso(end), phrase: `In ${MONTH_NAMES[index - 1]} ${year}${current ? ' so far' : ''}` };
  }
  const days = /\b(?:last|past)\s+(\d{1,3})\s+days\b/.exec(q);
  if (days) return { from: iso(t.minus({ days: Number(days[1]) - 1 })), to: today, phrase: `In the last ${Number(days[1])} days` };
  if (/\blast\s+month\b/.test(q)) {
    const start = t.startOf('month').minus({ months: 1 });
    return { from: iso(start), to: iso(start.endOf('month')), phrase: `Last month (${MONTH_NAMES[start.month - 1]} ${start.year})` };
  }
  if (/\bthis\s+month\b/.test(q))
    return { from: iso(t.startOf('month')), to: today, phrase: `This month so far (${MONTH_NAMES[t.month - 1]} ${t.year})` };
  if (/\blast\s+week\b/.test(q)) {
    const start = t.startOf('week').minus({ weeks: 1 });
    return { from: iso(start), to: iso(start.plus({ days: 6 })), phrase: `Last week (${iso(start)} – ${iso(start.plus({ days: 6 }))})` };
  }
  if (/\bthis\s+week\b/.test(q))
    return { from: iso(t.startOf('week')), to: today, phrase: `This week so far (since Monday ${iso(t.startOf('week'))})` };
  if (/\blast\s+year\b/.test(q)) return { from: `${t.year - 1}-01-01`, to: `${t.year - 1}-12-31`, phrase: `In ${t.year - 1}` };
  const year = /\b(?:in|during|for)\s+(20\d\d)\b/.exec(q);
  if (year && Number(year[1]) <= t.year) {
    const y = Number(year[1]);
    return { from: `${y}-01-01`, to: y === t.year ? today : `${y}-12-31`, phrase: `In ${y}${y === t.year ? ' so far' : ''}` };
  }
  if (/\b(ever|all\s+time|in\s+total|altogether|since\s+(?:i\s+started|the\s+beginning))\b/.test(q))
    return { from: '0000-01-01', to: today, phrase: 'Over everything you have sent me' };
  return { from: `${t.year}-01-01`, to: today, phrase: `This year so far (${t.year})` };
}

/** Metric or imperial, as the athlete chose (the one formatting module, src/report/format.ts, converts). */
export type { Units };

/**
 * Distance, time, climbing and number of rides in the period (rides only: runs and other sports
 * are counted apart), in the athlete's units. Days are the athlete's (their time zone).
 */
export function answerVolume(
  period: VolumePeriod,
  activities: readonly {
    sport: string;
    startTime: Date;
    distanceMeters: number | null;
    movingSeconds: number | null;
    timerSeconds: number | null;
    ascentMeters: number | null;
  }[],
  zone: string,
  units: Units,
): string {
  const dayOf = (d: Date) => DateTime.fromJSDate(d, { zone }).toISODate() ?? d.toISOString().slice(0, 10);
  const inPeriod = activities.filter((a) => {
    const d = dayOf(a.startTime);
    return d >= period.from && d <= period.to;
  });
  const rides = inPeriod.filter((a) => isCycling(a.sport));
  const others = inPeriod.length - rides.length;
  const note = others > 0 ? ` (${others} other ${others === 1 ? 'activity' : 'activities'}, such as runs, not counted.)` : '';
  if (rides.length === 0)
    return `${period.phrase} I have no rides from you.${note} If you rode, send me the files (.fit from your bike computer, or your Strava export) and ask again.`;
  const metres = rides.reduce((s, a) => s + (a.distanceMeters ?? 0), 0);
  const hours = rides.reduce((s, a) => s + (a.movingSeconds ?? a.timerSeconds ?? 0), 0) / 3600;
  const climb = rides.reduce((s, a) => s + (a.ascentMeters ?? 0), 0);
  const distance = formatDistance(metres, units, 'chat');
  const climbing = climb > 0 ? `, ${formatElevation(climb, units, 'chat')} of climbing` : '';
  return `${period.phrase} you rode ${distance}: ${rides.length} ${rides.length === 1 ? 'ride' : 'rides'}, ${formatNumber(hours, 1, 'chat')} h${climbing}.${note}`;
}

/**
 * Form (TSB) going into `today`: the chart's own value on that day, or — after the last ride —
 * fitness and fatigue decayed over the days without load (TSB_t = CTL_{t−1} − ATL_{t−1}).
 */
export function formOn(pmc: readonly PmcDay[], today: string): number | null {
  const last = pmc.at(-1);
  if (!last) return null;
  if (today <= last.date) return (pmc.find((p) => p.date === today) ?? last).tsb;
  const idle = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${last.date}T00:00:00Z`)) / 86_400_000) - 1;
  return last.ctl * Math.exp(-idle / CTL_DAYS) - last.atl * Math.exp(-idle / ATL_DAYS);
}

export function answerIntent(
  intent: Exclude<Intent, 'volume'>,
  detail: FactSheetDetail,
  plan: Plan | null,
  today: string,
  question = '',
): string {
  const { sheet, pmc, loads } = detail;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  switch (intent) {
    case 'skip': {
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
    case 'form': {
      const now = pmc.at(-1);
      if (!now) return 'I have no training load yet to compute fitness and form: send me your rides.';
      const ago = pmc.find((p) => p.date === addDays(now.date, -28));
      const week = loads.filter((l) => day(l.activity.startTime) > addDays(now.date, -7)).reduce((s, l) => s + (l.metrics.load ?? 0), 0);
      // after the last ride, fitness and fatigue fade: the answer is about today, as the summary's "as of today" line
      const idle = today > now.date ? Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${now.date}T00:00:00Z`)) / 86_400_000) : 0;
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
    case 'last-week': {
      const end = pmc.at(-1)?.date ?? today;
      const start = addDays(end, -6);
      const week = loads.filter((l) => day(l.activity.startTime) >= start && day(l.activity.startTime) <= end);
      const tss = week.reduce((s, l) => s + (l.metrics.load ?? 0), 0);
      const hours = week.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0);
      const before =
        loads
          .filter((l) => day(l.activity.startTime) >= addDays(start, -28) && day(l.activity.startTime) < start)
          .reduce((s, l) => s + (l.metrics.load ?? 0), 0) / 4;
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
    case 'bests': {
      const current = sheet.powerCurve.current;
      const allTime = new Map<number, { watts: number; date: string }>();
      for (const l of loads) {
        for (const [seconds] of LABELS) {
          const w = l.metrics.powerCurve[seconds];
          if (w !== undefined && w > (allTime.get(seconds)?.watts ?? -1))
            allTime.set(seconds, { watts: w, date: day(l.activity.startTime) });
        }
      }
      if (allTime.size === 0)
        return 'I have no power data from your rides yet, so no best efforts: send rides recorded with a power meter.';
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
      const lines = [
        `Your FTP is ${f(ftp)} W${sheet.athlete.ftpSource === 'estimated' ? ' (estimated from your rides: tell me yours with "ftp 265")' : ''}${sheet.athlete.wattsPerKg ? ` (${f(sheet.athlete.wattsPerKg, 2)} W/kg)` : ''}.`,
      ];
      if (history.length > 1) lines.push(`It went ${history.map((h) => `${f(h.ftp)} W from ${h.from}`).join(', then ')}.`);
      if (month && history.length > 0) {
        const monthIndex = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(
          month[1]!.toLowerCase(),
        );
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
    case 'next-workout': {
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
