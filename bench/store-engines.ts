/**
 * The store on both engines, side by side in one run (issue 21): SQLite (a fresh file) and
 * PostgreSQL (a throwaway server started as tests/support/postgres.ts starts one, then set back to
 * PostgreSQL's durable defaults). On each, with the synthetic year read once up front:
 * - the year recorded as one upload; what it adds to the database (per 100 rides); a year's
 *   metrics loaded without and with streams;
 * - 8 athletes at once, each recording 20 rides one upload at a time (wall time, uploads/s);
 * - the chat's hot reads (currentProfile, latestReportedRun, recentActivities(10)), p50/p95 of 500.
 * Prints a table: SQLite | PostgreSQL | PostgreSQL / SQLite. Without PostgreSQL, the SQLite column.
 *   npx tsx bench/store-engines.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Activity } from '../src/domain/activity.js';
import { rideLoads } from '../src/domain/training-load.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { Store, type AthleteStore } from '../src/store/store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../tests/support/postgres.js';
import { percentile } from './sync-timed-chat.js';
import { ensureSyntheticYear, fitFiles } from './synthetic-year.js';

const ATHLETES = 8;
const RIDES_EACH = 20;
const READS = 500;
const PROFILE = { ftp: 265, maxHr: 185, restingHr: 50, lthr: 168 };
const YEAR_FROM = new Date('2025-01-01T00:00:00Z');
const YEAR_TO = new Date('2027-01-01T00:00:00Z');
/** PostgreSQL's own defaults, which the test server turns off for speed: the bench measures what a deployment runs. */
const DURABLE = ['fsync', 'full_page_writes', 'synchronous_commit'];

interface Ride {
  file: string;
  activities: Activity[];
}

/** A fresh, empty database on one engine: where it is, its size in bytes, and how to remove it. */
interface Fresh {
  location: string;
  /** Bytes on disk; called with the store closed (SQLite's close checkpoints the WAL into the file). */
  size(): Promise<number>;
  cleanup(): Promise<void>;
}

interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<Fresh>;
}

interface Figures {
  rides: number;
  recordMs: number;
  addedBytes: number;
  loadSummariesMs: number;
  withTss: number;
  loadStreamsMs: number;
  streamsLoaded: number;
  concurrentMs: number;
  uploads: number;
  reads: Record<'currentProfile' | 'latestReportedRun' | 'recentActivities', { p50: number; p95: number }>;
}

const sqlite: Engine = {
  name: 'SQLite',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-bench-'));
    const path = join(dir, 'bench.db');
    return { location: path, size: async () => statSync(path).size, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The test server with fsync, full-page writes and synchronous commits back on; its version. */
async function durableServer(server: TestPostgres): Promise<string> {
  for (const name of DURABLE) await query(server.url, `alter system set ${name} = on`);
  await query(server.url, 'select pg_reload_conf()');
  const settings = `select count(*)::int as on from pg_settings where name in (${DURABLE.map((n) => `'${n}'`).join(', ')}) and setting = 'on'`;
  // the reload reaches new connections once the postmaster has read it: a few tries at most
  for (let tries = 0; (await query<{ on: number }>(server.url, settings))[0]!.on < DURABLE.length; tries++)
    if (tries > 200) throw new Error(`PostgreSQL did not take ${DURABLE.join(', ')} = on`);
  return (await query<{ server_version: string }>(server.url, 'show server_version'))[0]!.server_version;
}

function postgresEngine(server: TestPostgres): Engine {
  return {
    name: 'PostgreSQL',
    async fresh() {
      const url = await server.freshDatabase();
      const size = async () =>
        Number((await query<{ bytes: string }>(url, 'select pg_database_size(current_database()) as bytes'))[0]!.bytes);
      return { location: url, size, cleanup: async () => undefined };
    },
  };
}

async function athleteOf(store: Store, key: string): Promise<AthleteStore> {
  return store.athlete((await store.athleteForIdentity(key, key)).id);
}

/** The year as one upload, what it adds on disk, and a year's metrics read back. */
async function year(engine: Engine, rides: Ride[]): Promise<Omit<Figures, 'concurrentMs' | 'uploads' | 'reads'> & { fresh: Fresh }> {
  const fresh = await engine.fresh();
  let store = await Store.open(fresh.location);
  await (await athleteOf(store, 'bench:year')).updateProfile(PROFILE, YEAR_FROM);
  await store.close();
  const emptyBytes = await fresh.size();
  store = await Store.open(fresh.location);
  const t0 = performance.now();
  const summary = await (
    await athleteOf(store, 'bench:year')
  ).recordUpload(
    rides.map((r) => r.file),
    { activities: rides.flatMap((r) => r.activities), errors: [] },
  );
  const recordMs = performance.now() - t0;
  await store.close();
  const addedBytes = (await fresh.size()) - emptyBytes;
  store = await Store.open(fresh.location);
  const athlete = await athleteOf(store, 'bench:year');
  const t1 = performance.now();
  const summaries = await athlete.activitiesBetween(YEAR_FROM, YEAR_TO);
  const loads = rideLoads(
    summaries.map((s) => s.activity),
    await athlete.profileHistory(),
  );
  const loadSummariesMs = performance.now() - t1;
  const t2 = performance.now();
  const full = await athlete.activitiesBetween(YEAR_FROM, YEAR_TO, { streams: true });
  const loadStreamsMs = performance.now() - t2;
  await store.close();
  return {
    fresh,
    rides: summary.new,
    recordMs,
    addedBytes,
    loadSummariesMs,
    withTss: loads.filter((l) => l.metrics.tss !== null).length,
    loadStreamsMs,
    streamsLoaded: full.filter((s) => s.activity.streams).length,
  };
}

/** ATHLETES athletes at once in one process, each recording its RIDES_EACH rides one upload at a time. */
async function concurrentUploads(engine: Engine, rides: Ride[]): Promise<{ concurrentMs: number; uploads: number }> {
  const fresh = await engine.fresh();
  const store = await Store.open(fresh.location);
  try {
    const athletes = await Promise.all(Array.from({ length: ATHLETES }, (_, i) => athleteOf(store, `bench:athlete-${i}`)));
    const t0 = performance.now();
    const counts = await Promise.all(
      athletes.map(async (athlete, i) => {
        let recorded = 0;
        for (const ride of rides.slice(i * RIDES_EACH, (i + 1) * RIDES_EACH))
          recorded += (await athlete.recordUpload([ride.file], { activities: ride.activities, errors: [] })).new;
        return recorded;
      }),
    );
    return { concurrentMs: performance.now() - t0, uploads: counts.reduce((a, b) => a + b, 0) };
  } finally {
    await store.close();
    await fresh.cleanup();
  }
}

/** The chat's hot reads on the year's athlete (250 rides, 5 finished runs with reports), READS of each, interleaved. */
async function hotReads(fresh: Fresh): Promise<Figures['reads']> {
  const store = await Store.open(fresh.location);
  try {
    const athlete = await athleteOf(store, 'bench:year');
    for (let i = 0; i < 5; i++) {
      const run = await athlete.startRun({ provider: 'bench', model: 'bench' });
      await athlete.finishRun(run.id, { status: 'done' });
      const report = new TextEncoder().encode(`# Report ${i}\n${'A week of riding. '.repeat(1000)}`);
      await athlete.saveReports(run.id, [{ fileName: 'report.md', contentType: 'text/markdown', content: report }]);
    }
    const reads = {
      currentProfile: () => athlete.currentProfile(),
      latestReportedRun: () => athlete.latestReportedRun(),
      recentActivities: () => athlete.recentActivities(10),
    };
    const times = { currentProfile: [] as number[], latestReportedRun: [] as number[], recentActivities: [] as number[] };
    for (let i = -20; i < READS; i++)
      for (const [name, read] of Object.entries(reads) as [keyof typeof reads, () => Promise<unknown>][]) {
        const t0 = performance.now();
        if (!(await read())) throw new Error(`${name} found nothing`);
        if (i >= 0) times[name].push(performance.now() - t0); // the first 20 of each warm up
      }
    const figures = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
    return {
      currentProfile: figures(times.currentProfile),
      latestReportedRun: figures(times.latestReportedRun),
      recentActivities: figures(times.recentActivities),
    };
  } finally {
    await store.close();
  }
}

async function measure(engine: Engine, rides: Ride[]): Promise<Figures> {
  const { fresh, ...stored } = await year(engine, rides);
  try {
    const reads = await hotReads(fresh);
    return { ...stored, ...(await concurrentUploads(engine, rides)), reads };
  } finally {
    await fresh.cleanup();
  }
}

async function readYear(): Promise<Ride[]> {
  const folder = await ensureSyntheticYear(resolve(import.meta.dirname, '.cache'));
  const rides: Ride[] = [];
  for (const file of await fitFiles(folder)) {
    const result = await ingestFile(new Uint8Array(await readFile(file)), file);
    if (result.ok) rides.push({ file, activities: result.value.activities });
  }
  if (rides.length < ATHLETES * RIDES_EACH) throw new Error(`only ${rides.length} rides read`);
  return rides;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadBefore = load();
const clock = () => performance.now() / 1000;
const t0 = clock();
const rides = await readYear();
const t1 = clock();
const lite = await measure(sqlite, rides);
const t2 = clock();
let postgres: { figures: Figures; version: string } | string;
if (process.argv.includes('--no-postgres')) postgres = 'skipped (--no-postgres)';
else if (!postgresAvailable()) postgres = 'not installed (skipped)';
else {
  const server = await startPostgres();
  try {
    const version = await durableServer(server);
    postgres = { figures: await measure(postgresEngine(server), rides), version };
  } finally {
    await server.stop();
  }
}
const took = `${(clock() - t0).toFixed(0)} s: reading the year ${(t1 - t0).toFixed(0)} s, SQLite ${(t2 - t1).toFixed(0)} s${typeof postgres === 'string' ? '' : `, PostgreSQL ${(clock() - t2).toFixed(0)} s with its start`}`;
process.stdout.write(`${table(lite, postgres, { loadBefore, took }).join('\n')}\n`);

function table(
  lite: Figures,
  postgres: { figures: Figures; version: string } | string,
  run: { loadBefore: string; took: string },
): string[] {
  const pgf = typeof postgres === 'string' ? null : postgres.figures;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const ms = (v: number, digits = 0) => `${v.toFixed(digits)} ms`;
  const reads = (f: Figures, name: keyof Figures['reads']) => `${f.reads[name].p50.toFixed(3)} / ${f.reads[name].p95.toFixed(3)} ms`;
  const perSecond = (f: Figures) => f.uploads / (f.concurrentMs / 1000);
  const rows: [string, (f: Figures) => string, ((f: Figures) => number) | null][] = [
    [`record the year (one upload, ${lite.rides} rides)`, (f) => `${(f.recordMs / 1000).toFixed(2)} s`, (f) => f.recordMs],
    ['database grows by (streams deflated)', (f) => mb(f.addedBytes), (f) => f.addedBytes],
    ['  per 100 rides', (f) => mb((f.addedBytes * 100) / f.rides), null],
    [`load a year's metrics, no streams (TSS for ${lite.withTss})`, (f) => ms(f.loadSummariesMs), (f) => f.loadSummariesMs],
    [`load a year with streams (${lite.streamsLoaded} rides)`, (f) => ms(f.loadStreamsMs), (f) => f.loadStreamsMs],
    [`${ATHLETES} athletes × ${RIDES_EACH} uploads at once, wall`, (f) => `${(f.concurrentMs / 1000).toFixed(2)} s`, (f) => f.concurrentMs],
    ['  uploads/s', (f) => perSecond(f).toFixed(1), perSecond],
    [`currentProfile p50 / p95 (${READS} calls)`, (f) => reads(f, 'currentProfile'), (f) => f.reads.currentProfile.p50],
    [`latestReportedRun p50 / p95`, (f) => reads(f, 'latestReportedRun'), (f) => f.reads.latestReportedRun.p50],
    [`recentActivities(10) p50 / p95`, (f) => reads(f, 'recentActivities'), (f) => f.reads.recentActivities.p50],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  const cell = (text: string) => text.padEnd(20);
  const engines =
    typeof postgres === 'string'
      ? `PostgreSQL: ${postgres}`
      : `PostgreSQL ${postgres.version.split(' ')[0]} on 127.0.0.1 with its durable defaults (${DURABLE.join(', ')} on), a pool of 10`;
  return [
    `store on both engines — ${availableParallelism()} cores, load average ${run.loadBefore} before, ${load()} after; ${run.took}`,
    `  SQLite: a file (WAL, synchronous=NORMAL); ${engines}; the ${ATHLETES} athletes share one process`,
    `  ${''.padEnd(width)}  ${cell('SQLite')}${pgf ? `${cell('PostgreSQL')}PostgreSQL / SQLite (p50 for reads)` : ''}`.trimEnd(),
    ...rows.map(([label, show, value]) => {
      const ratio = pgf && value ? (value(pgf) / value(lite)).toFixed(2) : '';
      return `  ${label.padEnd(width)}  ${cell(show(lite))}${pgf ? `${cell(show(pgf))}${ratio}` : ''}`.trimEnd();
    }),
  ];
}
