/**
 * The words of the coaching loop after an upload: each ride compared with the planned workout it
 * executed (the session's TSS and duration, every work interval against its target), extra rides,
 * and how the plan changed because of them — said plainly, and kindly when a set fell short.
 */
import { WEEKDAY_NAMES, weekdayOf } from '../../domain/calendar.js';
import type { IntervalResult, PlanChange, WorkoutMatch } from '../../domain/coaching/types.js';
import type { Reply } from '../port.js';
import { formatDuration } from './format.js';

/** "Tuesday" for a YYYY-MM-DD date. */
export const dayNameOf = (date: string): string => WEEKDAY_NAMES[weekdayOf(date)];

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const NUMBER_WORDS = ['none', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "11th", "12th", "21st", "22nd", "23rd" beyond the words. */
function numberedOrdinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}
const ordinal = (index: number) => ORDINALS[index] ?? numberedOrdinal(index + 1);
const numberWord = (n: number) => NUMBER_WORDS[n] ?? String(n);
const capitalized = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** Which intervals of a set of `total`: "the third", "the last two", "both", "all four", "the first and third". */
function whichIntervals(indexes: readonly number[], total: number): string {
  const k = indexes.length;
  if (k === total) return total === 1 ? 'it' : total === 2 ? 'both' : `all ${numberWord(total)}`;
  const trailing = indexes.every((index, i) => index === total - k + i);
  if (k === 1) return `the ${ordinal(indexes[0]!)}`;
  if (trailing) return `the last ${numberWord(k)}`;
  return `the ${listed(indexes.map(ordinal))}`;
}

const verb = (k: number) => (k === 1 ? 'was' : 'were');

/**
 * The % FTP of a set as shown: whole, unless rounding would put a set judged under or over its
 * range inside it — 297 W at FTP 250 is 118.8 %, under 119–150 %, not "119 %".
 */
function percentOf(r: IntervalResult, ftp: number): string {
  const whole = r.avgPercentFtp ?? 0;
  if (r.avgPower === null || (r.verdict !== 'under' && r.verdict !== 'over')) return String(whole);
  const inside = whole >= r.targetLowPercent && whole <= r.targetHighPercent;
  return inside ? ((r.avgPower * 100) / ftp).toFixed(1) : String(whole);
}

/** "91 / 92 / 89 % FTP (target 88–93 %)", one group per target range; a long set as its span. */
function powerText(ridden: readonly IntervalResult[], ftp: number): string {
  const groups = new Map<string, IntervalResult[]>();
  for (const r of ridden) {
    const key = `${r.targetLowPercent}–${r.targetHighPercent}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups]
    .map(([target, results]) => {
      const values = results.map((r) => r.avgPercentFtp ?? 0);
      const shown =
        values.length <= 6 ? results.map((r) => percentOf(r, ftp)).join(' / ') : `${Math.min(...values)}–${Math.max(...values)}`;
      return `${shown} % FTP (target ${target} %)`;
    })
    .join('; ');
}

/** What fell short or went over, a sentence each, with a kind word when something fell short. */
function intervalRemarks(intervals: readonly IntervalResult[], ftp: number): string[] {
  const total = intervals.length;
  const of = (verdict: IntervalResult['verdict']) => intervals.filter((i) => i.verdict === verdict);
  const who = (list: readonly IntervalResult[]) =>
    `${capitalized(
      whichIntervals(
        list.map((i) => i.index),
        total,
      ),
    )} ${verb(list.length)}`;
  const percents = (list: readonly IntervalResult[]) => listed(list.map((i) => `${percentOf(i, ftp)} %`));
  const sentences: string[] = [];
  const under = of('under');
  const faded = under.length > 0 && under.length < total && under.every((u, i) => u.index === total - under.length + i);
  if (faded) {
    const lowest = percentOf(
      under.reduce((a, b) => ((b.avgPower ?? 0) < (a.avgPower ?? 0) ? b : a)),
      ftp,
    );
    sentences.push(
      `${capitalized(
        whichIntervals(
          under.map((i) => i.index),
          total,
        ),
      )} faded to ${lowest} %.`,
    );
  } else if (under.length > 0) sentences.push(`${who(under)} under target (${percents(under)}).`);
  const short = of('short');
  if (short.length > 0)
    sentences.push(
      `${who(short)} cut short (${listed(short.map((i) => `${formatDuration(i.seconds)} of ${formatDuration(i.plannedSeconds)}`))}).`,
    );
  const over = of('over');
  if (over.length > 0)
    sentences.push(`${who(over)} above target (${percents(over)}): strong, but the target range is where this workout does its job.`);
  if (under.length > 0 || short.length > 0)
    sentences.push('That happens — what you rode still counts, and the next one will tell us more.');
  return sentences;
}

/** "3/3 intervals, 91 / 92 / 89 % FTP (target 88–93 %)" or "2 of 3 intervals: the third was not ridden. 91 / 92 % FTP (…)". */
function intervalsText(intervals: readonly IntervalResult[], hasPower: boolean, ftp: number): string {
  const total = intervals.length;
  const ridden = intervals.filter((i) => i.verdict !== 'missed' && i.avgPercentFtp !== null);
  if (ridden.length === 0)
    return hasPower
      ? `none of the ${total === 1 ? 'planned interval was' : `${numberWord(total)} intervals were`} ridden`
      : 'no power in this ride, so the intervals could not be judged';
  if (ridden.length === total) return `${total}/${total} intervals, ${powerText(ridden, ftp)}`;
  const missed = intervals.filter((i) => !ridden.includes(i)).map((i) => i.index);
  return `${ridden.length} of ${total} intervals: ${whichIntervals(missed, total)} ${verb(missed.length)} not ridden. ${powerText(ridden, ftp)}`;
}

/**
 * One ride against the plan: "Tuesday · Sweet spot 3×10: done — 3/3 intervals, 91 / 92 / 89 % FTP
 * (target 88–93 %), 66 of 66 TSS." An extra ride: "Saturday's ride wasn't in the plan: 85 TSS extra."
 */
export function complianceLine(match: WorkoutMatch): string {
  const tss = Math.round(match.session.doneTss);
  if (match.status === 'extra' || match.workoutKey === null)
    return `${dayNameOf(match.rideDate)}'s ride wasn't in the plan: ${tss} TSS extra.`;
  const moved = match.rideDate !== match.date ? ` (ridden ${dayNameOf(match.rideDate)})` : '';
  const head = `${dayNameOf(match.date)} · ${match.workoutName ?? 'planned workout'}${moved}: ${match.status === 'done' ? 'done' : 'partly done'} — `;
  const load = `${tss} of ${Math.round(match.session.plannedTss)} TSS`;
  if (match.intervals.length === 0) {
    const minutes = `${formatDuration(match.session.doneMinutes * 60)} of ${formatDuration(match.session.plannedMinutes * 60)}`;
    return `${head}${minutes}, ${load}.`;
  }
  const intervals = intervalsText(match.intervals, match.session.doneIf !== null, match.ftp);
  const remarks = intervalRemarks(match.intervals, match.ftp);
  return [`${head}${intervals}, ${load}.`, ...remarks].join(' ');
}

/** At most this many rides of one upload are compared one by one; the rest are counted. */
const RIDES_SHOWN = 3;

/** The rides worth a line: planned ones before extras, the newest first; shown in ride order. */
function shownRides(matches: readonly WorkoutMatch[]): WorkoutMatch[] {
  const ranked = matches
    .map((match, order) => ({ match, order }))
    .sort((a, b) => Number(a.match.workoutKey === null) - Number(b.match.workoutKey === null) || b.order - a.order)
    .slice(0, RIDES_SHOWN);
  return ranked.sort((a, b) => a.order - b.order).map((r) => r.match);
}

/** "Your plan changed:" and each change, then what the rides say about FTP (unless a change already says it). */
export function planChangedText(changes: readonly PlanChange[] | null, ftpNote: string | null): string | null {
  const lines = changes && changes.length > 0 ? ['Your plan changed:', ...changes.map((c) => `• ${c.text}`)] : [];
  if (ftpNote && !(changes ?? []).some((c) => c.text === ftpNote)) lines.push(lines.length > 0 ? `FTP: ${ftpNote}` : ftpNote);
  return lines.length > 0 ? lines.join('\n') : null;
}

/**
 * What the bot says after an upload's rides were compared with the plan: a message per ride (up to
 * three), or one message for many (three lines and "and N more rides compared with your plan"),
 * then how the plan changed. Nothing when no ride fell within the plan.
 */
export function complianceReplies(outcome: {
  matches: readonly WorkoutMatch[];
  version: { changes: readonly PlanChange[] } | null;
  ftpNote: string | null;
}): Reply[] {
  const replies: Reply[] = [];
  const { matches } = outcome;
  if (matches.length > RIDES_SHOWN) {
    const more = matches.length - RIDES_SHOWN;
    const lines = shownRides(matches).map(complianceLine);
    lines.push(`…and ${more} more ${more === 1 ? 'ride' : 'rides'} compared with your plan: /plan shows the week.`);
    replies.push({ text: lines.join('\n') });
  } else {
    for (const match of matches) replies.push({ text: complianceLine(match) });
  }
  const changed = planChangedText(outcome.version?.changes ?? null, outcome.ftpNote);
  if (changed) replies.push({ text: changed });
  return replies;
}
