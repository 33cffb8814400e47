/**
 * The `inspect` CLI contract, driven as outside tools drive it: a child process, JSON on stdout.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { writeSyntheticFiles } from '../support/synthetic-files.js';

const ACTIVITY_KEYS = [
  'source',
  'sport',
  'startTime',
  'timerSeconds',
  'elapsedSeconds',
  'distanceMeters',
  'avgPower',
  'normalizedPower',
  'tss',
  'intensityFactor',
  'avgHeartRate',
  'warnings',
  'device',
  'powerCurve',
].sort();
const NUMERIC = [
  'timerSeconds',
  'elapsedSeconds',
  'distanceMeters',
  'avgPower',
  'normalizedPower',
  'tss',
  'intensityFactor',
  'avgHeartRate',
];

interface Report {
  activities: Record<string, unknown>[];
  errors: { source: string; code: string; message: string }[];
}

function expectShape(report: Report): void {
  expect(Object.keys(report).sort()).toEqual(['activities', 'errors']);
  for (const a of report.activities) {
    expect(Object.keys(a).sort()).toEqual(ACTIVITY_KEYS);
    for (const key of NUMERIC) expect(a[key] === null || (typeof a[key] === 'number' && Number.isFinite(a[key])), key).toBe(true);
    expect(Object.keys(a.device as object).sort()).toEqual(['ftp', 'normalizedPower', 'tss']);
    expect(Number.isNaN(Date.parse(a.startTime as string))).toBe(false);
  }
  for (const e of report.errors) expect(Object.keys(e).sort()).toEqual(['code', 'message', 'source']);
}

const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

describe('cli inspect --json (no corpus needed)', () => {
  it('reads synthetic FIT and FIT.gz files back with TSS at the given FTP', async () => {
    const out = await mkdtemp(join(tmpdir(), 'domestique-inspect-'));
    temp.push(out);
    writeSyntheticFiles(out, 6);
    const { stdout } = await cli('inspect', out, '--json', '--ftp', '265');
    const report = JSON.parse(stdout) as Report;
    expectShape(report);
    expect(report.errors).toEqual([]);
    expect(report.activities).toHaveLength(7);
    const rides = report.activities.filter((a) => a.sport === 'cycling');
    expect(rides).toHaveLength(6);
    for (const ride of rides) {
      expect(ride.tss as number).toBeGreaterThan(10);
      expect((ride.powerCurve as Record<string, number>)['60']).toBeGreaterThan(ride.normalizedPower as number);
    }
  });

  it('reports unreadable inputs as coded errors and still prints valid JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'domestique-bad-'));
    temp.push(dir);
    await writeFile(join(dir, 'empty.fit'), new Uint8Array(0));
    await writeFile(join(dir, 'route.fit'), '<?xml version="1.0"?><gpx></gpx>');
    await writeFile(join(dir, 'other.csv'), 'name,value\na,1\n');
    const { stdout } = await cli('inspect', dir, join(dir, 'missing.fit'), '--json');
    const report = JSON.parse(stdout) as Report;
    expectShape(report);
    expect(report.activities).toEqual([]);
    const codes = Object.fromEntries(report.errors.map((e) => [e.source.split('/').pop(), e.code]));
    expect(codes).toEqual({
      'empty.fit': 'empty',
      'route.fit': 'unsupported-format',
      'other.csv': 'missing-columns',
      'missing.fit': 'not-found',
    });
  });

  it('rejects an absurd --ftp with a clear message', async () => {
    await expect(cli('inspect', '.', '--ftp', '5000')).rejects.toMatchObject({
      stderr: expect.stringMatching(/FTP must be a number of watts between 50 and 600/),
    });
  });
});

describeCorpus('cli inspect --json on the real corpus', () => {
  it('reads every FIT file in the corpus with the contract shape', async () => {
    const { stdout } = await cli('inspect', corpusPath('fit'), '--json', '--ftp', '250');
    const report = JSON.parse(stdout) as Report;
    expectShape(report);
    expect(report.activities.length + report.errors.length).toBe(16);
    const bySource = new Map(report.activities.map((a) => [(a.source as string).split('/').pop(), a]));
    expect(bySource.get('run-with-power.fit')).toMatchObject({ sport: 'running', normalizedPower: null, tss: null });
    const vector = bySource.get('edge810-vector.fit')!;
    expect(vector).toMatchObject({ sport: 'cycling', device: { normalizedPower: 301, tss: 118.7, ftp: 315 } });
    expect(vector.intensityFactor).toBeCloseTo((vector.normalizedPower as number) / 250, 3);
  });

  it('reads the Strava export: 1,845 activities', async () => {
    const { stdout } = await cli('inspect', corpusPath('strava', 'activities-2025-99col.csv'), '--json');
    const report = JSON.parse(stdout) as Report;
    expectShape(report);
    expect(report.activities).toHaveLength(1845);
    expect(report.activities.filter((a) => a.sport === 'cycling').length).toBe(948); // 947 rides + 1 velomobile
    expect(report.activities.filter((a) => a.sport === 'running')).toHaveLength(643);
  });
});
