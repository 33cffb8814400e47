/**
 * The weekly check-in with a moved clock, on SQLite and on PostgreSQL: what it says from the stored
 * plan, rides and matches; sent once each — across a restart, by two tickers on one database (and
 * by two processes on one SQLite file) — one catch-up after downtime, a claim of a ticker that died
 * taken over after its lease, a blocked user's check-ins turned off. /checkin and the check-in's
 * buttons in the chat: checkins-chat.test.ts.
 * (When a check-in is due: tests/unit/domain/checkin-schedule.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkinReview } from '../../src/conversation/checkin-review.js';
import { CheckinTicker } from '../../src/conversation/checkins.js';
import { zonedDate } from '../../src/domain/calendar.js';
import { computeActivityMetrics } from '../../src/domain/metrics/activity-metrics.js';
import { generatePlan } from '../../src/domain/plan/generate-plan.js';
import type { PlanInput } from '../../src/domain/plan/types.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import { Store, type AthleteStore } from '../../src/store/store.js';
import { match } from '../support/compliance-fixture.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';
import { recordingDirectory } from '../support/recording-directory.js';
import { tempStore } from '../support/store.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';
import { raceTwoTickerProcesses } from '../support/ticker-race.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const at = (iso: string) => new Date(iso);
const ZONE = 'Europe/Berlin';
const FTP = 250;

const INPUT: PlanInput = {
  ftp: FTP,
  weeklyHours: 6,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2026-03-02',
  fitness: { ctl: 40 },
};

/** The plan an analysis would make from INPUT, adopted as the athlete's current plan (version 1, every workout keyed). */
async function withPlan(athlete: AthleteStore) {
  const plan = generatePlan(INPUT);
  if (!plan.ok) throw new Error(JSON.stringify(plan.error));
  return adoptPlan(athlete, { plan: plan.value, input: INPUT, runId: null });
}

function ride(seed: number, start: string, minutes: number) {
  const decoded = decodeFit(syntheticRideBytes(seed, at(start), minutes, FTP), `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

/** An athlete in Berlin with FTP 250 and a check-in due at `due` (Monday 08:00 by default), delivered to `key`. */
async function athleteWithCheckin(store: Store, key: string, due: Date | null, options: { plan?: boolean } = {}): Promise<AthleteStore> {
  const athlete = store.athlete((await store.athleteForIdentity(key, `Rider ${key}`)).id);
  await athlete.update({ timeZone: ZONE });
  await athlete.updateProfile({ ftp: FTP }, at('2025-01-01T00:00:00Z'));
  if (options.plan) await withPlan(athlete);
  await athlete.setCheckin({ enabled: true, weekday: 'mon', timeOfDay: '08:00', timeZone: ZONE, channelKey: key, nextDueAt: due });
  return athlete;
}

/** 2026-03-09 is a Monday; 08:00 in Berlin (CET) is 07:00 UTC. */
const MONDAY = '2026-03-09T07:00:00Z';

/** A store on `engine` and `clock`: one athlete with a plan and a check-in due on MONDAY, and a ticker recording what it sends. */
async function oneAthleteTicking(engine: EngineUnderTest, clock: () => Date) {
  const { store, cleanup } = await engine.tempStore(clock);
  cleanups.push(cleanup);
  const athlete = await athleteWithCheckin(store, 'telegram:1', at(MONDAY), { plan: true });
  const { dir, sent } = recordingDirectory();
  return { athlete, sent, ticker: new CheckinTicker({ store, directory: dir, clock, claimant: 'p1' }) };
}

describe.each(storeEngines())('check-ins on $name', (engine) => {
  describe('what a check-in says, from the store', () => {
    it('last week planned against done by the athlete days, form now, the week ahead, and the changes since the last check-in', async () => {
      let now = at('2026-03-01T10:00:00Z');
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      const athlete = await athleteWithCheckin(store, 'telegram:1', at(MONDAY));
      const v1 = await withPlan(athlete);
      const week1 = v1.plan.weeks[0]!.days.flatMap((d) => d.workouts.map((w) => ({ date: d.date, name: w.name, key: w.key! })));
      expect(week1.length).toBeGreaterThanOrEqual(3);
      const [first, second, third] = week1 as [(typeof week1)[0], (typeof week1)[0], (typeof week1)[0]];
      // rides: the first workout (done), the third (partly), one not in the plan, and one late on Sunday
      // evening UTC that is already Monday in Berlin (this week, not last)
      const rides = [
        ride(11, `${first.date}T16:00:00Z`, 60),
        ride(12, `${third.date}T08:00:00Z`, 45),
        ride(13, '2026-03-06T17:00:00Z', 50),
        ride(14, '2026-03-08T23:30:00Z', 40),
      ];
      await athlete.recordUpload(['week'], { activities: rides, errors: [] });
      // the stored ids, in ride order
      const ids = (await athlete.activitiesBetween(at('2026-03-01T00:00:00Z'), at('2026-03-10T00:00:00Z'))).map((a) => a.activity.id);
      expect(ids).toHaveLength(4);
      await athlete.coaching.saveMatch(
        { ...match({ activityId: ids[0]!, date: first.date, status: 'done', doneTss: 60 }), workoutKey: first.key },
        1,
      );
      await athlete.coaching.saveMatch(
        { ...match({ activityId: ids[1]!, date: third.date, status: 'partial', doneTss: 30 }), workoutKey: third.key },
        1,
      );
      await athlete.coaching.saveMatch(match({ activityId: ids[2]!, date: '2026-03-06', status: 'extra', doneTss: 40 }), 1);
      // a version made during the week, after the last check-in
      now = at('2026-03-05T12:00:00Z');
      await athlete.coaching.savePlanVersion({
        reason: 'Missed a key session',
        changes: [{ kind: 'moved', text: `${second.name} moved: missed.` }],
        plan: v1.plan,
        ftp: FTP,
        sourceRunId: null,
        input: INPUT,
      });
      now = at(MONDAY);

      const review = await checkinReview(athlete, now, ZONE, at('2026-03-02T07:00:00Z'));
      expect(review).toMatchObject({ today: '2026-03-09', hasPlan: true, last: { from: '2026-03-02', to: '2026-03-08' } });
      const plannedLastWeek = week1.filter((w) => w.date <= '2026-03-08');
      expect(review.last.planned.sessions).toBe(plannedLastWeek.length);
      expect(review.last.planned.tss).toBeCloseTo(v1.plan.weeks[0]!.plannedTss, 0);
      expect(review.last.done.sessions).toBe(2);
      expect(review.last.partial).toBe(1);
      expect(review.last.missed.map((m) => m.name)).toContain(second.name);
      expect(review.last.missed).toHaveLength(plannedLastWeek.length - 2);
      expect(review.last.extra).toBe(1);
      // done hours and TSS: the three rides of last week in Berlin, not the one already on Monday there
      const inLastWeek = rides.filter((r) => zonedDate(r.startTime, ZONE) <= '2026-03-08');
      expect(inLastWeek).toHaveLength(3);
      const metrics = inLastWeek.map((r) => computeActivityMetrics(r, { ftp: FTP }));
      expect(review.last.rides).toBe(3);
      expect(review.last.done.hours).toBeCloseTo(
        metrics.reduce((s, m) => s + (m.movingSeconds ?? 0) / 3600, 0),
        6,
      );
      expect(review.last.done.tss).toBeCloseTo(
        metrics.reduce((s, m) => s + (m.load ?? 0), 0),
        6,
      );
      // a first week of riding from nothing: fatigue above fitness, form negative
      expect(review.form.ctl).toBeGreaterThan(0);
      expect(review.form.atl).toBeGreaterThan(review.form.ctl);
      expect(review.form.tsb).toBeLessThan(0);
      // the week ahead is the plan's week 2, with its workouts
      expect(review.coming.week?.week).toBe(2);
      expect(review.coming.statuses.filter((s) => s.state !== 'extra')).toHaveLength(
        v1.plan.weeks[1]!.days.flatMap((d) => d.workouts).length,
      );
      // version 1 came before the last check-in, version 2 after it
      expect(review.changes).toEqual([{ version: 2, reason: 'Missed a key session', texts: [`${second.name} moved: missed.`] }]);
      // never sent before: the changes of the last seven days (version 1 is older)
      expect((await checkinReview(athlete, now, ZONE, null)).changes.map((c) => c.version)).toEqual([2]);
    });
  });

  describe('the check-in ticker', () => {
    it('sends the check-in once, with the week ahead and the three answers, and schedules next Monday 08:00', async () => {
      const now = at(MONDAY);
      const { athlete, sent, ticker } = await oneAthleteTicking(engine, () => now);
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      const [message] = sent.get('telegram:1')!;
      expect(message!.title).toBe('Hi Rider telegram:1 — your weekly check-in');
      expect(message!.text).toMatch(/^Last week \(Mon 2 Mar – Sun 8 Mar\): 0 of \d+ planned sessions ridden/);
      expect(message!.text).toMatch(/Form now: fitness \(CTL\) /);
      expect(message!.text).toMatch(/The week ahead \(Mon 9 Mar – Sun 15 Mar\):\nWeek 2 /);
      expect(message!.buttons?.flat().map((b) => b.action)).toEqual(['checkin:ok', 'checkin:unwell', 'checkin:less-time']);
      expect(await athlete.checkin()).toMatchObject({ lastSentAt: now, nextDueAt: at('2026-03-16T07:00:00Z') });
      // no ride since the plan began: the plan was brought up to date before it was written, and it says how
      const versions = await athlete.coaching.planVersions();
      expect(versions.length).toBe(2);
      expect(versions[1]!.changes.some((c) => c.missed)).toBe(true);
      for (const change of versions[1]!.changes) expect(message!.text).toContain(change.text);
    });

    it('after six weeks down sends exactly one catch-up, then waits for the next Monday (now in summer time)', async () => {
      let now = at('2026-04-22T10:00:00Z');
      const { athlete, sent, ticker } = await oneAthleteTicking(engine, () => now);
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      expect(sent.get('telegram:1')).toHaveLength(1);
      expect((await athlete.checkin())!.nextDueAt).toEqual(at('2026-04-27T06:00:00Z')); // 08:00 CEST
      now = at('2026-04-27T05:59:00Z');
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      now = at('2026-04-27T06:00:00Z');
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(sent.get('telegram:1')).toHaveLength(2);
    });

    it('is not sent again after a restart; a claim of a ticker that died is taken over once its lease is over', async () => {
      let now = at(MONDAY);
      const { store, path, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      await athleteWithCheckin(store, 'telegram:1', new Date(at(MONDAY).getTime() - 60_000), { plan: true });
      await athleteWithCheckin(store, 'telegram:2', at(MONDAY), { plan: true });
      // a process claimed the oldest (telegram:1) and died before sending it
      expect((await store.claimDueCheckins(now, 'dead-process', undefined, 1)).map((c) => c.channelKey)).toEqual(['telegram:1']);
      // this process sends the other, then restarts
      const before = recordingDirectory();
      expect(await new CheckinTicker({ store, directory: before.dir, clock: () => now, claimant: 'p1' }).tick()).toMatchObject({ sent: 1 });
      expect([...before.sent.keys()]).toEqual(['telegram:2']);
      await store.close();

      const restarted = await Store.open(path, { clock: () => now });
      cleanups.push(() => restarted.close());
      const after = recordingDirectory();
      const ticker = new CheckinTicker({ store: restarted, directory: after.dir, clock: () => now, claimant: 'p1-restarted' });
      expect(await ticker.tick()).toMatchObject({ sent: 0 }); // telegram:2 was sent; telegram:1 is still claimed
      now = new Date(at(MONDAY).getTime() + 9 * 60_000);
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      now = new Date(at(MONDAY).getTime() + 11 * 60_000); // the dead claim's 10-minute lease is over
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      expect([...after.sent.keys()]).toEqual(['telegram:1']);
      expect(after.sent.get('telegram:1')).toHaveLength(1);
    });

    it('two tickers racing on one database send each check-in once', async () => {
      const now = at(MONDAY);
      const { store, path, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      for (let i = 0; i < 12; i++) await athleteWithCheckin(store, `telegram:${i}`, at(MONDAY), { plan: i % 3 === 0 });
      const other = await Store.open(path, { clock: () => now }); // a second process's connection
      cleanups.push(() => other.close());
      const { dir, sent } = recordingDirectory({ delayMs: 5 });
      const one = new CheckinTicker({ store, directory: dir, clock: () => now, claimant: 'process-1', batchSize: 3 });
      const two = new CheckinTicker({ store: other, directory: dir, clock: () => now, claimant: 'process-2', batchSize: 3 });
      const results = await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
      expect(results.reduce((s, r) => s + r.sent, 0)).toBe(12);
      expect(sent.size).toBe(12);
      expect([...sent.values()].map((r) => r.length)).toEqual(new Array(12).fill(1));
    });

    it('turns off the check-ins of a user who blocked the bot, with the reason; retries a transient failure next pass', async () => {
      const now = at(MONDAY);
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      const blocked = await athleteWithCheckin(store, 'telegram:7', at(MONDAY), { plan: true });
      const flaky = await athleteWithCheckin(store, 'discord:8', at(MONDAY), { plan: true });
      const { dir, sent } = recordingDirectory({ blocked: ['telegram:7'], flaky: ['discord:8'] });
      const ticker = new CheckinTicker({ store, directory: dir, clock: () => now, claimant: 'p' });
      expect(await ticker.tick()).toMatchObject({ sent: 0, disabled: 1, failed: 1 });
      expect(await blocked.checkin()).toMatchObject({ enabled: false, disabledReason: 'Telegram: the user blocked the bot (403)' });
      expect(await flaky.checkin()).toMatchObject({ enabled: true, nextDueAt: at(MONDAY), lastSentAt: null });
      expect(await ticker.tick()).toMatchObject({ sent: 1, disabled: 0 });
      expect(sent.get('discord:8')).toHaveLength(1);
      expect(sent.has('telegram:7')).toBe(false);
      expect(await ticker.tick()).toMatchObject({ sent: 0, disabled: 0, failed: 0 });
    });

    it('leaves the check-ins of a platform that does not run here to the process that runs it', async () => {
      const now = at(MONDAY);
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      await athleteWithCheckin(store, 'discord:1', at(MONDAY));
      const telegramOnly = recordingDirectory();
      const ticker = new CheckinTicker({
        store,
        directory: { open: (k) => (k.startsWith('telegram:') ? telegramOnly.dir.open(k) : null) },
        clock: () => now,
        claimant: 'telegram-only',
      });
      expect(await ticker.tick()).toMatchObject({ sent: 0, skipped: 1 });
      expect(telegramOnly.sent.size).toBe(0);
    });
  });
});

// SQLite only here: the ticker processes (tests/support/ticker-race.ts) open a database file
describe('the check-in ticker, in two processes on SQLite', () => {
  it('two tickers in two processes on one database file send each of 120 due check-ins exactly once', async () => {
    const now = at('2026-06-01T08:00:00Z'); // the children's clock
    const { store, path, dir } = await tempStore(() => now);
    cleanups.push(() => store.close());
    for (let i = 0; i < 120; i++) await athleteWithCheckin(store, `telegram:${i}`, at('2026-06-01T06:00:00Z'), { plan: i % 10 === 0 });
    const { sent, delivered } = await raceTwoTickerProcesses(path, dir, 'checkin');
    expect(delivered).toHaveLength(120);
    expect(new Set(delivered.map(([key]) => key)).size).toBe(120);
    expect(sent[0] + sent[1]).toBe(120);
    // both processes did part of the work: a real race, not one process doing it all
    expect(new Set(delivered.map(([, name]) => name))).toEqual(new Set(['one', 'two']));
    expect(await store.claimDueCheckins(now, 'check')).toEqual([]);
    const next = (await store.athlete((await store.findByIdentity('telegram:7'))!.id).checkin())!;
    expect(next).toMatchObject({ lastSentAt: now, nextDueAt: at('2026-06-08T06:00:00Z') });
  }, 60_000);
});
