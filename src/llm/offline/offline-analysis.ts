/**
 * The offline coach's rules for the performance analysis: the same JSON a model writes, from the
 * numbers alone. Every sentence quotes the figures it rests on.
 */
import { longDate, timeAgo } from '../../domain/calendar.js';
import { wholePercentages } from '../../domain/metrics/shares.js';
import { powerProfile, TYPICAL_RATIO_TO_FTP } from '../../domain/plan/power-profile.js';
import type { PowerAbility } from '../../domain/plan/types.js';
import { STALE_DAYS } from '../../domain/stale-history.js';
import { RECOMMEND, type LimiterArea } from './offline-recommendations.js';

interface Change {
  current: number | null;
  previous: number | null;
  difference: number | null;
  percent: number | null;
}

export interface AnalysisFacts {
  summary?: {
    period?: { from: string; to: string; months: number };
    summary?: {
      activityCount: number;
      hours: number;
      ridesPerWeek: number;
      weeklyLoad: number;
      averageNormalizedPower: number | null;
      weeks: number;
    };
    fitness?: {
      date?: string;
      ctl: number;
      atl: number;
      tsb: number;
      rampRate: number | null;
      ctl12WeeksAgo: number | null;
      peakCtl: number;
      peakCtlDate: string;
    } | null;
    /** The same PMC carried on to the run's day (faded without rides). */
    fitnessToday?: { date: string; ctl: number; atl: number; tsb: number } | null;
    latestRide?: { date: string; daysAgo: number } | null;
    warnings?: { code: string; message: string }[];
  };
  curve?: {
    current?: Record<string, number>;
    previous?: Record<string, number>;
    ftp?: number | null;
    model?: { cp: number | null; wPrimeKj: number | null; eftp: number | null; confidence: string; reason: string };
    ftpSuggestions?: { method: string; watts: number; basis: string; confidence: string; differenceWatts: number | null }[];
  };
  comparison?: { months: number; changes?: Record<string, Change>; powerCurveChanges?: Record<string, Change> };
  zones?: { current?: { polarization: { basis: string; easy: number; moderate: number; hard: number } | null } };
  profile?: {
    ftp: number | null;
    ftpSource: string;
    weightKg: number | null;
    goals: string | null;
    eventDate: string | null;
    weeklyHours: number | null;
  };
}

export interface OfflineAnalysis {
  summary: string;
  keyTrends: string[];
  strengths: { title: string; detail: string }[];
  limiters: {
    title: string;
    detail: string;
    area: LimiterArea;
  }[];
  insights: string[];
  recommendations: { shortTerm: string[]; longTerm: string[]; recovery: string[] };
}

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (c: Change | undefined) => (c?.percent === null || c?.percent === undefined ? null : c.percent);
const signed = (v: number, digits = 0) => `${v >= 0 ? '+' : '−'}${fmt(Math.abs(v), digits)}`;

/**
 * The durations the offline coach reads strengths and limiters from, in curve order. The typical
 * ratio to FTP at each (what a well-rounded rider shows) and the limiter threshold are the plan
 * engine's: one table, TYPICAL_RATIO_TO_FTP, scored by powerProfile (src/domain/plan/power-profile.ts).
 * The 60 min endurance ratio is left to the aerobic-base rule below (CTL), as before.
 */
const PROFILE_LABELS = {
  sprint: 'Sprint (5 s)',
  anaerobic: 'Anaerobic capacity (1 min)',
  vo2max: 'VO2max (5 min)',
  threshold: 'Threshold (20 min)',
} as const satisfies Partial<Record<PowerAbility, string>>;
type ProfileArea = keyof typeof PROFILE_LABELS;
const PROFILE = (Object.keys(PROFILE_LABELS) as ProfileArea[]).map((area) => ({
  area,
  seconds: TYPICAL_RATIO_TO_FTP[area].seconds,
  label: PROFILE_LABELS[area],
}));

type Strength = OfflineAnalysis['strengths'][number];
type Limiter = OfflineAnalysis['limiters'][number];

/** What every part of the analysis reads from the facts. */
interface Reading {
  facts: AnalysisFacts;
  s: NonNullable<AnalysisFacts['summary']>['summary'];
  fitness: NonNullable<NonNullable<AnalysisFacts['summary']>['fitness']> | null;
  hours: Change | undefined;
  ftp: number | null;
  months: number;
  latest: { date: string; daysAgo: number } | null;
  today: { date: string; ctl: number; atl: number; tsb: number } | null;
  stale: boolean;
  /** "over the last 6 months", or for old history "in the 6 months to 3 Aug 2025". */
  window: string;
  /** Today's form (faded), else the latest ride's. */
  form: { ctl: number; tsb: number } | null;
}

function read(facts: AnalysisFacts): Reading {
  const fitness = facts.summary?.fitness ?? null;
  const months = facts.comparison?.months ?? facts.summary?.period?.months ?? 6;
  // Old history is dated, not called "the last months"; form is today's (faded), not the latest ride's.
  const latest = facts.summary?.latestRide ?? null;
  const today = facts.summary?.fitnessToday ?? null;
  const stale = latest !== null && latest.daysAgo >= STALE_DAYS;
  const periodEnd = facts.summary?.period?.to;
  return {
    facts,
    s: facts.summary?.summary,
    fitness,
    hours: facts.comparison?.changes?.hours,
    ftp: facts.curve?.ftp ?? facts.profile?.ftp ?? null,
    months,
    latest,
    today,
    stale,
    window: stale && periodEnd ? `in the ${months} months to ${longDate(periodEnd)}` : `over the last ${months} months`,
    form: today ?? fitness,
  };
}

function keyTrends(r: Reading): string[] {
  const { s, fitness, hours, months, window } = r;
  const trends: string[] = [];
  if (hours && hours.current !== null) {
    const p = pct(hours);
    trends.push(
      `Volume: ${fmt(hours.current, 1)} h of riding ${window}${p === null ? '' : ` (${signed(p)} % against the ${months} months before, ${fmt(hours.previous, 1)} h)`}, ${fmt(s?.ridesPerWeek, 1)} rides a week.`,
    );
  }
  const weekly = r.facts.comparison?.changes?.weeklyLoad;
  if (weekly && weekly.current !== null) {
    const p = pct(weekly);
    trends.push(`Training load: ${fmt(weekly.current)} TSS a week${p === null ? '' : ` (${signed(p)} %)`}.`);
  }
  if (fitness) {
    const delta = fitness.ctl12WeeksAgo === null ? null : fitness.ctl - fitness.ctl12WeeksAgo;
    trends.push(
      `Fitness: CTL ${fmt(fitness.ctl, 1)}${delta === null ? '' : ` (${signed(delta, 1)} in 12 weeks)`}, fatigue ATL ${fmt(fitness.atl, 1)}, form TSB ${fmt(fitness.tsb, 1)}; peak CTL ${fmt(fitness.peakCtl, 1)} on ${fitness.peakCtlDate}.`,
    );
  }
  const curveChanges = r.facts.comparison?.powerCurveChanges ?? {};
  const powerTrend = PROFILE.map(({ seconds, label }) => {
    const c = curveChanges[String(seconds)];
    if (!c || c.current === null) return null;
    const p = pct(c);
    return `${label.split(' (')[0]} ${fmt(c.current)} W${p === null ? '' : ` (${signed(p, 1)} %)`}`;
  }).filter((x): x is string => x !== null);
  if (powerTrend.length > 0) trends.push(`Best powers: ${powerTrend.join(', ')}.`);
  if (trends.length === 0) trends.push('There are too few rides in the period to show trends.');
  return trends;
}

/** Strengths and limiters from the power profile relative to FTP (the plan engine's table and scores). */
function profileFindings(r: Reading): { strengths: Strength[]; limiters: Limiter[] } {
  const strengths: Strength[] = [];
  const limiters: Limiter[] = [];
  const ftp = r.ftp;
  const current = r.facts.curve?.current ?? {};
  if (!ftp) return { strengths, limiters };
  const profile = powerProfile(
    Object.fromEntries(
      PROFILE.flatMap((p) => (current[String(p.seconds)] === undefined ? [] : [[p.seconds, current[String(p.seconds)]!]])),
    ),
    ftp,
  );
  const scored = PROFILE.flatMap((p) =>
    profile.scores[p.area] === undefined ? [] : [{ ...p, watts: current[String(p.seconds)]!, score: profile.scores[p.area]! }],
  ).sort((a, b) => b.score - a.score);
  if (scored.length < 2) return { strengths, limiters };
  const top = scored[0]!;
  const relation =
    top.score >= 1
      ? `${fmt((top.score - 1) * 100)} % above a well-rounded rider's profile`
      : `your strongest duration relative to a well-rounded rider's profile (${fmt((1 - top.score) * 100)} % below it, the smallest gap)`;
  strengths.push({
    title: top.label,
    detail: `Best ${top.label.toLowerCase()} power ${fmt(top.watts)} W is ${fmt(top.watts / ftp, 2)}× FTP (${fmt(ftp)} W) — ${relation}.`,
  });
  // powerProfile's limiters (below 95 % of typical), weakest first; the strongest duration is never also a limiter.
  const [first, second] = profile.limiters.filter((a) => a !== top.area).map((a) => scored.find((p) => p.area === a)!);
  if (first)
    limiters.push({
      title: first.label,
      area: first.area,
      detail: `Best ${first.label.toLowerCase()} power ${fmt(first.watts)} W is ${fmt(first.watts / ftp, 2)}× FTP — ${fmt((1 - first.score) * 100)} % below a well-rounded rider's profile.`,
    });
  if (second)
    limiters.push({
      title: second.label,
      area: second.area,
      detail: `Best ${second.label.toLowerCase()} power ${fmt(second.watts)} W is ${fmt(second.watts / ftp, 2)}× FTP, also below the profile.`,
    });
  return { strengths, limiters };
}

/** Consistency and volume, recovery, and the aerobic base: added to the profile's findings. */
function habitFindings(r: Reading, strengths: Strength[], limiters: Limiter[]): void {
  const { s, fitness, form, hours } = r;
  if (s && s.ridesPerWeek >= 4 && (hours?.current ?? 0) / Math.max(1, s.weeks) >= 6)
    strengths.push({
      title: 'Consistency and volume',
      detail: `${fmt(s.ridesPerWeek, 1)} rides and ${fmt((hours?.current ?? 0) / Math.max(1, s.weeks), 1)} h a week on average.`,
    });
  if (s && s.ridesPerWeek < 2.5)
    limiters.push({
      title: 'Consistency',
      area: 'consistency',
      detail: `Only ${fmt(s.ridesPerWeek, 1)} rides a week on average over the period.`,
    });
  if (fitness && form && !r.stale && (form.tsb < -25 || (fitness.rampRate ?? 0) > 8))
    limiters.push({
      title: 'Recovery',
      area: 'recovery',
      detail: `Form TSB ${fmt(form.tsb, 1)} and a CTL ramp of ${fmt(fitness.rampRate, 1)} a week: fatigue is building faster than fitness.`,
    });
  if (fitness && fitness.ctl < 40 && limiters.length < 3)
    limiters.push({
      title: 'Aerobic base',
      area: 'endurance',
      detail: `CTL ${fmt(fitness.ctl, 1)} is a low aerobic base for longer events.`,
    });
}

/** What form says: a comeback after old history, else fresh, very fatigued, in the red or balanced. */
function formInsight(r: Reading): string | null {
  const { fitness, form, latest, today } = r;
  if (!fitness || !form) return null;
  if (latest && r.stale)
    return `Your latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today?.date ?? latest.date)}: fitness has faded from CTL ${fmt(fitness.ctl, 1)} then to ${fmt(form.ctl, 1)} today. Come back with easy endurance riding first: a plan opens with an easy return week.`;
  const when = today && today.date !== fitness.date ? ' today' : '';
  return form.tsb > 10
    ? `Form is fresh${when} (TSB ${fmt(form.tsb, 1)}): a good moment for a test or a key event.`
    : form.tsb < -25
      ? `Form is very fatigued${when} (TSB ${fmt(form.tsb, 1)}): take easy days until it is above −10 (a plan starting while it is below −25 opens with easy days).`
      : form.tsb < -20
        ? `Form is deep in the red${when} (TSB ${fmt(form.tsb, 1)}): plan easier days before the next hard block.`
        : `Form is balanced${when} (TSB ${fmt(form.tsb, 1)}): you can train normally.`;
}

function insights(r: Reading): string[] {
  const { facts, ftp } = r;
  const out: string[] = [];
  const polar = facts.zones?.current?.polarization;
  if (polar) {
    // whole percentages summing to 100, as the dashboard shows them
    const [easy = 0, moderate = 0, hard = 0] = wholePercentages([polar.easy, polar.moderate, polar.hard]);
    out.push(
      `Intensity split (${polar.basis === 'power' ? 'power' : 'heart-rate'} zones): ${easy} % easy, ${moderate} % moderate, ${hard} % hard.${easy < 70 ? ' That is a lot of moderate riding: make easy days easier and hard days harder.' : ' A sound, mostly easy distribution.'}`,
    );
  }
  const model = facts.curve?.model;
  if (model && model.eftp !== null && ftp) {
    const diff = model.eftp - ftp;
    out.push(
      `Critical power model: CP ${fmt(model.cp)} W, W′ ${fmt(model.wPrimeKj, 1)} kJ, eFTP ${fmt(model.eftp)} W against your FTP of ${fmt(ftp)} W (${signed(diff)} W; confidence ${model.confidence}).`,
    );
  } else if (model) out.push(`No reliable critical-power estimate: ${model.reason}`);
  const twenty = facts.curve?.ftpSuggestions?.find((x) => x.method === 'best-20-min');
  if (twenty && ftp && twenty.differenceWatts !== null && Math.abs(twenty.differenceWatts) / ftp > 0.05) {
    out.push(
      `95 % of your best 20 min gives ${fmt(twenty.watts)} W, ${signed(twenty.differenceWatts)} W from your FTP: ${twenty.differenceWatts > 0 ? 'consider raising it after a test' : 'your FTP may be set too high, or the period had no all-out 20 min effort'}.`,
    );
  }
  const form = formInsight(r);
  if (form !== null) out.push(form);
  for (const w of facts.summary?.warnings ?? []) if (out.length < 6) out.push(w.message);
  if (out.length === 0) out.push('Upload more rides with a power meter for a fuller analysis.');
  return out;
}

function recommendations(r: Reading, limiters: Limiter[]): OfflineAnalysis['recommendations'] {
  const focus = limiters.length > 0 ? limiters : [{ area: 'endurance' as const, title: 'Aerobic base', detail: '' }];
  return {
    shortTerm: focus.slice(0, 3).map((l) => RECOMMEND[l.area].short),
    longTerm: [...focus.slice(0, 3).map((l) => RECOMMEND[l.area].long), 'Retest FTP every 6–8 weeks and update it with the coach.'],
    recovery: [
      r.form && !r.stale && r.form.tsb < -20
        ? 'Take 2–3 easy days now; sleep 8 h.'
        : 'Keep at least one full rest day a week and an easy week every 3–4 weeks.',
      'Eat 60–90 g of carbohydrate per hour on rides over 90 min, and protein (20–30 g) after hard sessions.',
    ],
  };
}

function summary(r: Reading, strengths: Strength[], limiters: Limiter[]): string {
  const { s, fitness, form, latest, today, window } = r;
  return [
    s
      ? `${fmt(s.activityCount)} ride${s.activityCount === 1 ? '' : 's'} and ${fmt(r.hours?.current ?? 0, 1)} h ${window}.`
      : `Too few activities ${window} for a full analysis.`,
    r.stale && latest ? `The latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today?.date ?? latest.date)}.` : '',
    fitness && form
      ? `Fitness (CTL) is ${fmt(form.ctl, 1)} with form (TSB) at ${fmt(form.tsb, 1)}${today && today.date !== fitness.date ? ' today' : ''}.`
      : '',
    strengths[0] ? `Strongest: ${strengths[0].title.toLowerCase()}.` : '',
    limiters[0] ? `Main limiter: ${limiters[0].title.toLowerCase()}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function offlineAnalysis(facts: AnalysisFacts): OfflineAnalysis {
  const r = read(facts);
  const trends = keyTrends(r);
  const { strengths, limiters } = profileFindings(r);
  habitFindings(r, strengths, limiters);
  return {
    summary: summary(r, strengths, limiters),
    keyTrends: trends.slice(0, 6),
    strengths: strengths.slice(0, 5),
    limiters: limiters.slice(0, 5),
    insights: insights(r).slice(0, 6),
    recommendations: recommendations(r, limiters),
  };
}
