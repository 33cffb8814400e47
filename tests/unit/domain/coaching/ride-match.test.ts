import { describe, expect, it } from 'vitest';
import { matchRide, type RideFacts } from '../../../../src/domain/coaching/ride-match.js';
import { intensityFactor, normalizedPower, trainingStressScore } from '../../../../src/domain/metrics/index.js';
import { toPlannedWorkout, workoutById, type PlannedWorkout } from '../../../../src/domain/plan/index.js';
import { workoutRideWithTruth, type WorkoutRideOptions } from '../../../../src/synthetic/workout-ride.js';
import { makePlan } from '../plan/fixtures.js';

const FTP = 250;
const MONDAY = '2026-03-02';
const TUESDAY = '2026-03-03';
const WEDNESDAY = '2026-03-04';

/** A library workout as a plan holds it, with its key. */
function planned(id: string, key: string | undefined): PlannedWorkout {
  const w = workoutById(id);
  if (!w) throw new Error(`no workout ${id}`);
  return { ...toPlannedWorkout(w), key };
}

/** A one-week plan: `byDay` maps a day of the week (0 = Monday) to its workouts' library ids. */
function plan(byDay: Record<number, string[]>) {
  return makePlan(MONDAY, 1, (_, day) => (byDay[day] ?? []).map((id, slot) => planned(id, `2026-03-0${2 + day}#${slot}`)));
}

/** The facts of a synthetic ride that follows library workout `id`. */
function rideOf(id: string, date: string, options: Partial<WorkoutRideOptions> = {}): RideFacts {
  const w = workoutById(id)!;
  const { power } = workoutRideWithTruth({
    seed: 21,
    startTime: new Date(`${date}T07:00:00Z`),
    ftp: FTP,
    workout: w,
    lateStartSeconds: 240,
    ...options,
  });
  const np = normalizedPower(power);
  return {
    activityId: `ride-${id}-${date}`,
    date,
    sport: 'cycling',
    durationMinutes: power.length / 60,
    tss: trainingStressScore(np, power.length, FTP),
    intensityFactor: intensityFactor(np, FTP),
    power,
  };
}

describe('matchRide', () => {
  it("matches a ride to the day's workout, with the session and every interval", () => {
    const ride = rideOf('sweetspot-3x10', TUESDAY);
    const match = matchRide(ride, plan({ 1: ['sweetspot-3x10'], 3: ['vo2max-5x3'] }), FTP, new Set());
    expect(match).toMatchObject({
      activityId: ride.activityId,
      workoutKey: `${TUESDAY}#0`,
      date: TUESDAY,
      rideDate: TUESDAY,
      status: 'done',
      workoutName: 'Sweet spot 3×10',
      ftp: FTP,
    });
    expect(match.intervals.map((r) => r.verdict)).toEqual(['hit', 'hit', 'hit']);
    expect(match.session.plannedMinutes).toBe(65);
    expect(match.session.doneMinutes).toBe(Math.round(ride.durationMinutes * 10) / 10);
    expect(match.session.plannedTss).toBe(planned('sweetspot-3x10', undefined).tss);
    expect(match.session.doneTss).toBe(Math.round(ride.tss! * 10) / 10);
    expect(match.session.doneIf).toBe(Math.round(ride.intensityFactor! * 1000) / 1000);
  });

  it("matches the day before's workout when the day has none, and keeps both dates", () => {
    const match = matchRide(rideOf('sweetspot-3x10', WEDNESDAY), plan({ 1: ['sweetspot-3x10'] }), FTP, new Set());
    expect(match).toMatchObject({ workoutKey: `${TUESDAY}#0`, date: TUESDAY, rideDate: WEDNESDAY, status: 'done' });
  });

  it('puts the same day first, unless the next day clearly is the session ridden', () => {
    const week = plan({ 1: ['endurance-90'], 2: ['vo2max-5x3'] });
    expect(matchRide(rideOf('endurance-90', TUESDAY), week, FTP, new Set()).workoutKey).toBe(`${TUESDAY}#0`);
    const swapped = matchRide(rideOf('vo2max-5x3', TUESDAY), plan({ 1: ['recovery-30'], 2: ['vo2max-5x3'] }), FTP, new Set());
    expect(swapped).toMatchObject({ workoutKey: `${WEDNESDAY}#0`, date: WEDNESDAY, rideDate: TUESDAY, status: 'done' });
  });

  it('leaves an unlike ride on the day before or after as extra, and a short spin on the day of a long ride', () => {
    const endurance = rideOf('endurance-60', WEDNESDAY);
    const extra = matchRide(endurance, plan({ 1: ['vo2max-5x3'] }), FTP, new Set());
    expect(extra).toMatchObject({
      workoutKey: null,
      date: WEDNESDAY,
      rideDate: WEDNESDAY,
      status: 'extra',
      workoutName: null,
      intervals: [],
    });
    expect(extra.session).toMatchObject({ plannedMinutes: 0, plannedTss: 0, plannedIf: 0 });
    const commute = matchRide(rideOf('recovery-30', TUESDAY, { lateStartSeconds: 0 }), plan({ 1: ['endurance-240'] }), FTP, new Set());
    expect(commute.status).toBe('extra');
  });

  it('never matches a workout already matched, one without a key, or a run', () => {
    const ride = rideOf('sweetspot-3x10', TUESDAY);
    const week = plan({ 1: ['sweetspot-3x10'] });
    expect(matchRide(ride, week, FTP, new Set([`${TUESDAY}#0`])).status).toBe('extra');
    const keyless = makePlan(MONDAY, 1, (_, day) => (day === 1 ? [planned('sweetspot-3x10', undefined)] : []));
    expect(matchRide(ride, keyless, FTP, new Set()).status).toBe('extra');
    const run = { ...ride, sport: 'running', power: null };
    expect(matchRide(run, week, FTP, new Set())).toMatchObject({ status: 'extra', workoutKey: null, date: TUESDAY });
  });

  it('without power, has every interval missed and goes by duration and TSS', () => {
    const ride = { ...rideOf('sweetspot-3x10', TUESDAY), power: null, intensityFactor: null };
    const match = matchRide(ride, plan({ 1: ['sweetspot-3x10'] }), FTP, new Set());
    expect(match.status).toBe('done');
    expect(match.intervals.map((r) => [r.verdict, r.avgPower, r.startSeconds])).toEqual([
      ['missed', null, null],
      ['missed', null, null],
      ['missed', null, null],
    ]);
    const short = matchRide({ ...ride, durationMinutes: 45, tss: 40 }, plan({ 1: ['sweetspot-3x10'] }), FTP, new Set());
    expect(short.status).toBe('partial');
  });

  it('says partial for a skipped repeat or a ride without the intervals', () => {
    const week = plan({ 1: ['sweetspot-3x10'] });
    const skipped = matchRide(rideOf('sweetspot-3x10', TUESDAY, { skipRepeats: [1] }), week, FTP, new Set());
    expect(skipped).toMatchObject({ workoutKey: `${TUESDAY}#0`, status: 'partial' });
    expect(skipped.intervals.map((r) => r.verdict)).toEqual(['hit', 'missed', 'hit']);
    const easy = matchRide(rideOf('sweetspot-3x10', TUESDAY, { noIntervals: true, indoor: true }), week, FTP, new Set());
    expect(easy).toMatchObject({ workoutKey: `${TUESDAY}#0`, status: 'partial' });
    expect(easy.intervals.every((r) => r.verdict === 'missed' || r.verdict === 'under')).toBe(true);
  });
});
