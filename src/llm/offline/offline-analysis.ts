/**
 * The offline coach's rules for the performance analysis: the same JSON a model writes, from the
 * numbers alone. Every sentence quotes the figures it rests on.
 */
import { longDate, timeAgo } from '../../domain/calendar.js';
import { wholePercentages } from '../../domain/metrics/shares.js';
import { powerProfile, TYPICAL_RATIO_TO_FTP } from '../../domain/plan/power-profile.js';
import type { PowerAbility } from '../../domain/plan/types.js';

/** Days after the latest ride from which the history is old: it is dated, not called "the last months", and the plan opens with a return block. */
const STALE_DAYS = 28;

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
    area: 'sprint' | 'anaerobic' | 'vo2max' | 'threshold' | 'endurance' | 'consistency' | 'recovery';
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

const RECOMMEND: Record<OfflineAnalysis['limiters'][number]['area'], { short: string; long: string }> = {
  sprint: {
    short: 'Add 6–8 × 10 s standing sprints with full recovery once a week, fresh, early in a ride.',
    long: 'Keep one neuromuscular session a week and add gym work (squats, deadlifts) in the off-season.',
  },
  anaerobic: {
    short: 'Once a week: 6–8 × 1 min hard (about 130–150 % FTP) with 3 min easy between.',
    long: 'Build anaerobic capacity in the build phase with 30/30s and 1-min repeats, after the aerobic base.',
  },
  vo2max: {
    short: 'One VO2max session a week: 5 × 4 min at 110–120 % FTP with 4 min easy between.',
    long: 'Two VO2max blocks of 3–4 weeks in the next months, each followed by a recovery week.',
  },
  threshold: {
    short: 'Two sweet-spot/threshold sessions a week, e.g. 2 × 20 min at 88–95 % FTP.',
    long: 'Extend time at threshold step by step (3 × 15 → 2 × 30 min) and retest FTP after 6–8 weeks.',
  },
  endurance: {
    short: 'One long ride a week at 60–70 % FTP, adding 15–30 min each week.',
    long: 'Raise weekly volume by no more than 10 % a week and keep 80 % of riding easy.',
  },
  consistency: {
    short: 'Plan fixed training days and keep to at least 3 rides a week.',
    long: 'Steady weekly rhythm beats big weeks: aim for no week below 70 % of your average.',
  },
  recovery: {
    short: 'Take an easy week now: halve the intensity and cut volume by a third.',
    long: 'Plan a recovery week every 3–4 weeks and keep the CTL ramp under 5 per week.',
  },
};

export function offlineAnalysis(facts: AnalysisFacts): OfflineAnalysis {
  const s = facts.summary?.summary;
  const fitness = facts.summary?.fitness ?? null;
  const changes = facts.comparison?.changes ?? {};
  const curveChanges = facts.comparison?.powerCurveChanges ?? {};
  const ftp = facts.curve?.ftp ?? facts.profile?.ftp ?? null;
  const months = facts.comparison?.months ?? facts.summary?.period?.months ?? 6;
  const trends: string[] = [];
  // Old history is dated, not called "the last months"; form is today's (faded), not the latest ride's.
  const latest = facts.summary?.latestRide ?? null;
  const today = facts.summary?.fitnessToday ?? null;
  const stale = latest !== null && latest.daysAgo >= STALE_DAYS;
  const periodEnd = facts.summary?.period?.to;
  const window = stale && periodEnd ? `in the ${months} months to ${longDate(periodEnd)}` : `over the last ${months} months`;
  const form = today ?? fitness;

  const hours = changes.hours;
  if (hours && hours.current !== null) {
    const p = pct(hours);
    trends.push(
      `Volume: ${fmt(hours.current, 1)} h of riding ${window}${p === null ? '' : ` (${signed(p)} % against the ${months} months before, ${fmt(hours.previous, 1)} h)`}, ${fmt(s?.ridesPerWeek, 1)} rides a week.`,
    );
  }
  const weekly = changes.weeklyLoad;
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
  const powerTrend = PROFILE.map(({ seconds, label }) => {
    const c = curveChanges[String(seconds)];
    if (!c || c.current === null) return null;
    const p = pct(c);
    return `${label.split(' (')[0]} ${fmt(c.current)} W${p === null ? '' : ` (${signed(p, 1)} %)`}`;
  }).filter((x): x is string => x !== null);
  if (powerTrend.length > 0) trends.push(`Best powers: ${powerTrend.join(', ')}.`);
  if (trends.length === 0) trends.push('There are too few rides in the period to show trends.');

  // Strengths and limiters from the power profile relative to FTP (the plan engine's table and scores).
  const current = facts.curve?.current ?? {};
  const profile = ftp
    ? powerProfile(
        Object.fromEntries(
          PROFILE.flatMap((p) => (current[String(p.seconds)] === undefined ? [] : [[p.seconds, current[String(p.seconds)]!]])),
        ),
        ftp,
      )
    : null;
  const scored = profile
    ? PROFILE.flatMap((p) =>
        profile.scores[p.area] === undefined ? [] : [{ ...p, watts: current[String(p.seconds)]!, score: profile.scores[p.area]! }],
      )
    : [];
  scored.sort((a, b) => b.score - a.score);
  const strengths: OfflineAnalysis['strengths'] = [];
  const limiters: OfflineAnalysis['limiters'] = [];
  if (scored.length >= 2 && profile) {
    const top = scored[0]!;
    const relation =
      top.score >= 1
        ? `${fmt((top.score - 1) * 100)} % above a well-rounded rider's profile`
        : `your strongest duration relative to a well-rounded rider's profile (${fmt((1 - top.score) * 100)} % below it, the smallest gap)`;
    strengths.push({
      title: top.label,
      detail: `Best ${top.label.toLowerCase()} power ${fmt(top.watts)} W is ${fmt(top.watts / ftp!, 2)}× FTP (${fmt(ftp)} W) — ${relation}.`,
    });
    // powerProfile's limiters (below 95 % of typical), weakest first; the strongest duration is never also a limiter.
    const weak = profile.limiters.filter((a) => a !== top.area).map((a) => scored.find((p) => p.area === a)!);
    const [first, second] = weak;
    if (first)
      limiters.push({
        title: first.label,
        area: first.area,
        detail: `Best ${first.label.toLowerCase()} power ${fmt(first.watts)} W is ${fmt(first.watts / ftp!, 2)}× FTP — ${fmt((1 - first.score) * 100)} % below a well-rounded rider's profile.`,
      });
    if (second)
      limiters.push({
        title: second.label,
        area: second.area,
        detail: `Best ${second.label.toLowerCase()} power ${fmt(second.watts)} W is ${fmt(second.watts / ftp!, 2)}× FTP, also below the profile.`,
      });
  }
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
  if (fitness && form && !stale && (form.tsb < -25 || (fitness.rampRate ?? 0) > 8))
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

  const insights: string[] = [];
  const polar = facts.zones?.current?.polarization;
  if (polar) {
    // whole percentages summing to 100, as the dashboard shows them
    const [easy = 0, moderate = 0, hard = 0] = wholePercentages([polar.easy, polar.moderate, polar.hard]);
    insights.push(
      `Intensity split (${polar.basis === 'power' ? 'power' : 'heart-rate'} zones): ${easy} % easy, ${moderate} % moderate, ${hard} % hard.${easy < 70 ? ' That is a lot of moderate riding: make easy days easier and hard days harder.' : ' A sound, mostly easy distribution.'}`,
    );
  }
  const model = facts.curve?.model;
  if (model && model.eftp !== null && ftp) {
    const diff = model.eftp - ftp;
    insights.push(
      `Critical power model: CP ${fmt(model.cp)} W, W′ ${fmt(model.wPrimeKj, 1)} kJ, eFTP ${fmt(model.eftp)} W against your FTP of ${fmt(ftp)} W (${signed(diff)} W; confidence ${model.confidence}).`,
    );
  } else if (model) insights.push(`No reliable critical-power estimate: ${model.reason}`);
  const twenty = facts.curve?.ftpSuggestions?.find((x) => x.method === 'best-20-min');
  if (twenty && ftp && twenty.differenceWatts !== null && Math.abs(twenty.differenceWatts) / ftp > 0.05) {
    insights.push(
      `95 % of your best 20 min gives ${fmt(twenty.watts)} W, ${signed(twenty.differenceWatts)} W from your FTP: ${twenty.differenceWatts > 0 ? 'consider raising it after a test' : 'your FTP may be set too high, or the period had no all-out 20 min effort'}.`,
    );
  }
  if (fitness && form && latest && stale) {
    insights.push(
      `Your latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today?.date ?? latest.date)}: fitness has faded from CTL ${fmt(fitness.ctl, 1)} then to ${fmt(form.ctl, 1)} today. Come back with easy endurance riding first: a plan opens with an easy return week.`,
    );
  } else if (fitness && form) {
    const when = today && today.date !== fitness.date ? ' today' : '';
    insights.push(
      form.tsb > 10
        ? `Form is fresh${when} (TSB ${fmt(form.tsb, 1)}): a good moment for a test or a key event.`
        : form.tsb < -25
          ? `Form is very fatigued${when} (TSB ${fmt(form.tsb, 1)}): take easy days until it is above −10 (a plan starting while it is below −25 opens with easy days).`
          : form.tsb < -20
            ? `Form is deep in the red${when} (TSB ${fmt(form.tsb, 1)}): plan easier days before the next hard block.`
            : `Form is balanced${when} (TSB ${fmt(form.tsb, 1)}): you can train normally.`,
    );
  }
  for (const w of facts.summary?.warnings ?? []) if (insights.length < 6) insights.push(w.message);
  if (insights.length === 0) insights.push('Upload more rides with a power meter for a fuller analysis.');

  const focus = limiters.length > 0 ? limiters : [{ area: 'endurance' as const, title: 'Aerobic base', detail: '' }];
  const recommendations = {
    shortTerm: focus.slice(0, 3).map((l) => RECOMMEND[l.area].short),
    longTerm: [...focus.slice(0, 3).map((l) => RECOMMEND[l.area].long), 'Retest FTP every 6–8 weeks and update it with the coach.'],
    recovery: [
      form && !stale && form.tsb < -20
        ? 'Take 2–3 easy days now; sleep 8 h.'
        : 'Keep at least one full rest day a week and an easy week every 3–4 weeks.',
      'Eat 60–90 g of carbohydrate per hour on rides over 90 min, and protein (20–30 g) after hard sessions.',
    ],
  };

  const summary = [
    s
      ? `${fmt(s.activityCount)} ride${s.activityCount === 1 ? '' : 's'} and ${fmt(hours?.current ?? 0, 1)} h ${window}.`
      : `Too few activities ${window} for a full analysis.`,
    stale && latest ? `The latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today?.date ?? latest.date)}.` : '',
    fitness && form
      ? `Fitness (CTL) is ${fmt(form.ctl, 1)} with form (TSB) at ${fmt(form.tsb, 1)}${today && today.date !== fitness.date ? ' today' : ''}.`
      : '',
    strengths[0] ? `Strongest: ${strengths[0].title.toLowerCase()}.` : '',
    limiters[0] ? `Main limiter: ${limiters[0].title.toLowerCase()}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  return {
    summary,
    keyTrends: trends.slice(0, 6),
    strengths: strengths.slice(0, 5),
    limiters: limiters.slice(0, 5),
    insights: insights.slice(0, 6),
    recommendations,
  };
}
