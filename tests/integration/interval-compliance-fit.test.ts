/**
 * Must show (issue 19): rides written as real FIT files following a planned workout — with the
 * synthetic rider's noise, a 7 min late start and a 3 min timer stop — read back by the real
 * ingest (the reader `inspect` uses, worker threads included), matched to the plan and judged
 * interval by interval. Also prints the alignment's accuracy on these rides: per interval, the
 * found start and duration against where the rider really rode it, and the average power against
 * the true average over the true window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/app/inspect.js';
import type { Activity } from '../../src/domain/activity.js';
import { utcDate } from '../../src/domain/calendar.js';
import { matchRide } from '../../src/domain/coaching/ride-match.js';
import type { WorkoutMatch } from '../../src/domain/coaching/types.js';
import { computeActivityMetrics } from '../../src/domain/metrics/index.js';
import { toPlannedWorkout, workoutById, type Plan, type PlannedWorkout } from '../../src/domain/plan/index.js';
import { closeIngestPool } from '../../src/ingest/ingest-pool.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { workoutRideWithTruth, type WorkoutRide, type WorkoutRideOptions } from '../../src/synthetic/workout-ride.js';
import { makePlan } from '../unit/domain/plan/fixtures.js';

const FTP = 250;
const MONDAY = '2026-03-02';
const LATE_START = 7 * 60;
const PAUSE = 3 * 60;

/** A week with a sweet spot 3×10 on Tuesday, a VO2max 5×3 on Thursday and an endurance ride on Saturday. */
function weekPlan(): Plan {
  const byDay: Record<number, string> = { 1: 'sweetspot-3x10', 3: 'vo2max-5x3', 5: 'endurance-120' };
  return makePlan(MONDAY, 1, (_, day): PlannedWorkout[] => {
    const id = byDay[day];
    return id ? [{ ...toPlannedWorkout(workoutById(id)!), key: `${id}#0` }] : [];
  });
}

interface Scenario {
  name: string;
  workout: string;
  date: string;
  /** The timer stop, in a rest between two work intervals. */
  pauseAt: number;
  options: Partial<WorkoutRideOptions>;
}

const SCENARIOS: Scenario[] = [
  { name: 'sweet spot as planned', workout: 'sweetspot-3x10', date: '2026-03-03', pauseAt: 1750, options: {} },
  { name: 'VO2max as planned', workout: 'vo2max-5x3', date: '2026-03-05', pauseAt: 1600, options: {} },
  {
    name: 'sweet spot fading',
    workout: 'sweetspot-3x10',
    date: '2026-03-03',
    pauseAt: 1750,
    options: { executionPercent: [100, (84 / 90) * 100, (84 / 90) * 100] },
  },
  { name: 'sweet spot, one skipped', workout: 'sweetspot-3x10', date: '2026-03-03', pauseAt: 1750, options: { skipRepeats: [1] } },
  { name: 'sweet spot, no intervals', workout: 'sweetspot-3x10', date: '2026-03-03', pauseAt: 1750, options: { noIntervals: true } },
];

interface Outcome {
  scenario: Scenario;
  ride: WorkoutRide;
  activity: Activity;
  match: WorkoutMatch;
}

const outcomes = new Map<string, Outcome>();
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'interval-fit-'));
  const plan = weekPlan();
  for (const [i, scenario] of SCENARIOS.entries()) {
    const ride = workoutRideWithTruth({
      seed: 40 + i,
      startTime: new Date(`${scenario.date}T06:30:00Z`),
      ftp: FTP,
      workout: workoutById(scenario.workout)!,
      lateStartSeconds: LATE_START,
      pauses: [{ atSecond: scenario.pauseAt, seconds: PAUSE }],
      ...scenario.options,
    });
    const file = join(dir, `ride-${i}.fit`);
    writeFileSync(file, encodeActivityFit([ride.spec]));
    const { activities, errors } = await ingestPaths([file]);
    expect(errors).toEqual([]);
    const activity = activities[0]!;
    const metrics = computeActivityMetrics(activity, { ftp: FTP });
    const facts = {
      activityId: activity.id,
      date: utcDate(activity.startTime),
      sport: activity.sport,
      durationMinutes: (metrics.movingSeconds ?? 0) / 60,
      tss: metrics.tss,
      intensityFactor: metrics.intensityFactor,
      power: activity.streams?.power ?? null,
    };
    outcomes.set(scenario.name, { scenario, ride, activity, match: matchRide(facts, plan, FTP, new Set()) });
  }
}, 120_000);

afterAll(async () => {
  await closeIngestPool();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const outcome = (name: string): Outcome => outcomes.get(name)!;

/** A true interval mapped onto the stored stream (timer stops cut out): its index there and its true average. */
function truthOnStream(o: Outcome, index: number): { start: number; seconds: number; avg: number } {
  const truth = o.ride.intervals[index]!;
  const streams = o.activity.streams!;
  const elapsed = o.ride.elapsed[truth.start]!;
  const start = streams.elapsed.findIndex((e) => e === elapsed);
  let sum = 0;
  for (let k = start; k < start + truth.seconds; k++) sum += streams.power![k]!;
  return { start, seconds: truth.seconds, avg: sum / truth.seconds };
}

describe('rides following a planned workout, written as FIT files and read back', () => {
  it('reads each file as one ride with the timer stop cut out of its stream', () => {
    for (const o of outcomes.values()) {
      expect(o.activity.sport).toBe('cycling');
      expect(o.activity.streams!.power!.length).toBe(o.ride.timerSeconds);
      expect(o.activity.elapsedSeconds).toBe(o.ride.timerSeconds + PAUSE);
    }
  });

  it('matches a sweet spot 3×10 ridden after a late start and a stop: done, 3/3 intervals hit at their places', () => {
    const { match } = outcome('sweet spot as planned');
    expect(match).toMatchObject({ workoutKey: 'sweetspot-3x10#0', date: '2026-03-03', status: 'done', workoutName: 'Sweet spot 3×10' });
    expect(match.intervals.map((r) => [r.verdict, r.targetLow, r.targetHigh, r.plannedSeconds])).toEqual([
      ['hit', 220, 233, 600],
      ['hit', 220, 233, 600],
      ['hit', 220, 233, 600],
    ]);
    expect(match.session.plannedTss).toBe(toPlannedWorkout(workoutById('sweetspot-3x10')!).tss);
    expect(match.session.doneTss).toBeGreaterThan(match.session.plannedTss);
  });

  it('matches a VO2max 5×3 the same way: done, 5/5 hit', () => {
    const { match } = outcome('VO2max as planned');
    expect(match).toMatchObject({ workoutKey: 'vo2max-5x3#0', date: '2026-03-05', status: 'done' });
    expect(match.intervals.map((r) => r.verdict)).toEqual(['hit', 'hit', 'hit', 'hit', 'hit']);
    expect(match.intervals.map((r) => [r.targetLow, r.targetHigh])[0]).toEqual([265, 300]);
  });

  it('says a fading set plainly: the last two under, at 84 % FTP, and the session partial', () => {
    const { match } = outcome('sweet spot fading');
    expect(match.intervals.map((r) => r.verdict)).toEqual(['hit', 'under', 'under']);
    for (const r of match.intervals.slice(1)) {
      expect(r.avgPercentFtp).toBeGreaterThanOrEqual(83);
      expect(r.avgPercentFtp).toBeLessThanOrEqual(85);
    }
    expect(match.status).toBe('partial');
  });

  it('has a skipped repeat missed, the others hit, and the session partial', () => {
    const { match } = outcome('sweet spot, one skipped');
    expect(match.intervals.map((r) => r.verdict)).toEqual(['hit', 'missed', 'hit']);
    expect(match.intervals[1]).toMatchObject({ startSeconds: null, avgPower: null, seconds: 0 });
    expect(match).toMatchObject({ workoutKey: 'sweetspot-3x10#0', status: 'partial' });
  });

  it('has nothing hit when the intervals were not done, and the session partial', () => {
    const { match } = outcome('sweet spot, no intervals');
    expect(match.intervals.every((r) => r.verdict === 'missed' || r.verdict === 'under')).toBe(true);
    expect(match).toMatchObject({ workoutKey: 'sweetspot-3x10#0', status: 'partial' });
  });

  it('finds every interval ridden where it was ridden: accuracy on these rides', () => {
    const rows: { ride: string; interval: number; dStart: number; dSeconds: number; dWatts: number }[] = [];
    for (const o of outcomes.values()) {
      for (const r of o.match.intervals) {
        if (!o.ride.intervals[r.index]!.done) continue;
        const truth = truthOnStream(o, r.index);
        expect(r.startSeconds, `${o.scenario.name} #${r.index}`).not.toBeNull();
        rows.push({
          ride: o.scenario.name,
          interval: r.index,
          dStart: Math.abs(r.startSeconds! - truth.start),
          dSeconds: Math.abs(r.seconds - truth.seconds),
          dWatts: Math.round(Math.abs(r.avgPower! - truth.avg) * 10) / 10,
        });
      }
    }
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const summary = (['dStart', 'dSeconds', 'dWatts'] as const).map((k) => {
      const xs = rows.map((row) => row[k]);
      return { measure: k, median: median(xs), max: Math.max(...xs) };
    });
    console.log(
      [
        'ride | interval | |Δstart| s | |Δduration| s | |Δavg power| W',
        ...rows.map((r) => `${r.ride} | ${r.interval} | ${r.dStart} | ${r.dSeconds} | ${r.dWatts}`),
      ].join('\n'),
    );
    console.log(summary.map((s) => `${s.measure}: median ${s.median}, max ${s.max}`).join('\n'));
    expect(rows).toHaveLength(3 + 5 + 3 + 2);
    expect(summary[0]!.median).toBeLessThanOrEqual(2);
    expect(summary[0]!.max).toBeLessThanOrEqual(10);
    expect(summary[1]!.max).toBeLessThanOrEqual(10);
    expect(summary[2]!.max).toBeLessThanOrEqual(5);
  });
});
