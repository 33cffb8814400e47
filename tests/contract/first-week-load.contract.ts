/**
 * The first week with the coach, on every chat platform: load and form from where the athlete is.
 * - A Strava activities.csv alone (no power meter, no heart rate) still gives load: every ride from
 *   its best source (here ride time, or Strava's estimated power), the headline counts rides with
 *   other sports apart, and the summary says how much of the load is estimated.
 * - Rides that end months ago are dated, fitness is faded to today, and the plan opens with a
 *   return block.
 * - After a heavy block (form below −25 when the plan starts) the first plan days are easy until
 *   the PMC projection of the plan's own TSS shows form above −10.
 * The summary's figures lines keep their format: outside checks read them.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { joinExportParts } from '../../src/conversation/export-parts.js';
import { performanceManagementChart } from '../../src/domain/metrics/pmc.js';
import type { Plan } from '../../src/domain/plan/types.js';
import { parseStravaCsv } from '../../src/ingest/strava-csv.js';
import { corpusBytes, describeCorpus } from '../support/corpus.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

const NOW = new Date();
const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '2025-08-03' → '3 Aug 2025', written out here rather than borrowed from the code under test. */
const spelled = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (iso: string, days: number) => isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS));

interface Summary {
  text: string;
  runId: string;
  from: string;
  to: string;
  rides: number;
  hours: number;
  weeklyTss: number;
  ctl: number;
  atl: number;
  tsb: number;
}

/** Runs /analyze and reads the summary's figures lines (their format is read by outside checks). */
async function analyze(d: ChatDriver): Promise<Summary> {
  await d.send('/analyze');
  const summary = await d.waitFor(() => d.messages().find((m) => m.text.includes('Your analysis is ready')), 90_000, 'the summary');
  const text = summary.text;
  const runId = /Your analysis is ready \(run ([0-9a-f]{8})\)/.exec(text)?.[1];
  const volume = /^(\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2}): (\d+) activities, ([\d.,]+) h, ([\d,]+) TSS a week\./m.exec(text);
  const fitness = /^Fitness CTL (-?\d+(?:\.\d)?) · fatigue ATL (-?\d+(?:\.\d)?) · form TSB (-?\d+(?:\.\d)?)$/m.exec(text);
  expect(runId, text).toBeDefined();
  expect(volume, `no "… N TSS a week" line in:\n${text}`).not.toBeNull();
  expect(fitness, `no "Fitness CTL N · fatigue ATL N · form TSB N" line in:\n${text}`).not.toBeNull();
  const num = (s: string) => Number(s.replace(/,/g, ''));
  return {
    text,
    runId: runId!,
    from: volume![1]!,
    to: volume![2]!,
    rides: num(volume![3]!),
    hours: num(volume![4]!),
    weeklyTss: num(volume![5]!),
    ctl: Number(fitness![1]),
    atl: Number(fitness![2]),
    tsb: Number(fitness![3]),
  };
}

interface RunJson {
  fitness: { ctl: number | null; atl: number | null; tsb: number | null; date?: string | null };
  fitnessToday?: { date: string; ctl: number; atl: number; tsb: number } | null;
  latestRide?: { date: string; daysAgo: number } | null;
  volume: {
    weeklyLoad: number;
    activities: number;
    hours: number;
    otherSports?: { sport: string; count: number; hours: number }[];
    estimatedLoadPercent?: number | null;
  };
  plan: { startDate: string | null } | null;
  warnings: { code: string; message: string }[];
}

/** The run's run.json and plan.json, from /export (every report file of every run is in it). */
async function runFiles(d: ChatDriver, shortRunId: string): Promise<{ runJson: RunJson; plan: Plan | null }> {
  await d.send('/export');
  const files = await d.waitFor(
    () => {
      const all = d.files().filter((f) => f.fileName.startsWith('domestique-export-'));
      const total = /-part-\d+-of-(\d+)\.json\.gz$/.exec(all[0]?.fileName ?? '')?.[1];
      return all.length > 0 && all.length >= Number(total ?? 1) ? all : null;
    },
    30_000,
    'the export',
  );
  const documents = files.map(
    (f) => JSON.parse(new TextDecoder().decode(f.fileName.endsWith('.gz') ? gunzipSync(f.content) : f.content)) as unknown,
  );
  const data = joinExportParts(documents);
  const file = (name: string) => data.reportFiles.find((f) => f.runId.startsWith(shortRunId) && f.fileName === name);
  expect(file('run.json'), `run.json of run ${shortRunId} in the export`).toBeDefined();
  const decode = (base64: string) => JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as unknown;
  const plan = file('plan.json');
  return { runJson: decode(file('run.json')!.base64) as RunJson, plan: plan ? (decode(plan.base64) as Plan) : null };
}

/** CTL and ATL going into the plan's first day: today's, faded over the days before it starts. */
function fitnessAtPlanStart(json: RunJson, planStart: string): { ctl: number; atl: number } {
  const today = json.fitnessToday!;
  const faded = performanceManagementChart([], {
    start: addDays(today.date, 1),
    end: addDays(planStart, -1),
    initialCtl: today.ctl,
    initialAtl: today.atl,
  }).at(-1);
  return faded ? { ctl: faded.ctl, atl: faded.atl } : { ctl: today.ctl, atl: today.atl };
}

export function runFirstWeekLoadContract(factory: DriverFactory): void {
  describe(`first week: load and form — ${factory.name}`, () => {
    const { athlete } = suiteAthletes(factory, 'first-week-load', 0);

    describeCorpus('a Strava activities.csv alone', () => {
      it("gives load from the rides' best sources, counts rides with other sports apart, and says how much is estimated", async () => {
        const csv = corpusBytes('strava', 'activities-2025-99col.csv');
        const d = await athlete();
        await d.sendFiles([{ fileName: 'activities.csv', content: csv }]);
        expect(d.messages().at(-1)!.text).toMatch(/1,?845 new activities stored/);
        const s = await analyze(d);
        // load and fitness at the end of the period: no more "0 TSS" and "no CTL"
        expect(s.weeklyTss).toBeGreaterThan(0);
        expect(s.ctl).toBeGreaterThan(0);
        // the headline counts the rides of the period, and their hours, only — checked against the CSV itself
        const parsed = parseStravaCsv(csv, 'activities.csv');
        if (!parsed.ok) throw new Error(parsed.error.message);
        const inPeriod = parsed.value.activities.filter((a) => isoDay(a.startTime) >= s.from && isoDay(a.startTime) <= s.to);
        const rides = inPeriod.filter((a) => a.sport === 'cycling');
        expect(s.rides).toBe(rides.length);
        expect(s.rides).toBeLessThan(inPeriod.length);
        expect(s.hours).toBeCloseTo(rides.reduce((h, a) => h + (a.movingSeconds ?? a.timerSeconds ?? 0), 0) / 3600, 0);
        const runs = inPeriod.filter((a) => a.sport === 'running').length;
        expect(s.text).toMatch(new RegExp(`^Those are your rides; other sports apart: \\+ .*\\b${runs} runs, [\\d.,]+ h`, 'm'));
        // how much of the load is estimated, and from what: no heart rate and no FTP here, so ride time
        expect(s.text).toMatch(
          /^100 % of this load is estimated rather than measured with a power meter: 100 % from ride time at an assumed IF 0\.65 \(42\.25 TSS an hour\)\./m,
        );
        // the latest ride, dated (the export ends in August 2025)
        const latest = isoDay(
          parsed.value.activities.filter((a) => a.sport === 'cycling').reduce((a, b) => (b.startTime > a.startTime ? b : a)).startTime,
        );
        expect(s.to).toBe(latest);
        expect(s.text).toContain(`Your latest ride was on ${spelled(latest)}`);

        const { runJson } = await runFiles(d, s.runId);
        expect(runJson.fitness.ctl).toBeGreaterThan(0);
        expect(runJson.fitness.ctl).toBe(s.ctl);
        expect(runJson.volume.weeklyLoad).toBeGreaterThan(0);
        expect(runJson.volume.activities).toBe(rides.length);
        expect(runJson.volume.otherSports!.find((o) => o.sport === 'running')?.count).toBe(runs);
        expect(runJson.volume.estimatedLoadPercent).toBe(100);
        expect(runJson.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['no-ftp', 'load-estimated', 'stale-history']));
      });
    });

    it('rides that ended months ago: the summary dates the latest ride, fades fitness to today, and the plan opens with a return block', async () => {
      const d = await athlete();
      await d.send('ftp 250');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      const end = NOW.getTime() - 120 * DAY_MS;
      const rides = Array.from({ length: 8 }, (_, i) => ({ fileName: `old-${i + 1}.fit`, start: new Date(end - (8 - i) * 2.5 * DAY_MS) }));
      await d.sendFiles(rides.map((r, i) => ({ fileName: r.fileName, content: syntheticRideBytes(700 + i * 3 + 1, r.start, 90) })));
      expect(d.messages().at(-1)!.text).toMatch(/8 new activities stored/);
      const s = await analyze(d);
      const latest = isoDay(rides.at(-1)!.start);
      expect(s.to).toBe(latest);
      expect(s.text).toMatch(new RegExp(`^Your latest ride was on ${spelled(latest)}, [34] months ago\\. On that day:$`, 'm'));
      const today =
        /^As of today, (\d{1,2} \w{3} \d{4}), faded since: fitness CTL (\d+\.\d) · fatigue ATL (\d+\.\d) · form TSB (-?\d+\.\d)$/m.exec(
          s.text,
        );
      expect(today, s.text).not.toBeNull();
      expect(Number(today![2])).toBeLessThan(s.ctl * 0.2); // four months without riding: under a fifth is left
      // the analysis does not call it "the last 6 months", nor "train normally"
      expect(s.text).not.toMatch(/train normally/);
      expect(s.text).toMatch(/fitness has faded from CTL/);
      // week 1: a return block — easy rides only, lighter than week 2
      expect(s.text).toMatch(/^Week 1 \(recovery\) — /m);
      expect(s.text).toMatch(/^Note: Return block: your latest ride was on /m);
      const { runJson, plan } = await runFiles(d, s.runId);
      expect(runJson.latestRide?.date).toBe(latest);
      expect(runJson.fitnessToday!.ctl).toBeLessThan(runJson.fitness.ctl!);
      const [first, second] = plan!.weeks;
      expect(first!.phase).toBe('recovery');
      expect(first!.notes?.[0]).toMatch(/^Return block/);
      const workouts = first!.days.flatMap((day) => day.workouts);
      expect(workouts.length).toBeGreaterThan(0);
      for (const w of workouts) {
        expect(w.intensity, w.name).toBe('easy');
        expect(['endurance', 'recovery'], w.name).toContain(w.type);
      }
      expect(first!.plannedTss).toBeLessThan(second!.plannedTss);
      expect(first!.hours).toBeLessThan(second!.hours);
    });

    it('after a heavy block the first plan days are easy until the projected form (TSB) is above −10', async () => {
      const d = await athlete();
      // rides made for an FTP of 300, ridden by an athlete with an FTP of 230: long days near threshold, every
      // day for 8 days — deep enough that form is still below −25 when the plan starts six days later
      await d.send('ftp 230');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      const block = Array.from({ length: 8 }, (_, i) => ({
        fileName: `block-${i + 1}.fit`,
        content: syntheticRideBytes(800 + i * 3 + 1, new Date(NOW.getTime() - (8 - i) * DAY_MS + 3_600_000), 150, 300),
      }));
      await d.sendFiles(block);
      expect(d.messages().at(-1)!.text).toMatch(/8 new activities stored/);
      const s = await analyze(d);
      const { runJson, plan } = await runFiles(d, s.runId);
      const start = plan!.startDate!;
      const fitness = fitnessAtPlanStart(runJson, start);
      // the scenario: form deep in the red when the plan starts, whichever weekday this runs on
      expect(fitness.ctl - fitness.atl).toBeLessThan(-25);
      expect(s.text).toMatch(/^Note: Form \(TSB\) -\d+ when the plan starts: easy rides only /m);

      // the PMC projection of the plan's own daily TSS, from the fitness it starts with
      const days = plan!.weeks.flatMap((w) => w.days);
      const projected = performanceManagementChart(
        days.map((day) => ({ date: day.date, load: day.workouts.reduce((t, w) => t + w.tss, 0) })),
        { start, end: days.at(-1)!.date, initialCtl: fitness.ctl, initialAtl: fitness.atl },
      );
      const recovered = projected.findIndex((p) => p.tsb > -10);
      expect(recovered, 'the projected form recovers above −10 within the plan').toBeGreaterThan(0);
      const easyDays = days.slice(0, recovered);
      expect(easyDays.flatMap((day) => day.workouts).length, 'easy rides, not only rest, before form recovers').toBeGreaterThan(0);
      for (const day of easyDays)
        for (const w of day.workouts) expect(w.intensity, `${day.date}: ${w.name} before the projected TSB is above −10`).toBe('easy');
      // harder sessions come back once it has recovered (within the next two weeks)
      expect(days.slice(recovered, recovered + 14).some((day) => day.workouts.some((w) => w.intensity !== 'easy'))).toBe(true);
    });
  });
}
