/**
 * "How many km did I ride in August?": the period a volume question asks about (a month, a year,
 * this or last week or month, the last N days, everything) and the answer — distance, time,
 * climbing and rides in it, by the athlete's own days and in their units.
 */
import { DateTime } from 'luxon';
import { isCycling } from '../domain/activity.js';
import { zonedDate } from '../domain/calendar.js';
import { formatDistance, formatElevation, formatNumber, type Units } from '../report/format.js';
import { MONTH_WORDS, monthNumber } from './written-dates.js';

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
    const index = monthNumber(month[1]!);
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
  const inPeriod = activities.filter((a) => {
    const d = zonedDate(a.startTime, zone);
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
