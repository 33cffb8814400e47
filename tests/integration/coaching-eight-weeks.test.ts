/**
 * Eight weeks of coaching under a moved clock, through the chat as an athlete lives it: rides that
 * follow the plan uploaded as real FIT files each evening, a missed key session, an illness
 * message, an extra race, and the Monday check-ins sent by the ticker. Every adaptation is said in
 * the chat with its reason, and every version of the plan passes the validator against the input
 * it was made from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckinTicker } from '../../src/conversation/checkins.js';
import type { ChatDirectory, Reply } from '../../src/conversation/port.js';
import { addDays } from '../../src/domain/calendar.js';
import { workoutStatuses } from '../../src/domain/coaching/plan-state.js';
import type { PlanVersion } from '../../src/domain/coaching/types.js';
import { nextCheckinAt } from '../../src/domain/checkin-schedule.js';
import { generatePlan, validatePlan, type PlanInput, type PlannedWorkout } from '../../src/domain/plan/index.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { workoutRide } from '../../src/synthetic/workout-ride.js';
import { testChat, type TestChat, type TestThread } from '../support/chat-app.js';

const ZONE = 'Europe/Madrid';
const START = '2027-01-04'; // a Monday
const KEY = 'telegram:8w';

/** `date` at `hh:mm` in Madrid (winter: UTC+1). */
const at = (date: string, hh: number, mm = 0) => new Date(`${date}T${String(hh - 1).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`);

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 7,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 8,
  startDate: START,
  fitness: { ctl: 45, atl: 45, lastRideDate: addDays(START, -2) },
};

let now = at(START, 7);
let chat: TestChat;
let athleteThread: TestThread;
let athleteId: string;
const said: string[] = [];
const checkins: Reply[] = [];
let ticker: CheckinTicker;
const story: string[] = [];

const replyText = (r: Reply) => [r.title, r.text].filter(Boolean).join('\n');

async function ride(date: string, workout: PlannedWorkout, seed: number, options: { executionPercent?: number } = {}) {
  now = at(date, 20);
  const spec = workoutRide({ seed, startTime: at(date, 17), ftp: INPUT.ftp, workout, lateStartSeconds: 120, ...options });
  const before = athleteThread.posts.length;
  await athleteThread.upload([{ fileName: `${date}.fit`, content: encodeActivityFit([spec]) }]);
  said.push(...athleteThread.posts.slice(before).map(replyText));
}

/** The current plan's workouts on `date` (after every adaptation so far). */
async function plannedOn(date: string): Promise<PlannedWorkout[]> {
  const current = (await chat.app.store.athlete(athleteId).coaching.currentPlanVersion())!;
  return current.plan.weeks.flatMap((w) => w.days).find((d) => d.date === date)?.workouts ?? [];
}

beforeAll(async () => {
  chat = await testChat({}, { clock: () => now });
  athleteThread = chat.thread(KEY);
  await athleteThread.send({ kind: 'command', name: 'help', args: '' });
  const store = chat.app.store;
  athleteId = (await store.findByIdentity(KEY))?.id ?? (await store.athleteForIdentity(KEY, 'Eight Weeks')).id;
  const athlete = store.athlete(athleteId);
  await athlete.update({ timeZone: ZONE });
  await athlete.updateProfile(
    { ftp: 250, weightKg: 72, weeklyHours: 7, trainingDays: ['tue', 'thu', 'sat', 'sun'], planWeeks: 8 },
    at('2026-12-01', 9),
  );
  const plan = generatePlan(INPUT);
  if (!plan.ok) throw new Error(JSON.stringify(plan.error));
  await adoptPlan(athlete, { plan: plan.value, input: INPUT, runId: null });
  const schedule = { weekday: 'mon' as const, timeOfDay: '08:00', timeZone: ZONE };
  await athlete.setCheckin({ ...schedule, enabled: true, channelKey: KEY, nextDueAt: nextCheckinAt(schedule, now), disabledReason: null });
  const directory: ChatDirectory = {
    open: (key) =>
      key === KEY
        ? {
            ...athleteThread.thread,
            post: async (reply: Reply) => {
              checkins.push(reply);
              return athleteThread.thread.post(reply);
            },
          }
        : null,
  };
  ticker = new CheckinTicker({ store, directory, clock: () => now, claimant: 'sim' });

  // the eight weeks, evening after evening
  let seed = 1;
  for (let day = 0; day < 56; day++) {
    const date = addDays(START, day);
    const week = Math.floor(day / 7) + 1;
    const weekday = day % 7; // 0 = Monday
    if (weekday === 0) {
      now = at(date, 8, 5);
      await ticker.tick();
    }
    if (week === 3 && weekday === 0) {
      now = at(date, 9);
      const before = athleteThread.posts.length;
      await athleteThread.send({ kind: 'text', text: "I'm ill, a bad cold, for 3 days" });
      said.push(...athleteThread.posts.slice(before).map(replyText));
      story.push(`${date}: ill for 3 days`);
      continue;
    }
    if (week === 5 && weekday === 2) {
      now = at(date, 21);
      const race = syntheticRide({ seed: 900, startTime: at(date, 18), durationSeconds: 2 * 3600, ftp: 250, kind: 'race' });
      const before = athleteThread.posts.length;
      await athleteThread.upload([{ fileName: 'race.fit', content: encodeActivityFit([race]) }]);
      said.push(...athleteThread.posts.slice(before).map(replyText));
      story.push(`${date}: an extra race`);
      continue;
    }
    for (const workout of await plannedOn(date)) {
      const hard = workout.intensity !== 'easy';
      if (week === 2 && hard && !story.some((s) => s.includes('missed'))) {
        story.push(`${date}: missed ${workout.name}`);
        continue;
      }
      if (week === 3 && weekday <= 2) continue; // ill
      await ride(date, workout, seed++);
    }
  }
  now = at(addDays(START, 56), 8, 5);
  await ticker.tick();
}, 600_000);

afterAll(async () => {
  if (process.env['DUMP_SIM'])
    (await import('node:fs')).writeFileSync(
      '/tmp/sim.txt',
      [...story, '----', ...said, '---- checkins', ...checkins.map(replyText)].join('\n\n'),
    );
  await chat?.close();
});

describe('eight weeks of coaching under a moved clock', () => {
  it('matches every ride the athlete rode and says how it went', async () => {
    const matches = await chat.app.store.athlete(athleteId).coaching.matches();
    expect(matches.length).toBeGreaterThan(20);
    const planned = matches.filter((m) => m.workoutKey !== null);
    expect(planned.filter((m) => m.status === 'done').length / planned.length).toBeGreaterThan(0.8);
    expect(matches.filter((m) => m.status === 'extra')).toHaveLength(1);
    expect(said.some((t) => /: done — /.test(t))).toBe(true);
    expect(said.some((t) => /wasn't in the plan/.test(t))).toBe(true);
  });

  it('adapts the plan for the miss, the illness and the extra race, each change said in the chat', async () => {
    const versions: PlanVersion[] = await chat.app.store.athlete(athleteId).coaching.planVersions();
    expect(versions.length).toBeGreaterThanOrEqual(4);
    const reasons = versions.map((v) => v.reason).join('\n');
    expect(reasons).toMatch(/miss/i);
    expect(reasons).toMatch(/ill/i);
    const texts = [...said, ...checkins.map(replyText)].join('\n');
    for (const version of versions.slice(1)) for (const change of version.changes) expect(texts).toContain(change.text);
    // the race made the rest of its week lighter
    const raceWeek = versions.find((v) => v.changes.some((c) => /race|extra/i.test(c.text)));
    expect(raceWeek, 'an adaptation after the extra race').toBeDefined();
  });

  it('keeps every version of the plan valid against the input it was made from', async () => {
    const versions = await chat.app.store.athlete(athleteId).coaching.planVersions();
    for (const v of versions) expect(validatePlan(v.plan, v.input), `version ${v.version}: ${v.reason}`).toEqual([]);
  });

  it('writes first every Monday, once each: nine check-ins over eight weeks and the Monday after', () => {
    expect(checkins).toHaveLength(9);
    // eight with the week ahead and the answers; the ninth, after the plan, asks for the next block
    for (const c of checkins.slice(0, 8)) expect((c.buttons ?? []).flat().map((b) => b.action)).toContain('checkin:unwell');
    expect(replyText(checkins[8]!)).toMatch(/no week ahead/);
    expect(replyText(checkins[3]!)).toMatch(/TSS/);
    expect(new Set(checkins.map(replyText)).size).toBe(9);
  });

  it('shows the weeks with ✓ for rides done and ✗ for the missed session', async () => {
    now = at(addDays(START, 13), 21);
    const statuses = workoutStatuses(
      (await chat.app.store.athlete(athleteId).coaching.currentPlanVersion())!.plan,
      await chat.app.store.athlete(athleteId).coaching.matches(),
      addDays(START, 56),
    );
    expect(statuses.filter((s) => s.state === 'done').length).toBeGreaterThan(15);
    expect(statuses.some((s) => s.state === 'extra')).toBe(true);
    const week2 = await athleteThread.send({ kind: 'command', name: 'plan', args: 'week 2' });
    expect(week2).toContain('✓');
  });
});
