/**
 * A new FTP: every workout keeps its % FTP, so every target in watts moves with it. The changes
 * say so in watts: the zones the coming sessions train, and each open session of this week and the
 * next with its work targets at the new FTP (work: each `on` of an interval set at ≥ 80 % FTP and
 * each steady step at ≥ 76 %, none in endurance and recovery rides).
 */
import type { PlannedWorkout } from '../plan/types.js';
import { isOpen, placedWorkouts, workoutChange, workoutLabel, type Draft } from './adapt-draft.js';
import type { PlanChange } from './types.js';

const ZONES: readonly { name: string; low: number; high: number }[] = [
  { name: 'tempo', low: 76, high: 87 },
  { name: 'sweet spot', low: 88, high: 93 },
  { name: 'threshold', low: 94, high: 105 },
  { name: 'VO2max', low: 106, high: 120 },
  { name: 'anaerobic', low: 121, high: 150 },
  { name: 'sprint', low: 151, high: 300 },
];

const watts = (percent: number, ftp: number): number => Math.round((percent * ftp) / 100);

/** The % FTP of each work interval, in order. */
function workPercents(w: PlannedWorkout): number[] {
  if (w.type === 'endurance' || w.type === 'recovery') return [];
  return (w.steps ?? []).flatMap((s) =>
    s.kind === 'intervals' && s.on.percentFtp >= 80 ? [s.on.percentFtp] : s.kind === 'steady' && s.percentFtp >= 76 ? [s.percentFtp] : [],
  );
}

const zoneOf = (percent: number) => ZONES.find((z) => percent <= z.high + 0.5) ?? ZONES[ZONES.length - 1]!;

function zoneText(zone: (typeof ZONES)[number], ftp: number, first: boolean): string {
  return `${zone.name}${first ? ' is now' : ''} ${watts(zone.low, ftp)}–${watts(zone.high, ftp)} W`;
}

/** Says what the new FTP means in watts; the plan itself (in % FTP) is unchanged. */
export function handleNewFtp(draft: Draft, ftp: number, previousFtp: number): void {
  const { ctx } = draft;
  const open = placedWorkouts(draft.plan).filter(
    (p) => (p.weekIndex === ctx.currentWeek || p.weekIndex === ctx.currentWeek + 1) && isOpen(ctx, p) && workPercents(p.workout).length > 0,
  );
  const zones = [...new Set(open.flatMap((p) => workPercents(p.workout).map(zoneOf)))].slice(0, 3);
  const shown = zones.length > 0 ? zones : [ZONES[1]!, ZONES[2]!];
  const zoneList = shown.map((z, i) => zoneText(z, ftp, i === 0)).join(', ');
  const headline = `From today your targets use FTP ${ftp} W (was ${previousFtp} W): ${zoneList}.`;
  const changes: PlanChange[] = [{ kind: 'ftp', date: ctx.today, text: headline }];
  for (const p of open) {
    const percents = [...new Set(workPercents(p.workout))];
    const now = percents.map((x) => watts(x, ftp)).join(' / ');
    const was = percents.map((x) => watts(x, previousFtp)).join(' / ');
    changes.push(workoutChange('ftp', p, `${workoutLabel(p)}: work at ${now} W (was ${was} W) with FTP ${ftp} W.`));
  }
  draft.changes.push(...changes);
  draft.reasons.push(`New FTP ${ftp} W (was ${previousFtp} W)`);
}
