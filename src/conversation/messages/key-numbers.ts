/**
 * The key numbers of an analysis as the chat summary writes them: period and volume, other sports
 * and estimated load, FTP, how old the latest ride is, fitness then and today.
 */
import { longDate, timeAgo } from '../../domain/calendar.js';
import type { RunJson } from '../../orchestrator/run-result.js';
import { formatWeight, type Units } from '../../report/format.js';
import { formatDistance, quantity as n } from './format.js';

/** Days after the latest ride from which the summary calls the history old (as the analysis does). */
const STALE_DAYS = 28;

/** The key numbers of an analysis: period and volume, load, FTP, the latest ride, fitness now and today. */
export function keyNumberLines(json: RunJson, period: { from: string; to: string }, units: Units, fresh: boolean): string[] {
  return [
    `${period.from} – ${period.to}: ${volumeCount(json)}, ${n(json.volume.hours, 1)} h, ${n(json.volume.weeklyLoad)} TSS a week.${riddenText(json.volume.distanceKm, units)}`,
    ...loadLines(json),
    `FTP ${n(json.athlete.ftp, 0, ' W')}${json.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}${wattsPerKgText(json.athlete.wattsPerKg, json.athlete.weightKg, units)} · eFTP ${n(json.athlete.eftp, 0, ' W')}`,
    ...latestRideLines(json, fresh),
    `Fitness CTL ${n(json.fitness.ctl, 1)} · fatigue ATL ${n(json.fitness.atl, 1)} · form TSB ${n(json.fitness.tsb, 1)}`,
    ...fitnessTodayLines(json, fresh),
  ];
}

/** " 1,234.5 km ridden." after the volume line, in the athlete's units; '' without distance. */
function riddenText(distanceKm: number | null | undefined, units: Units): string {
  return distanceKm && distanceKm > 0 ? ` ${formatDistance(distanceKm * 1000, units)} ridden.` : '';
}

/** " · 3.79 W/kg at 154 lb": W/kg is W/kg everywhere, the weight in the athlete's units. */
function wattsPerKgText(wattsPerKg: number | null, weightKg: number | null, units: Units): string {
  if (!wattsPerKg) return '';
  return ` · ${n(wattsPerKg, 2, 'W/kg')}${weightKg ? ` at ${formatWeight(weightKg, units, 'chat')}` : ''}`;
}

/** The headline's count, in the words outside checks read ("N activities"): the rides; other sports follow apart (loadLines). */
function volumeCount(r: RunJson): string {
  return `${r.volume.activities} activities`;
}

const SPORT_NOUNS: Readonly<Record<string, [string, string]>> = {
  running: ['run', 'runs'],
  hiking: ['hike', 'hikes'],
  walking: ['walk', 'walks'],
  swimming: ['swim', 'swims'],
  e_biking: ['e-bike ride', 'e-bike rides'],
  rowing: ['row', 'rows'],
  paddling: ['paddle', 'paddles'],
};

/** '48 runs', '11 cross country skiing sessions'. */
function sportCount(sport: string, count: number): string {
  const noun = SPORT_NOUNS[sport];
  if (noun) return `${count} ${count === 1 ? noun[0] : noun[1]}`;
  return `${count} ${sport.replace(/_/g, ' ')} session${count === 1 ? '' : 's'}`;
}

/** Other sports, shown apart from the ride volume, and how much of the load is estimated. */
function loadLines(r: RunJson): string[] {
  const lines: string[] = [];
  const others = r.volume.otherSports ?? [];
  if (others.length > 0)
    lines.push(
      `Those are your rides; other sports apart: + ${others.map((o) => `${sportCount(o.sport, o.count)}, ${n(o.hours, 1)} h`).join(' · ')} (in the load where they have heart rate).`,
    );
  const estimated = r.warnings.find((w) => w.code === 'load-estimated');
  if (estimated) lines.push(estimated.message);
  return lines;
}

/** When the latest ride was, once it is weeks old: the figures line that follows is from that day. */
function latestRideLines(r: RunJson, current: boolean): string[] {
  const latest = r.latestRide;
  const today = r.fitnessToday?.date;
  if (!latest || !today || latest.daysAgo < STALE_DAYS) return [];
  return [
    `Your latest ride was on ${longDate(latest.date)}, ${timeAgo(latest.date, today)}${current ? '' : ` (on ${longDate(today)})`}. On that day:`,
  ];
}

/** Fitness, fatigue and form carried on to the run's day (faded without rides), labelled with it. */
function fitnessTodayLines(r: RunJson, current: boolean): string[] {
  const today = r.fitnessToday;
  if (!today || !r.fitness.date || today.date <= r.fitness.date) return [];
  const days = r.latestRide?.daysAgo ?? null;
  const since =
    days !== null && days > 0 && days < STALE_DAYS ? `, ${days} day${days === 1 ? '' : 's'} after your latest ride` : ', faded since';
  return [
    `As of ${current ? 'today, ' : ''}${longDate(today.date)}${since}: fitness CTL ${n(today.ctl, 1)} · fatigue ATL ${n(today.atl, 1)} · form TSB ${n(today.tsb, 1)}`,
  ];
}
