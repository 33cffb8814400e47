/**
 * The first week with the coach, on every chat platform: an athlete who did not know their FTP
 * at onboarding sends rides, then gives the FTP — the rides already stored count at that FTP —
 * and corrects it the same day: one value for the day, and the load recomputed at the new one.
 * Heart-rate anchors were never given either: they are estimated from the rides, and said so.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { recentRides } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

const last = (d: ChatDriver) => d.messages().at(-1)?.text ?? '';
const NOW = new Date();
const ZONE = 'Europe/Berlin';
const dayIn = (date: Date, zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);

interface Figures {
  runId: string;
  weeklyTss: number;
  ctl: number;
  atl: number;
  tsb: number;
}

/** Runs /analyze and reads the summary's figures lines (their format is read by outside checks). */
async function analyze(d: ChatDriver, nth: number): Promise<Figures> {
  await d.send('/analyze 1');
  const summaries = () => d.messages().filter((m) => m.text.includes('Your analysis is ready'));
  await d.waitFor(() => summaries().length >= nth, 90_000, `summary ${nth}`);
  const text = summaries()[nth - 1]!.text;
  const runId = /Your analysis is ready \(run ([0-9a-f]{8})\)/.exec(text)?.[1];
  const volume = /: \d+ activities, [\d.]+ h, (\d+) TSS a week\./.exec(text);
  const fitness = /^Fitness CTL (-?\d+(?:\.\d)?) · fatigue ATL (-?\d+(?:\.\d)?) · form TSB (-?\d+(?:\.\d)?)$/m.exec(text);
  expect(runId, text).toBeDefined();
  expect(volume, `no "… N TSS a week" line in:\n${text}`).not.toBeNull();
  expect(fitness, `no "Fitness CTL N · fatigue ATL N · form TSB N" line in:\n${text}`).not.toBeNull();
  return { runId: runId!, weeklyTss: Number(volume![1]), ctl: Number(fitness![1]), atl: Number(fitness![2]), tsb: Number(fitness![3]) };
}

/** Everything the bot holds about the athlete, from /export (run.json files included). */
async function exported(
  d: ChatDriver,
  nth: number,
): Promise<{
  profileHistory: { validFrom: string; ftp: number | null; weightKg: number | null }[];
  reportFiles: { runId: string; fileName: string; base64: string }[];
}> {
  await d.send('/export');
  const files = await d.waitFor(
    () => {
      const all = d.files().filter((f) => f.fileName.startsWith('domestique-export-'));
      return all.length >= nth ? all : null;
    },
    20_000,
    `export ${nth}`,
  );
  const file = files[nth - 1]!;
  const bytes = file.fileName.endsWith('.gz') ? gunzipSync(file.content) : file.content;
  return JSON.parse(new TextDecoder().decode(bytes));
}

interface RunJson {
  athlete: { ftp: number | null; ftpSource: string };
  fitness: { ctl: number | null; atl: number | null; tsb: number | null };
  volume: { weeklyLoad: number; activities: number };
  warnings: { code: string; message: string }[];
}

function runJsonOf(data: Awaited<ReturnType<typeof exported>>, shortRunId: string): RunJson {
  const file = data.reportFiles.find((f) => f.runId.startsWith(shortRunId) && f.fileName === 'run.json');
  expect(file, `run.json of run ${shortRunId} in the export`).toBeDefined();
  return JSON.parse(Buffer.from(file!.base64, 'base64').toString('utf8')) as RunJson;
}

export function runFtpHistoryContract(factory: DriverFactory): void {
  describe(`FTP history contract — ${factory.name}`, () => {
    const { athlete } = suiteAthletes(factory, 'ftp-history', 0);

    it('an FTP given after the rides counts for them; a same-day correction replaces it and the load follows', async () => {
      const d = await athlete();

      // onboarding: no FTP, no heart rate — a profile version without FTP before any ride
      await d.send('/start');
      await d.send("I don't know");
      expect(last(d)).toMatch(/estimate your FTP/);
      await d.send('70 kg');
      await d.send('skip');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      await d.send('skip');
      await d.send(ZONE);
      await d.send('metric');
      expect(d.messages().some((m) => /Your profile is set/.test(m.text))).toBe(true);

      // rides from the last three weeks, all before today
      const rides = recentRides(NOW, 6, 71);
      await d.sendFiles(rides);
      expect(last(d)).toMatch(/6 new activities stored/);

      await d.send('ftp 250');
      expect(last(d)).toMatch(/Updated: FTP 250 W/);
      const at250 = await analyze(d, 1);
      expect(at250.weeklyTss).toBeGreaterThan(0);
      expect(at250.ctl).toBeGreaterThan(0);

      // the correction, the same day: "was 250", then one row for the day
      await d.send('ftp 262');
      expect(last(d)).toMatch(/Updated: FTP 262 W \(was 250 W\)/);
      await d.send('/profile history');
      expect(last(d)).toMatch(/: 262 W/);
      expect(last(d)).not.toMatch(/250 W/);

      const at262 = await analyze(d, 2);
      expect(at262.weeklyTss).toBeGreaterThan(0);
      // every ride has power: TSS scales with (250 / 262)² ≈ 0.91
      expect(at262.weeklyTss).toBeLessThan(at250.weeklyTss);
      expect(at262.ctl).toBeLessThan(at250.ctl);
      expect(at262.ctl / at250.ctl).toBeCloseTo((250 / 262) ** 2, 1);

      const data = await exported(d, 1);
      const today = dayIn(new Date(), ZONE);
      const todays = data.profileHistory.filter((p) => dayIn(new Date(p.validFrom), ZONE) === today);
      expect(todays).toHaveLength(1);
      expect(todays[0]!.ftp).toBe(262);
      expect(todays[0]!.weightKg).toBe(70);

      const first = runJsonOf(data, at250.runId);
      expect(first.athlete).toMatchObject({ ftp: 250, ftpSource: 'profile' });
      expect(first.fitness.ctl).toBeGreaterThan(0);
      expect(first.volume.weeklyLoad).toBeGreaterThan(0);
      expect(first.fitness.ctl).toBe(at250.ctl);
      expect(first.volume.weeklyLoad).toBe(at250.weeklyTss);
      const second = runJsonOf(data, at262.runId);
      expect(second.athlete).toMatchObject({ ftp: 262, ftpSource: 'profile' });
      expect(second.fitness.ctl!).toBeLessThan(first.fitness.ctl!);
      expect(second.volume.weeklyLoad).toBeLessThan(first.volume.weeklyLoad);

      // no max HR / LTHR given: estimated from the rides, said so, and the zones are there
      const estimated = second.warnings.find((w) => w.code === 'hr-estimated');
      expect(estimated?.message).toMatch(/max HR \d+ bpm .* LTHR \d+ bpm .* estimated from your rides/);
      const dashboard = d
        .files()
        .filter((f) => f.fileName === 'performance_dashboard.html')
        .at(-1);
      expect(dashboard).toBeDefined();
      expect(new TextDecoder().decode(dashboard!.content)).not.toContain('No heart-rate data');
    }, 180_000);
  });
}
