import FitParser from 'fit-file-parser';
import { expect, it } from 'vitest';
import { isCycling } from '../../../../src/domain/activity.js';
import { decodeFit } from '../../../../src/ingest/fit/decode-fit.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../../../support/corpus.js';

const decoded = new Map<string, ReturnType<typeof decodeFit>>();
/** Decodes a corpus file once per test run. */
function decodeCorpus(file: string): ReturnType<typeof decodeFit> {
  if (!decoded.has(file)) decoded.set(file, decodeFit(corpusBytes('fit', file), file));
  return decoded.get(file)!;
}

/** The device's own session, read straight from fit-file-parser, to compare with. */
async function deviceSession(file: string): Promise<Record<string, unknown>> {
  const fit = await new FitParser({ force: true }).parseAsync(Buffer.from(corpusBytes('fit', file)));
  return (fit.sessions?.[0] ?? {}) as Record<string, unknown>;
}

const RUNS = new Set(['run-with-power.fit', 'compressed-timestamps.fit']);

describeCorpus('FIT corpus', () => {
  const good = corpusFitFiles().filter((f) => !f.startsWith('bad-'));

  it('has the 14 good files and 2 damaged ones', () => {
    expect(good).toHaveLength(14);
    expect(corpusFitFiles().filter((f) => f.startsWith('bad-'))).toEqual(['bad-file-crc.fit', 'bad-truncated.fit']);
  });

  it.each(good)('%s: sport, timer and elapsed time match the device session', async (file) => {
    const result = decodeCorpus(file);
    if (!result.ok) throw new Error(`${file}: ${result.error.code} ${result.error.message}`);
    expect(result.value).toHaveLength(1);
    const activity = result.value[0]!;
    const session = await deviceSession(file);
    expect(activity.sport).toBe(RUNS.has(file) ? 'running' : 'cycling');
    expect(isCycling(activity.sport)).toBe(!RUNS.has(file));
    expect(Math.abs(activity.timerSeconds! - (session.total_timer_time as number))).toBeLessThanOrEqual(1);
    expect(Math.abs(activity.elapsedSeconds! - (session.total_elapsed_time as number))).toBeLessThanOrEqual(1);
    expect(activity.startTime.getTime()).toBe((session.start_time as Date).getTime());
    // the 1 Hz moving stream covers the timer time (Onelap's indoor file has no timer events
    // and a session timer that is 20 s shorter than its own records)
    const tolerance = file.startsWith('onelap') ? 25 : 6;
    expect(Math.abs(activity.movingSeconds! - activity.timerSeconds!)).toBeLessThanOrEqual(tolerance);
    expect(activity.streams!.elapsed.length).toBe(activity.movingSeconds);
    expect(activity.id).toMatch(/^[0-9a-f]{24}$/);
    expect(activity.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the device NP / TSS / FTP as device figures', () => {
    const expected: Record<string, [number, number, number]> = {
      'edge810-vector.fit': [301, 118.7, 315],
      'edge530-stops.fit': [264, 210.5, 284],
      'wahoo-elemnt-pauses.fit': [157, 190, 220],
      'edge800-indoor-trainer.fit': [228, 50.8, 250],
      'road-with-power.fit': [151, 54.5, 234],
      'mtb-with-zones.fit': [147, 76.7, 234],
      'edge510-no-hr.fit': [229, 116.1, 200],
      'edge530-indoor-hrv.fit': [250, 29.4, 248],
      'edge1000-wrong-ftp.fit': [267, 413.7, 200],
    };
    for (const [file, [np, tss, ftp]] of Object.entries(expected)) {
      const result = decodeCorpus(file);
      expect(result.ok, file).toBe(true);
      if (!result.ok) continue;
      expect(result.value[0]!.device, file).toMatchObject({ normalizedPower: np, tss, ftp });
    }
  });

  it('reads streams as they are: power where there is power, no HR where there is none', () => {
    const read = (file: string) => {
      const r = decodeCorpus(file);
      if (!r.ok) throw new Error(r.error.message);
      return r.value[0]!;
    };
    const zwift = read('zwift-no-hr.fit');
    expect(zwift.streams!.power).not.toBeNull();
    expect(zwift.streams!.heartRate).toBeNull(); // Zwift writes 0 bpm: that is "no sensor"
    expect(zwift.avgHeartRate).toBeNull();
    const hrOnly = read('edge500-nonmonotonic.fit');
    expect(hrOnly.streams!.power).toBeNull();
    expect(hrOnly.power).toBe('none');
    expect(hrOnly.streams!.heartRate).not.toBeNull();
    const trainer = read('edge800-indoor-trainer.fit');
    expect(trainer.streams!.speed).toBeNull();
    expect(trainer.streams!.latitude).toBeNull();
    const vector = read('edge810-vector.fit');
    const lat = vector.streams!.latitude!;
    expect(Number.isNaN(lat[100]!)).toBe(false);
    expect(Math.abs(lat[100]!)).toBeGreaterThan(1);
    // distance is cumulative and ends at the session's total
    const d = vector.streams!.distance!;
    expect(d[d.length - 1]!).toBeCloseTo(vector.distanceMeters!, -2);
  });

  it('repairs duplicate timestamps into a strictly increasing 1 Hz stream', () => {
    for (const file of ['onelap-indoor-dup-timestamps.fit', 'edge500-nonmonotonic.fit']) {
      const r = decodeCorpus(file);
      if (!r.ok) throw new Error(r.error.message);
      const a = r.value[0]!;
      expect(a.warnings.map((w) => w.code)).toContain('timestamps-repaired');
      const e = a.streams!.elapsed;
      for (let i = 1; i < e.length; i++) expect(e[i]! > e[i - 1]!).toBe(true);
    }
  });

  it('leaves paused time out of the stream: Wahoo with 36 pauses, Edge 530 with 35 stops', () => {
    for (const file of ['wahoo-elemnt-pauses.fit', 'edge530-stops.fit']) {
      const r = decodeCorpus(file);
      if (!r.ok) throw new Error(r.error.message);
      const a = r.value[0]!;
      expect(a.elapsedSeconds! - a.timerSeconds!).toBeGreaterThan(1000);
      expect(Math.abs(a.movingSeconds! - a.timerSeconds!)).toBeLessThanOrEqual(2);
      const e = a.streams!.elapsed;
      expect(e[e.length - 1]!).toBeGreaterThan(a.timerSeconds! + 1000); // sample times still map back to the clock
    }
  });

  it.each(['bad-truncated.fit', 'bad-file-crc.fit'])('%s: salvaged with a warning or refused with a clear error, never a crash', (file) => {
    const result = decodeCorpus(file);
    const expectedCode = file === 'bad-truncated.fit' ? 'truncated' : 'bad-crc';
    if (result.ok) {
      expect(result.value.length).toBeGreaterThan(0);
      for (const a of result.value) expect(a.warnings.map((w) => w.code)).toContain(expectedCode);
    } else {
      expect(result.error.code).toBe(expectedCode);
      expect(result.error.message).toMatch(/resend|again/i);
    }
  });

  it('gives the same id to the same file read twice, and different ids to different files', () => {
    const a = decodeFit(corpusBytes('fit', 'edge810-vector.fit'), 'a.fit');
    const b = decodeFit(corpusBytes('fit', 'edge810-vector.fit'), 'renamed.fit');
    const c = decodeFit(corpusBytes('fit', 'edge530-stops.fit'), 'c.fit');
    if (!a.ok || !b.ok || !c.ok) throw new Error('decode failed');
    expect(a.value[0]!.id).toBe(b.value[0]!.id);
    expect(a.value[0]!.id).not.toBe(c.value[0]!.id);
  });
});
