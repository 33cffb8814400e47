/**
 * The coaching loop's tables through the store, on each engine (a real SQLite file, a PostgreSQL
 * database): plan versions numbered in order (also from two connections), matches replaced per ride
 * and gone with the ride, events scoped to their athlete, and all of it in /export and gone after
 * /forget.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanVersion, WorkoutMatch } from '../../src/domain/coaching/types.js';
import type { Plan, PlanInput } from '../../src/domain/plan/types.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { Store } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { storeEngines } from '../support/engines.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 6,
  trainingDays: ['tue', 'thu', 'sat'],
  planWeeks: 4,
  startDate: '2027-01-04',
  fitness: { ctl: 40 },
};

function plan(name: string): Plan {
  const workout = {
    key: '2027-01-05#0',
    name,
    type: 'endurance' as const,
    intensity: 'easy' as const,
    durationMinutes: 60,
    tss: 45,
    intensityFactor: 0.68,
  };
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  return {
    startDate: '2027-01-04',
    weeks: [
      {
        week: 1,
        phase: 'base',
        targetTss: 45,
        plannedTss: 45,
        hours: 1,
        days: days.map((weekday, i) => ({ date: `2027-01-0${4 + i}`, weekday, workouts: i === 1 ? [workout] : [] })),
      },
    ],
  };
}

const version = (name: string): Omit<PlanVersion, 'version' | 'createdAt'> => ({
  reason: name,
  changes: [{ kind: 'new-plan', text: `${name} plan` }],
  plan: plan(name),
  ftp: 250,
  sourceRunId: null,
  input: INPUT,
});

async function storedRide(store: Store, athleteId: string, seed: number): Promise<string> {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: new Date('2027-01-05T17:00:00Z'), durationSeconds: 3600, ftp: 250 })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const summary = await store.athlete(athleteId).recordUpload([`ride-${seed}.fit`], { activities: decoded.value, errors: [] });
  return summary.activityIds[0]!;
}

const match = (activityId: string, status: WorkoutMatch['status']): WorkoutMatch => ({
  activityId,
  workoutKey: status === 'extra' ? null : '2027-01-05#0',
  date: '2027-01-05',
  rideDate: '2027-01-05',
  status,
  workoutName: status === 'extra' ? null : 'Endurance 1:00',
  ftp: 250,
  session: { plannedMinutes: 60, doneMinutes: 61, plannedTss: 45, doneTss: 47, plannedIf: 0.68, doneIf: 0.69 },
  intervals: [],
});

describe.each(storeEngines())('coaching tables on $name', (engine) => {
  it('number plan versions in order, the newest being the current plan, also across two connections', async () => {
    const { store, path, cleanup } = await engine.tempStore(() => new Date('2027-01-04T08:00:00Z'));
    cleanups.push(cleanup);
    const id = (await store.athleteForIdentity('telegram:1', 'Ana')).id;
    const other = await Store.open(path);
    cleanups.push(() => other.close());
    expect(await store.athlete(id).coaching.currentPlanVersion()).toBeNull();
    const saved = [
      await store.athlete(id).coaching.savePlanVersion(version('first')),
      await other.athlete(id).coaching.savePlanVersion(version('second')),
      await store.athlete(id).coaching.savePlanVersion(version('third')),
    ];
    expect(saved.map((v) => v.version)).toEqual([1, 2, 3]);
    const current = (await other.athlete(id).coaching.currentPlanVersion())!;
    expect(current.version).toBe(3);
    expect(current.reason).toBe('third');
    expect(current.plan.weeks[0]!.days[1]!.workouts[0]!.name).toBe('third');
    expect(current.input).toEqual(INPUT);
    expect((await store.athlete(id).coaching.planVersions()).map((v) => v.reason)).toEqual(['first', 'second', 'third']);
  });

  it('keep one match per ride (replaced, not added), removed with the ride', async () => {
    const { store, cleanup } = await engine.tempStore();
    cleanups.push(cleanup);
    const id = (await store.athleteForIdentity('telegram:1', 'Ana')).id;
    const athlete = store.athlete(id);
    const rideId = await storedRide(store, id, 1);
    await athlete.coaching.saveMatch(match(rideId, 'partial'), 1);
    await athlete.coaching.saveMatch(match(rideId, 'done'), 2);
    expect((await athlete.coaching.matches()).map((m) => m.status)).toEqual(['done']);
    expect((await athlete.coaching.matchOf(rideId))?.status).toBe('done');
    await athlete.deleteActivity(rideId, 'test');
    expect(await athlete.coaching.matches()).toEqual([]);
  });

  it('scope events to their athlete; export holds everything and forget removes it', async () => {
    const { store, cleanup } = await engine.tempStore();
    cleanups.push(cleanup);
    const ana = store.athlete((await store.athleteForIdentity('telegram:1', 'Ana')).id);
    const ben = store.athlete((await store.athleteForIdentity('telegram:2', 'Ben')).id);
    const marmotte = await ana.coaching.addEvent({ date: '2027-07-04', priority: 'A', name: 'Marmotte' });
    await ana.coaching.addEvent({ date: '2027-05-16', priority: 'B', name: 'Club TT' });
    expect(await ben.coaching.removeEvent(marmotte.id)).toBeNull();
    expect((await ana.coaching.events()).map((e) => e.name)).toEqual(['Club TT', 'Marmotte']);
    expect(await ben.coaching.events()).toEqual([]);
    await ana.coaching.savePlanVersion(version('first'));
    const rideId = await storedRide(store, ana.athleteId, 2);
    await ana.coaching.saveMatch(match(rideId, 'extra'), 1);

    const exported = await ana.export();
    expect(exported.events.map((e) => e.priority)).toEqual(['B', 'A']);
    expect(exported.planVersions).toHaveLength(1);
    expect(exported.workoutMatches[0]!.activityId).toBe(rideId);

    expect((await ana.coaching.removeEvent(marmotte.id))?.name).toBe('Marmotte');
    await ana.forget();
    const counts = (await store.check()).counts;
    expect(counts['planVersions']).toBe(0);
    expect(counts['workoutMatches']).toBe(0);
    expect(counts['athleteEvents']).toBe(0);
  });
});
