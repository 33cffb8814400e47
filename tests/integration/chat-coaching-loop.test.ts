/**
 * The coaching loop through the conversation on a SQLite file, with real FIT rides written by the
 * synthetic workout writer: a skipped repeat and a fading set said as such, an archive of many
 * rides answered in one message, and /plan next, /plan week N, /plan history after an adaptation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedWorkout } from '../../src/domain/plan/index.js';
import { CoachLoop } from '../../src/orchestrator/coaching/coach-loop.js';
import { COACHING_FTP, withCoachingPlan } from '../support/coaching-athlete.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { workoutRide, type WorkoutRideOptions } from '../../src/synthetic/workout-ride.js';
import { testChat, type TestChat } from '../support/chat-app.js';

const FTP = COACHING_FTP;

const chats: TestChat[] = [];
afterEach(async () => {
  while (chats.length > 0) await chats.pop()!.close();
});

/** A chat whose athlete has a profile and the generated plan as the current plan; the clock is `at()`'s. */
async function athleteWithPlan(key: string) {
  let now = new Date('2026-09-20T10:00:00Z');
  const chat = await testChat({}, { clock: () => now });
  chats.push(chat);
  const store = chat.app.store.athlete((await chat.app.store.athleteForIdentity(key, key)).id);
  const version = await withCoachingPlan(store, now);
  const workouts = version.plan.weeks[0]!.days.flatMap((day) => day.workouts.map((workout) => ({ date: day.date, workout })));
  return {
    chat,
    store,
    thread: chat.thread(key),
    workouts,
    at: (iso: string) => {
      now = new Date(iso);
    },
    clock: () => now,
  };
}

/** The workout ridden from 17:30 Berlin time on its day, as a FIT file. */
function ride(date: string, workout: PlannedWorkout, options: Partial<WorkoutRideOptions> = {}) {
  const spec = workoutRide({ seed: 7, startTime: new Date(`${date}T15:30:00Z`), ftp: FTP, workout, ...options });
  return { fileName: `${date}.fit`, content: encodeActivityFit([spec]) };
}

describe('the coaching loop in chat', () => {
  it('a skipped repeat and a fading set are said plainly, after the upload summary', async () => {
    const a = await athleteWithPlan('telegram:11');
    const tuesday = a.workouts[0]!;
    a.at(`${tuesday.date}T19:00:00Z`);
    await a.thread.upload([ride(tuesday.date, tuesday.workout, { skipRepeats: [2] })]);
    const texts = a.thread.posts.map((p) => p.text);
    expect(texts.at(-2)).toMatch(/^1 new activity stored\./);
    // one post-ride message (a ride of today): key numbers, then the compliance line, then the form
    expect(a.thread.posts.at(-1)!.title).toMatch(/ · Tuesday 22 Sep$/);
    expect(texts.at(-1)).toMatch(
      new RegExp(`^Tuesday · ${tuesday.workout.name}: partly done — 2 of 3 intervals: the third was not ridden\\. `, 'm'),
    );
    expect(texts.at(-1)).toMatch(/^Form: fitness \(CTL\) /m);

    const friday = a.workouts.find((w) => w.date === '2026-09-25')!;
    expect(friday.workout.type).toBe('sweetspot');
    a.at(`${friday.date}T19:00:00Z`);
    const before = a.thread.posts.length;
    await a.thread.upload([ride(friday.date, friday.workout, { executionPercent: [100, 90] })]);
    const reply = a.thread.posts
      .slice(before)
      .flatMap((p) => p.text.split('\n'))
      .find((line) => line.startsWith(`Friday · ${friday.workout.name}`))!;
    expect(reply).toMatch(/ — 2\/2 intervals, \d+ \/ \d+ % FTP \(target 88–93 %\), \d+ of \d+ TSS\./);
    expect(reply).toMatch(/The second faded to (7\d|8[0-7]) %\./);
    expect(reply).toMatch(/what you rode still counts/);
  });

  it('an archive of the week: one message with three rides and the rest counted; /plan marks each', async () => {
    const a = await athleteWithPlan('telegram:12');
    const sunday = a.workouts.at(-1)!;
    a.at(`${sunday.date}T19:00:00Z`);
    const before = a.thread.posts.length;
    await a.thread.upload(a.workouts.map((w) => ride(w.date, w.workout)));
    const said = a.thread.posts.slice(before).map((p) => p.text);
    expect(said[0]).toMatch(/^5 new activities stored\./);
    const compared = said.filter((t) => /compared with your plan/.test(t));
    expect(compared).toHaveLength(1);
    const lines = compared[0]!.split('\n');
    expect(lines).toHaveLength(4);
    // the three newest planned rides, in ride order
    expect(lines.slice(0, 3).map((l) => l.split(' · ')[0])).toEqual(['Friday', 'Saturday', 'Sunday']);
    expect(lines[3]).toBe('…and 2 more rides compared with your plan: /plan shows the week.');

    await a.thread.send({ kind: 'command', name: 'plan', args: '' });
    const week = a.thread.posts.at(-1)!;
    expect(week.title).toBe('This week');
    for (const w of a.workouts) expect(week.text, w.workout.name).toMatch(new RegExp(`${w.date.slice(5)}: ✓ `));
    expect(week.text).not.toMatch(/: [◐✗+] /);
  });

  it('/plan next, /plan week N (and one beyond the plan), /plan history after an adaptation', async () => {
    const a = await athleteWithPlan('telegram:13');
    a.at('2026-09-22T06:00:00Z');
    const send = (args: string) => a.thread.send({ kind: 'command', name: 'plan', args });

    await send('next');
    expect(a.thread.posts.at(-1)).toMatchObject({ title: 'Next week' });
    expect(a.thread.last()).toMatch(/^Week 2 \(/);
    await send('week 3');
    expect(a.thread.posts.at(-1)).toMatchObject({ title: 'Week 3 of 8' });
    expect(a.thread.last()).toMatch(/^Week 3 \(/);
    expect(await send('week 9')).toBe('Your plan has weeks 1–8: there is no week 9.');
    expect(await send('history')).toMatch(/^Plan made on \d{4}-\d{2}-\d{2} \(New analysis\)\.\nNo changes since\.$/);

    // the athlete is ill: the loop adapts the plan; /plan history says what changed and why
    const adapted = await new CoachLoop({ clock: a.clock }).applySignal(a.store, { kind: 'unwell', reason: 'ill' });
    expect(adapted).not.toBeNull();
    const history = await send('history');
    expect(history).toContain(`· ${adapted!.reason}`);
    for (const change of adapted!.changes) expect(history).toContain(`• ${change.text}`);
    const thisWeek = await send('');
    expect(thisWeek).toContain(`Plan version 2, `);
    // what the adaptation took out is still shown on its day, in the adaptation's words
    const week1 = new Set(a.workouts.map((w) => w.date));
    const dropped = adapted!.changes.filter((c) => c.kind === 'dropped' && c.date && week1.has(c.date));
    expect(dropped.length).toBeGreaterThan(0);
    for (const c of dropped) expect(thisWeek).toContain(`${c.date!.slice(5)}: ↻ ${c.text}`);
    const files = a.thread.files.map((f) => f.fileName);
    expect(files.filter((f) => f.endsWith('.fit')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('.fit')).length).toBe(files.filter((f) => f.endsWith('.zwo')).length);
  });
});
