/**
 * "I'm ill", "I'm travelling until Friday" in chat, on a real database: the coaching loop eases the
 * plan and the reply gives each change as the new version states it, or "No change needed"; a
 * question about it stays a question; the buttons do the same; without a plan, nothing to change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generatePlan, planInputFromProfile } from '../../src/domain/plan/index.js';
import { EMPTY_PROFILE, type ProfileFields } from '../../src/domain/profile.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import type { AthleteStore } from '../../src/store/store.js';
import { testChat, type TestChat } from '../support/chat-app.js';

/** Wednesday 10 March 2027, 09:00 UTC. */
const NOW = new Date('2027-03-10T09:00:00Z');
const PROFILE: ProfileFields = {
  ...EMPTY_PROFILE,
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['wed', 'thu', 'fri', 'sat', 'sun'],
  planWeeks: 8,
};

const chats: TestChat[] = [];
afterEach(async () => {
  while (chats.length > 0) await chats.pop()!.close();
});

/** A chat whose athlete has a current plan from Monday 8 March (when `withPlan`). */
async function setup(key: string, withPlan: boolean) {
  const chat = await testChat({}, { clock: () => NOW });
  chats.push(chat);
  const t = chat.thread(key);
  const store = chat.app.store;
  const athlete: AthleteStore = store.athlete((await store.athleteForIdentity(key, key)).id);
  await athlete.updateProfile(PROFILE, new Date('2027-01-01T00:00:00Z'));
  if (withPlan) {
    const input = planInputFromProfile(PROFILE, { ctl: 50, atl: 50, limiters: [], strengths: [] }, '2027-03-08');
    if (!input.ok) throw new Error(JSON.stringify(input.error));
    const plan = generatePlan(input.value);
    if (!plan.ok) throw new Error(JSON.stringify(plan.error));
    await adoptPlan(athlete, { plan: plan.value, input: input.value, runId: null });
  }
  return { t, athlete };
}

/** The workouts of the plan's days from `from` to `to`. */
async function workoutsBetween(athlete: AthleteStore, from: string, to: string) {
  return (await athlete.coaching.currentPlanVersion())!.plan.weeks
    .flatMap((w) => w.days)
    .filter((d) => d.date >= from && d.date <= to)
    .flatMap((d) => d.workouts);
}

describe('the athlete says they are ill, tired or travelling', () => {
  it('"I\'m ill" eases the plan and the reply lists each change of the new version', async () => {
    const { t, athlete } = await setup('memory:wb1', true);
    expect((await workoutsBetween(athlete, '2027-03-10', '2027-03-12')).length).toBeGreaterThan(0);
    await t.send({ kind: 'text', text: "Sorry coach, I'm ill" });
    const version = (await athlete.coaching.currentPlanVersion())!;
    expect(version.version).toBe(2);
    expect(version.reason).toBe('Ill (3 days)');
    const reply = t.posts.at(-1)!;
    expect(reply.title).toBe('Plan updated');
    expect(reply.text.split('\n')).toEqual([
      `Sorry to hear you are ill — rest comes first. Your plan is now version 2 (${version.reason}):`,
      ...version.changes.map((c) => `• ${c.text}`),
    ]);
    expect(reply.buttons?.[0]?.[0]).toEqual({ label: 'This week', action: 'plan' });
    // ill: rest from today, three days
    expect(await workoutsBetween(athlete, '2027-03-10', '2027-03-12')).toEqual([]);

    // travelling over the same days: nothing more to ease
    const said = await t.send({ kind: 'text', text: "I'm travelling until Friday" });
    expect(said).toBe(
      'Safe travels.\nNo change needed: your plan has nothing to ease until 12 Mar 2027 (it is rest or easy riding already). Ride by feel, and tell me if anything else comes up.',
    );
    expect((await athlete.coaching.currentPlanVersion())!.version).toBe(2);
  }, 60_000);

  it('a question about it stays a question for the coach: the plan does not change', async () => {
    const { t, athlete } = await setup('memory:wb2', true);
    for (const text of ['should I ride when I am tired?', "Is it ok to train when I'm sick", 'I was ill last month']) {
      await t.send({ kind: 'text', text });
      expect(t.posts.at(-1)!.title ?? '').not.toBe('Plan updated');
    }
    expect(await athlete.coaching.planVersions()).toHaveLength(1);
  }, 60_000);

  it('the buttons do what the words do', async () => {
    const { t, athlete } = await setup('memory:wb3', true);
    await t.send({ kind: 'action', action: 'wellbeing:tired' });
    const version = (await athlete.coaching.currentPlanVersion())!;
    expect(version.version).toBe(2);
    expect(version.reason).toBe('Tired (2 days)');
    expect(t.last().split('\n')[0]).toBe(
      `Thanks for telling me — tired legs need easy days. Your plan is now version 2 (${version.reason}):`,
    );
    // hard sessions of the next two days are gone or easy now
    expect((await workoutsBetween(athlete, '2027-03-10', '2027-03-11')).every((w) => w.intensity === 'easy')).toBe(true);
  }, 60_000);

  it('without a plan there is nothing to change', async () => {
    const { t, athlete } = await setup('memory:wb4', false);
    expect(await t.send({ kind: 'text', text: 'feeling sick' })).toBe(
      'Sorry to hear you are ill — rest comes first. You have no plan yet, so there is nothing to change. When you are back, send your rides and /analyze, and I will plan around days like these.',
    );
    expect(await athlete.coaching.currentPlanVersion()).toBeNull();
  }, 60_000);
});

describe('the athlete changes their profile while a plan runs', () => {
  it('"ftp 270" rescales the plan: a version on the new FTP, said in the reply; the same FTP again changes nothing', async () => {
    const { t, athlete } = await setup('memory:ftp1', true);
    const reply = await t.send({ kind: 'text', text: 'ftp 270' });
    expect(reply).toContain('FTP 270 W (was 250 W)');
    expect(reply).toMatch(/^Updated: FTP 270 W \(was 250 W\), your plan from today: .* is now \d+–\d+ W/);
    const version = (await athlete.coaching.currentPlanVersion())!;
    expect(version).toMatchObject({ version: 2, ftp: 270 });
    expect(version.input.ftp).toBe(270);
    expect(version.changes[0]!.kind).toBe('ftp');
    await t.send({ kind: 'text', text: 'ftp 270' });
    expect(await athlete.coaching.planVersions()).toHaveLength(2);
    // the head-unit files of /plan now carry the new watts
    await t.send({ kind: 'command', name: 'plan', args: '' });
    expect(t.files.some((f) => f.fileName.endsWith('.fit'))).toBe(true);
  });

  it('a new time zone moves the weekly check-in with it: 08:00 stays 08:00 where the athlete is', async () => {
    const { t, athlete } = await setup('memory:tz1', true);
    await athlete.setCheckin({
      enabled: true,
      weekday: 'mon',
      timeOfDay: '08:00',
      timeZone: 'UTC',
      channelKey: 'memory:tz1',
      nextDueAt: new Date('2027-03-15T08:00:00Z'),
      disabledReason: null,
    });
    expect(await t.send({ kind: 'text', text: 'time zone Tokyo' })).toContain('Tokyo');
    expect(await athlete.checkin()).toMatchObject({ timeZone: 'Asia/Tokyo', nextDueAt: new Date('2027-03-14T23:00:00Z') });
  });
});
