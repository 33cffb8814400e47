/**
 * Exports: Zwift .zwo files parse as XML with the right elements and attributes; the .ics parses
 * with ical.js, one VEVENT per workout on the right dates; user text survives escaping.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  escapeIcsText,
  foldLine,
  generatePlan,
  planToIcs,
  planWorkoutFiles,
  workoutById,
  workoutToZwo,
  zwoFileName,
  type Plan,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';

const TRICKY = 'Win "the" race, <really> & fast; then rest\nnext line \\ done — été 🚴';

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 6,
  startDate: '2025-03-03',
  goals: TRICKY,
  athleteName: "Zoë <O'Brien> & co",
  fitness: { ctl: 45, limiters: ['vo2max'] },
};

function plan(): Plan {
  const result = generatePlan(INPUT);
  if (!result.ok) throw new Error('no plan');
  return result.value;
}

const elementNames = (nodes: Record<string, unknown>[]): string[] => nodes.map((n) => Object.keys(n).find((k) => k !== ':@')!);

describe('Zwift .zwo export', () => {
  it('writes valid XML with warm-up, intervals and cool-down, power as a fraction of FTP', () => {
    const w = workoutById('threshold-2x20')!;
    const xml = workoutToZwo(w, { author: INPUT.athleteName!, description: `${w.description}\nGoal: ${TRICKY}` });
    expect(XMLValidator.validate(xml)).toBe(true);

    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      workout_file: Record<string, unknown>;
    };
    const file = parsed.workout_file;
    expect(file.author).toBe(INPUT.athleteName);
    expect(file.name).toBe('Threshold 2×20');
    expect(file.sportType).toBe('bike');
    expect(file.description).toBe(`${w.description}\nGoal: ${TRICKY}`);
    const workout = file.workout as Record<string, Record<string, string>>;
    expect(workout.Warmup).toEqual({ Duration: '900', PowerLow: '0.5', PowerHigh: '0.75' });
    expect(workout.IntervalsT).toEqual({ Repeat: '2', OnDuration: '1200', OffDuration: '300', OnPower: '0.95', OffPower: '0.55' });
    expect(workout.Cooldown).toEqual({ Duration: '600', PowerLow: '0.7', PowerHigh: '0.5' });

    const ordered = new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(xml) as Record<
      string,
      Record<string, unknown>[]
    >[];
    const root = ordered.find((n) => 'workout_file' in n)!.workout_file!;
    expect(elementNames(root)).toEqual(['author', 'name', 'description', 'sportType', 'workout']);
    const steps = root.find((n) => 'workout' in n)!.workout as Record<string, unknown>[];
    expect(elementNames(steps)).toEqual(['Warmup', 'IntervalsT', 'Cooldown']);
  });

  it('uses SteadyState and Ramp elements, and durations that add up to the workout', () => {
    const w = workoutById('sweetspot-40-plus30')!;
    const xml = workoutToZwo(w);
    const ordered = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true }).parse(xml) as Record<
      string,
      Record<string, unknown>[]
    >[];
    const steps = ordered.find((n) => 'workout_file' in n)!.workout_file!.find((n) => 'workout' in n)!.workout as Record<string, unknown>[];
    expect(elementNames(steps)).toEqual(['Warmup', 'SteadyState', 'SteadyState', 'Cooldown']);
    const total = steps.reduce((s, n) => s + Number((n[':@'] as Record<string, string>).Duration), 0);
    expect(total).toBe(w.durationSeconds);
    const mid = workoutToZwo({
      name: 'Ramp test',
      steps: [
        { kind: 'steady', seconds: 300, percentFtp: 60 },
        { kind: 'ramp', seconds: 600, fromPercentFtp: 60, toPercentFtp: 120 },
        { kind: 'steady', seconds: 300, percentFtp: 50 },
      ],
    });
    expect(mid).toContain('<Ramp Duration="600" PowerLow="0.6" PowerHigh="1.2"/>');
    expect(zwoFileName('threshold-2x20-plus30')).toBe('threshold-2x20-plus30.zwo');
    expect(zwoFileName('../../etc/passwd')).toBe('etc-passwd.zwo');
  });
});

describe('iCalendar export', () => {
  const stamp = new Date('2025-02-28T17:45:09.123Z');

  it('parses with ical.js: one VEVENT per workout, on the plan dates, all-day by default', () => {
    const p = plan();
    const ics = planToIcs(p, { owner: 'athlete-1', dtstamp: stamp, goal: TRICKY, calendarName: `Plan for ${INPUT.athleteName}` });
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents('vevent');
    const workouts = p.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((x) => ({ date: d.date, workout: x }))));
    expect(events).toHaveLength(workouts.length);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(`Plan for ${INPUT.athleteName}`);
    const uids = new Set<string>();
    events.forEach((event, i) => {
      const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
      expect(start.isDate).toBe(true);
      expect(start.toString()).toBe(workouts[i]!.date);
      expect(event.getFirstPropertyValue('summary')).toBe(workouts[i]!.workout.name);
      expect(String(event.getFirstPropertyValue('dtstamp'))).toBe('2025-02-28T17:45:09Z');
      const description = String(event.getFirstPropertyValue('description'));
      expect(description.startsWith(workouts[i]!.workout.description!)).toBe(true);
      expect(description.endsWith(`Goal: ${TRICKY}`)).toBe(true);
      uids.add(String(event.getFirstPropertyValue('uid')));
    });
    expect(uids.size).toBe(events.length);
  });

  it('uses CRLF, folds at 75 octets without splitting characters, and escapes , ; \\ and newlines', () => {
    const ics = planToIcs(plan(), { owner: 'athlete-1', dtstamp: stamp, goal: TRICKY });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.split('\r\n').slice(0, -1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`Goal: ${escapeIcsText(TRICKY)}`);
    expect(escapeIcsText(TRICKY)).toBe('Win "the" race\\, <really> & fast\\; then rest\\nnext line \\\\ done — été 🚴');
    expect(unfolded).not.toContain('\uFFFD');
  });

  it('folds multi-byte text safely', () => {
    const line = `SUMMARY:${'été🚴'.repeat(30)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    // A backslash escape is never split across lines.
    const escaped = `DESCRIPTION:${'a'.repeat(62)}\\,b`;
    expect(foldLine(escaped).split('\r\n')[0]!.endsWith('\\')).toBe(false);
  });

  it('puts events at a local time when asked, one after another on the same day', () => {
    const p = plan();
    const ics = planToIcs(p, { owner: 'athlete-1', dtstamp: stamp, startTime: '06:30' });
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
    const first = events[0]!;
    const start = first.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.isDate).toBe(false);
    expect(start.hour).toBe(6);
    expect(start.minute).toBe(30);
    const firstWorkout = p.weeks[0]!.days.flatMap((d) => d.workouts)[0]!;
    expect((first.getFirstPropertyValue('duration') as ICAL.Duration).toSeconds()).toBe(firstWorkout.durationMinutes * 60);
    expect(() => planToIcs(p, { owner: 'athlete-1', dtstamp: stamp, startTime: '6.30pm' })).toThrow(RangeError);
  });

  it('keeps UIDs per athlete, date and slot across analyses: a newer plan updates the same events with a higher SEQUENCE', () => {
    const events = (ics: string) =>
      new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((e) => ({
        uid: String(e.getFirstPropertyValue('uid')),
        sequence: Number(e.getFirstPropertyValue('sequence')),
        date: String(e.getFirstPropertyValue('dtstart')),
        modified: String(e.getFirstPropertyValue('last-modified')),
      }));
    const first = plan();
    const monday = new Date('2025-03-01T08:00:00Z');
    const thursday = new Date('2025-03-06T19:30:00Z');
    const a = events(planToIcs(first, { owner: 'athlete-1', dtstamp: monday, revisedAt: monday }));
    // The same plan sent again later (another /plan): same UIDs, same SEQUENCE, only DTSTAMP moves.
    const again = events(planToIcs(first, { owner: 'athlete-1', dtstamp: thursday, revisedAt: monday }));
    expect(again).toEqual(a);
    // A new analysis with other workouts on the same days: the UIDs of those slots are kept, SEQUENCE rises.
    const second = generatePlan({ ...INPUT, weeklyHours: 6, fitness: { ctl: 52, limiters: ['threshold'] } });
    if (!second.ok) throw new Error('no plan');
    const b = events(planToIcs(second.value, { owner: 'athlete-1', dtstamp: thursday, revisedAt: thursday }));
    const byUid = new Map(a.map((e) => [e.uid, e]));
    const shared = b.filter((e) => byUid.has(e.uid));
    expect(shared.length).toBeGreaterThan(0);
    for (const e of shared) {
      expect(e.date).toBe(byUid.get(e.uid)!.date);
      expect(e.sequence).toBeGreaterThan(byUid.get(e.uid)!.sequence);
    }
    expect(b[0]!.modified).toBe('2025-03-06T19:30:00Z');
    // Not random, not from the run: the same inputs give the same UIDs; another athlete gets others.
    expect(a[0]!.uid).toMatch(/^20250304-1-[0-9a-f]{16}@domestique$/);
    const other = events(planToIcs(first, { owner: 'athlete-2', dtstamp: monday }));
    expect(other.some((e) => byUid.has(e.uid))).toBe(false);
    expect(a[0]!.uid).not.toContain('athlete-1');
  });
});

describe('planWorkoutFiles: one .zwo per distinct workout', () => {
  it('gives each structured workout of the plan once, in order of first appearance, with the goal line when asked', () => {
    const made = plan();
    const all = made.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts)).filter((w) => w.id !== undefined && w.steps !== undefined);
    const distinct = [...new Set(all.map((w) => w.id!))];
    expect(all.length).toBeGreaterThan(distinct.length); // the plan repeats workouts: the files do not
    const files = planWorkoutFiles(made);
    expect(files.map((f) => f.fileName)).toEqual(distinct.map(zwoFileName));
    const first = all[0]!;
    expect(files[0]!.xml).toBe(workoutToZwo({ name: first.name, description: first.description, steps: first.steps! }));
    const withGoal = planWorkoutFiles(made, { author: 'domestique for Zoë', goal: 'Win' });
    const parsed = new XMLParser().parse(withGoal[0]!.xml) as { workout_file: { author: string; description: string } };
    expect(parsed.workout_file.author).toBe('domestique for Zoë');
    expect(parsed.workout_file.description.endsWith('Goal: Win')).toBe(true);
  });
});
