/**
 * The weekly check-in in the running app, on SQLite and on PostgreSQL: the app starts its ticker
 * beside the reminders one; /checkin shows, turns on, moves and turns off the check-in; a first plan
 * turns it on once; the check-in's three answers. The check-in itself and its ticker:
 * checkins.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CheckinTicker } from '../../src/conversation/checkins.js';
import { startCheckinsWithPlan } from '../../src/conversation/handlers/checkin.js';
import { nextCheckinAt } from '../../src/domain/checkin-schedule.js';
import { generatePlan } from '../../src/domain/plan/generate-plan.js';
import type { PlanInput } from '../../src/domain/plan/types.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import { CoachLoop } from '../../src/orchestrator/coaching/coach-loop.js';
import type { AthleteStore, Store } from '../../src/store/store.js';
import { testChat } from '../support/chat-app.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';
import { recordingDirectory } from '../support/recording-directory.js';

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

/** An athlete in Berlin with FTP 250, a plan, and a check-in due at `due`, delivered to `key`. */
async function athleteWithCheckin(store: Store, key: string, due: Date): Promise<AthleteStore> {
  const athlete = store.athlete((await store.athleteForIdentity(key, `Rider ${key}`)).id);
  await athlete.update({ timeZone: ZONE });
  await athlete.updateProfile({ ftp: FTP }, at('2025-01-01T00:00:00Z'));
  await withPlan(athlete);
  await athlete.setCheckin({ enabled: true, weekday: 'mon', timeOfDay: '08:00', timeZone: ZONE, channelKey: key, nextDueAt: due });
  return athlete;
}

/** 2026-03-09 is a Monday; 08:00 in Berlin (CET) is 07:00 UTC. */
const MONDAY = '2026-03-09T07:00:00Z';

/** A chat app on `clock` whose store is on `engine` (DATABASE_URL for PostgreSQL, DATABASE_PATH for SQLite); closed after the test. */
async function chatOn(engine: EngineUnderTest, clock: () => Date) {
  const { location, cleanup } = await engine.location();
  cleanups.push(cleanup);
  const chat = await testChat(engine.name === 'PostgreSQL' ? { DATABASE_URL: location } : { DATABASE_PATH: location }, { clock });
  cleanups.push(() => chat.close());
  return chat;
}

describe.each(storeEngines())('check-ins in the chat on $name', (engine) => {
  describe('the running app', () => {
    it('starts the check-in ticker beside the reminders one, on its clock, through the running bots', async () => {
      const now = at(MONDAY);
      const chat = await chatOn(engine, () => now);
      const athlete = await athleteWithCheckin(chat.app.store, 'telegram:9', at(MONDAY));
      await athlete.setReminder({
        enabled: true,
        dayOfMonth: '9',
        timeOfDay: '08:00',
        timeZone: ZONE,
        channelKey: 'telegram:9',
        nextDueAt: at(MONDAY),
      });
      const { dir, sent } = recordingDirectory();
      chat.app.directories.add(dir);
      await chat.app.startTickers('app').stop(); // the first pass runs at start; stop waits for it
      expect(sent.get('telegram:9')!.map((r) => r.title)).toEqual(
        expect.arrayContaining(['Hi Rider telegram:9 — your weekly check-in', 'Hi Rider telegram:9 — your month in review']),
      );
      expect((await athlete.checkin())!.lastSentAt).toEqual(now);
    });
  });

  describe('/checkin and the answers to a check-in, in the chat', () => {
    it('shows, turns on (Monday 08:00 in the athlete zone), moves and turns off the check-in; off, none is sent', async () => {
      const now = at('2026-03-04T12:00:00Z'); // a Wednesday
      const chat = await chatOn(engine, () => now);
      const me = chat.thread('telegram:42');
      await me.send({ kind: 'command', name: 'profile', args: 'time zone Europe/Berlin' });
      expect(await me.send({ kind: 'command', name: 'checkin', args: '' })).toMatch(/^Off\. Turn on with \/checkin on/);
      expect(await me.send({ kind: 'command', name: 'checkin', args: 'on' })).toBe(
        'Weekly check-in on: every Monday at 08:00 (Europe/Berlin). The next one comes on Mon 9 Mar 2026, 08:00 (Europe/Berlin).',
      );
      const athlete = chat.app.store.athlete((await chat.app.store.findByIdentity('telegram:42'))!.id);
      expect(await athlete.checkin()).toMatchObject({ enabled: true, channelKey: 'telegram:42', nextDueAt: at(MONDAY) });
      expect(await me.send({ kind: 'command', name: 'checkin', args: 'day sunday time 7:30pm' })).toMatch(
        /every Sunday at 19:30 \(Europe\/Berlin\)\. The next one comes on Sun 8 Mar 2026, 19:30/,
      );
      expect((await athlete.checkin())!.nextDueAt).toEqual(at('2026-03-08T18:30:00Z'));
      expect(await me.send({ kind: 'command', name: 'checkin', args: 'day funday' })).toMatch(/"funday" is not a weekday/);
      expect(await me.send({ kind: 'command', name: 'checkin', args: 'off' })).toMatch(/^Weekly check-in off\./);
      expect(await athlete.checkin()).toMatchObject({ enabled: false, nextDueAt: null, weekday: 'sun', timeOfDay: '19:30' });
      const { dir, sent } = recordingDirectory();
      const later = at('2026-03-20T12:00:00Z');
      expect(await new CheckinTicker({ store: chat.app.store, directory: dir, clock: () => later, claimant: 't' }).tick()).toMatchObject({
        sent: 0,
      });
      expect(sent.size).toBe(0);
    });

    it('a first plan turns the check-ins on with the defaults, once; an athlete who turned them off keeps that', async () => {
      const now = at('2026-03-04T12:00:00Z');
      const chat = await chatOn(engine, () => now);
      const me = chat.thread('telegram:43');
      await me.send({ kind: 'command', name: 'profile', args: 'time zone Europe/Berlin' });
      const store = chat.app.store;
      const athlete = store.athlete((await store.findByIdentity('telegram:43'))!.id);
      const turn = {
        deps: { store, clock: () => now } as never,
        thread: me.thread,
        athlete,
        shared: { operatorHinted: false },
        loop: new CoachLoop({ clock: () => now }),
      };
      expect(await startCheckinsWithPlan(turn)).toBeNull();
      expect(await athlete.checkin()).toBeNull(); // no plan yet
      await withPlan(athlete);
      const notice = await startCheckinsWithPlan(turn);
      expect(await athlete.checkin()).toMatchObject({
        enabled: true,
        weekday: 'mon',
        timeOfDay: '08:00',
        timeZone: ZONE,
        channelKey: 'telegram:43',
      });
      expect((await athlete.checkin())!.nextDueAt).toEqual(nextCheckinAt({ weekday: 'mon', timeOfDay: '08:00', timeZone: ZONE }, now));
      expect(notice?.text).toMatch(
        /^I will check in on your plan every Monday at 08:00, first on Mon 9 Mar 2026, 08:00 \(Europe\/Berlin\)\./,
      );
      await me.send({ kind: 'command', name: 'checkin', args: 'off' });
      const posts = me.posts.length;
      await withPlan(athlete); // a new analysis
      expect(await startCheckinsWithPlan(turn)).toBeNull();
      expect((await athlete.checkin())!.enabled).toBe(false);
      expect(me.posts).toHaveLength(posts);
    });

    it('"Looks good" says when the next one comes; "Less time this week" cuts the rest of the week to two thirds; "I\'m ill/tired" eases it', async () => {
      const now = at('2026-03-10T07:00:00Z'); // Tuesday morning of week 2
      const chat = await chatOn(engine, () => now);
      const me = chat.thread('telegram:44');
      await me.send({ kind: 'command', name: 'profile', args: 'time zone Europe/Berlin' });
      expect(await me.send({ kind: 'action', action: 'checkin:less-time' })).toMatch(/no plan yet/);
      const athlete = chat.app.store.athlete((await chat.app.store.findByIdentity('telegram:44'))!.id);
      await athlete.updateProfile({ ftp: FTP }, at('2025-01-01T00:00:00Z'));
      const v1 = await withPlan(athlete);
      await me.send({ kind: 'command', name: 'checkin', args: 'on' });
      expect(await me.send({ kind: 'action', action: 'checkin:ok' })).toBe(
        'Great — ride well this week. I will check in again on Mon 16 Mar 2026, 08:00 (Europe/Berlin).',
      );
      expect((await athlete.coaching.currentPlanVersion())!.version).toBe(v1.version);

      const left = v1.plan.weeks[1]!.days.filter((d) => d.date >= '2026-03-10').flatMap((d) => d.workouts);
      const leftHours = left.reduce((s, w) => s + w.durationMinutes / 60, 0);
      const hours = Math.round(((leftHours * 2) / 3) * 2) / 2;
      const reply = await me.send({ kind: 'action', action: 'checkin:less-time' });
      expect(
        reply.startsWith(
          `Less time this week (${hours} h, two thirds of the ${Number(leftHours.toFixed(1))} h left): your plan is now version 2`,
        ),
      ).toBe(true);
      const v2 = (await athlete.coaching.currentPlanVersion())!;
      expect(v2.version).toBe(2);
      expect(v2.changes.some((c) => c.kind === 'less-time')).toBe(true);
      const week2 = v2.plan.weeks[1]!.days.filter((d) => d.date >= '2026-03-10').flatMap((d) => d.workouts);
      expect(week2.reduce((s, w) => s + w.durationMinutes / 60, 0)).toBeLessThan(leftHours);

      await me.send({ kind: 'action', action: 'checkin:unwell' });
      expect(me.posts.at(-1)!.text).toMatch(/^Thanks for telling me — tired legs need easy days\./);
      expect((await athlete.coaching.currentPlanVersion())!.version).toBeGreaterThanOrEqual(2);
    });
  });
});
