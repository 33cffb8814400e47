/**
 * FIT decoding on files made here with the synthetic writer: known answers, and no need for the
 * shared corpus.
 */
import { describe, expect, it } from 'vitest';
import { decodeFit } from '../../../../src/ingest/fit/decode-fit.js';
import { ingestFile } from '../../../../src/ingest/ingest.js';
import type { FitSessionSpec } from '../../../../src/synthetic/fit-spec.js';
import { encodeActivityFit } from '../../../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../../../src/synthetic/synthetic-ride.js';
import { syntheticRun } from '../../../../src/synthetic/synthetic-run.js';

const START = new Date('2026-06-06T07:00:00Z');

function decodeOk(bytes: Uint8Array, name = 'ride.fit') {
  const result = decodeFit(bytes, name);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A steady ride with exactly known samples. */
function steadyRide(seconds: number, stops: { stop: number; start: number }[] = []): FitSessionSpec {
  const stopped = (t: number) => stops.some((s) => t > s.stop && t <= s.start);
  const records = [];
  let distance = 0;
  for (let t = 0; t <= seconds; t++) {
    if (stopped(t)) continue;
    distance += 8;
    records.push({
      time: new Date(START.getTime() + t * 1000),
      power: 200 + (t % 10),
      heartRate: 140,
      cadence: 90,
      speed: 8,
      distance,
      altitude: 100,
    });
  }
  return {
    sport: 'cycling',
    subSport: 'road',
    startTime: START,
    records,
    timerStops: stops.map((s) => ({ stop: new Date(START.getTime() + s.stop * 1000), start: new Date(START.getTime() + s.start * 1000) })),
  };
}

describe('FIT decoding of synthetic files', () => {
  it('reads a steady ride sample for sample', () => {
    const [a] = decodeOk(encodeActivityFit([steadyRide(600)]));
    expect(a!.sport).toBe('cycling');
    expect(a!.subSport).toBe('road');
    expect(a!.timerSeconds).toBe(600);
    expect(a!.movingSeconds).toBeGreaterThanOrEqual(600);
    expect(a!.movingSeconds).toBeLessThanOrEqual(601);
    const p = a!.streams!.power!;
    expect(p[p.length - 1]).toBe(200 + (600 % 10));
    expect(a!.streams!.heartRate![10]).toBe(140);
    expect(a!.power).toBe('measured');
    expect(a!.warnings).toEqual([]);
  });

  it('leaves timer stops out of moving time but keeps them in elapsed time', () => {
    const [a] = decodeOk(
      encodeActivityFit([
        steadyRide(3600, [
          { stop: 1000, start: 1600 },
          { stop: 2000, start: 2100 },
        ]),
      ]),
    );
    expect(a!.elapsedSeconds).toBe(3600);
    expect(a!.timerSeconds).toBe(2900);
    expect(Math.abs(a!.movingSeconds! - 2900)).toBeLessThanOrEqual(1);
  });

  it('fills smart-recording gaps to 1 Hz and reports sensor dropouts', () => {
    const spec = syntheticRide({ seed: 7, startTime: START, durationSeconds: 3600, ftp: 260, smartRecording: true, dropouts: true });
    const [a] = decodeOk(encodeActivityFit([spec]));
    expect(spec.records.length).toBeLessThan(3000); // the device wrote far fewer than 3,600 samples
    expect(Math.abs(a!.movingSeconds! - 3600)).toBeLessThanOrEqual(40);
    const e = a!.streams!.elapsed;
    let steps = 0;
    for (let i = 1; i < e.length; i++) if (e[i]! - e[i - 1]! === 1) steps += 1;
    expect(steps / (e.length - 1)).toBeGreaterThan(0.98);
  });

  it('yields one activity per sport session and skips transitions', () => {
    const ride = syntheticRide({ seed: 1, startTime: START, durationSeconds: 1800, ftp: 250 });
    const t1 = new Date(START.getTime() + 1900_000);
    const transition: FitSessionSpec = {
      sport: 'transition',
      startTime: t1,
      records: [{ time: t1 }, { time: new Date(t1.getTime() + 60_000) }],
    };
    const run = syntheticRun({ seed: 2, startTime: new Date(START.getTime() + 2000_000), durationSeconds: 1200 });
    const activities = decodeOk(encodeActivityFit([ride, transition, run]), 'brick.fit');
    expect(activities.map((a) => a.sport)).toEqual(['cycling', 'running']);
    expect(activities.map((a) => a.sessionIndex)).toEqual([0, 2]);
    expect(activities[0]!.timerSeconds).toBe(1800);
    expect(activities[1]!.timerSeconds).toBe(1200);
    expect(Math.abs(activities[0]!.movingSeconds! - 1800)).toBeLessThanOrEqual(1);
    expect(Math.abs(activities[1]!.movingSeconds! - 1200)).toBeLessThanOrEqual(1);
    expect(activities[0]!.id).not.toBe(activities[1]!.id);
  });

  it('salvages a file cut in the middle, with a warning', () => {
    const bytes = encodeActivityFit([steadyRide(3600)]);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const [a] = decodeOk(cut, 'cut.fit');
    expect(a!.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['truncated', 'no-session', 'sport-assumed']));
    expect(a!.movingSeconds).toBeGreaterThan(1800);
    expect(a!.movingSeconds).toBeLessThan(2400);
    // The session and laps (which carry the sport) were cut off; the records have power.
    expect(a!.sport).toBe('cycling');
  });

  it('refuses a file cut inside its header area with a clear error', () => {
    const bytes = encodeActivityFit([steadyRide(60)]);
    const result = decodeFit(bytes.subarray(0, 40), 'stub.fit');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('truncated');
      expect(result.error.message).toMatch(/cut off/);
    }
  });

  it('salvages a file with a damaged byte (bad CRC), with a warning', () => {
    const bytes = encodeActivityFit([steadyRide(600)]).slice();
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff; // the file CRC itself
    const [a] = decodeOk(bytes, 'crc.fit');
    expect(a!.warnings.map((w) => w.code)).toContain('bad-crc');
    expect(a!.timerSeconds).toBe(600);
  });

  it('reads .fit.gz through ingestFile', async () => {
    const { gzipSync } = await import('node:zlib');
    const result = await ingestFile(gzipSync(encodeActivityFit([steadyRide(300)])), 'ride.fit.gz');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.activities).toHaveLength(1);
    expect(result.value.activities[0]!.source).toBe('ride.fit.gz');
  });
});
