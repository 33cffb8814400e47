/**
 * The coaching loop in chat, on every platform: an athlete with a current plan uploads a real FIT
 * ride that follows the plan's first workout, on its day; the bot compares it with the workout
 * (every work interval against its target, the TSS) and says so, then /plan shows the workout ✓
 * and /plan history the plan's first version. Time moves with the clock the app is given.
 */
import { describe, expect, it } from 'vitest';
import type { ChatApp } from '../../src/app/chat-app.js';
import { zonedDate } from '../../src/domain/calendar.js';
import { workIntervals } from '../../src/domain/coaching/work-intervals.js';
import { COACHING_FTP, COACHING_ZONE, withCoachingPlan } from '../support/coaching-athlete.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { workoutRide } from '../../src/synthetic/workout-ride.js';
import { suiteAthletes, type DriverFactory } from './driver.js';

export interface CoachingLoopPlatform {
  factory: DriverFactory;
  /** The app behind the drivers on this database (its store holds the athlete's plan). */
  app(dbPath: string): Promise<ChatApp | null>;
}

const ZONE = COACHING_ZONE;
const FTP = COACHING_FTP;

/** @param platform builds the platform with its app on `clock`, which the suite moves. */
export function runCoachingLoopContract(platform: (clock: () => Date) => CoachingLoopPlatform): void {
  let now = new Date('2026-09-20T10:00:00Z');
  const { factory, app } = platform(() => now);

  describe(`coaching loop: an upload compared with the plan, /plan ticks it — ${factory.name}`, () => {
    const { athlete, dbPath } = suiteAthletes(factory, 'coaching-loop', 900);

    it('a ride that follows the first planned workout gets the compliance reply, and /plan shows it ✓', async () => {
      const d = await athlete();
      await d.send('/help'); // the bot knows the chat

      // the athlete, set up through the store: a profile, then a plan adopted as the current plan
      const running = await app(dbPath());
      if (!running) throw new Error('no app runs on this database');
      const id = (await running.store.athleteForIdentity(d.athleteKey, 'Rider')).id;
      const store = running.store.athlete(id);
      const version = await withCoachingPlan(store, now);
      const first = version.plan.weeks.flatMap((w) => w.days.flatMap((day) => day.workouts.map((workout) => ({ day, workout }))))[0]!;
      const intervals = workIntervals(first.workout).length;
      expect(intervals, `${first.workout.name} has work intervals`).toBeGreaterThan(0);

      // the ride, on the workout's day at 17:30 in Berlin; the bot's clock that evening
      const start = new Date(`${first.day.date}T15:30:00Z`);
      const bytes = encodeActivityFit([workoutRide({ seed: 19, startTime: start, ftp: FTP, workout: first.workout })]);
      now = new Date(`${first.day.date}T19:00:00Z`);
      expect(zonedDate(now, ZONE)).toBe(first.day.date);
      await d.sendFiles([{ fileName: 'threshold.fit', content: bytes }]);

      const reply = await d.waitFor(
        () => d.messages().find((m) => m.text.includes(first.workout.name) && / · /.test(m.text)),
        30_000,
        'the compliance reply',
      );
      const before = d.messages().findIndex((m) => m.id === reply.id);
      expect(d.messages()[before - 1]!.text, 'the upload summary comes first').toMatch(/1 new activity stored/);
      expect(reply.text).toContain(`${first.workout.name}: done — ${intervals}/${intervals} intervals`);
      const tss = new RegExp(`, (\\d+) of ${Math.round(first.workout.tss)} TSS\\.`).exec(reply.text);
      expect(tss, reply.text).not.toBeNull();
      // ridden as written: within a tenth of the planned load
      expect(Math.abs(Number(tss![1]) - first.workout.tss)).toBeLessThan(first.workout.tss * 0.1);

      await d.send('/plan');
      const week = await d.waitFor(() => d.messages().find((m) => /^This week\nWeek 1 \(/.test(m.text)), 20_000, "this week's plan");
      const line = week.text.split('\n').find((l) => l.includes(first.workout.name));
      expect(line, week.text).toMatch(new RegExp(`^\\w{3} ${first.day.date.slice(5)}: ✓ ${escape(first.workout.name)} `));
      expect(line).toContain(`${intervals}/${intervals} intervals on target`);
      await d.waitFor(() => d.files().some((f) => f.fileName === 'training-plan.ics'), 20_000, 'the calendar');
      expect(d.files().some((f) => f.fileName.endsWith('.fit'))).toBe(true);

      await d.send('/plan history');
      await d.waitFor(
        () => d.messages().some((m) => /Plan made on \d{4}-\d{2}-\d{2} \(New analysis\)\./.test(m.text)),
        20_000,
        'the history',
      );
    });
  });
}

/** The name as a literal in a RegExp. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
