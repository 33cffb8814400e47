/**
 * One athlete's analysis runs on PostgreSQL (the port: RunRepository in ../../ports.ts), mirroring
 * ../../repositories/runs.ts: runs started, phases recorded, finished; their report files (bytea);
 * the newest finished run with reports, found in one query; and the start-up repair of runs a
 * previous process left unfinished.
 *
 * SQLite breaks ties between rows written in the same millisecond by rowid (write order);
 * PostgreSQL has no rowid. Runs get time-ordered ids (UUIDv7, strictly increasing within a process)
 * so that ordering ties by id gives write order; phases, which are keyed by run and name, break
 * ties by the transaction that wrote them (`xmin`: each `finishPhase` is its own statement).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { RunRepository } from '../../ports.js';
import type { Clock, PhaseCompletion, ReportFile, RunRecord, RunCompletion, RunStatus, StartRunOptions } from '../../records.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';
import type { PgAthleteScope } from './scope.js';

/** The runs table again, under another name, for "the newest run that …" subqueries. */
const newestRun = alias(t.runs, 'newest');

/** The last id's millisecond and counter: ids made by this process only ever increase. */
let lastMs = 0;
let counter = 0;

/**
 * A run id in UUID form whose first 8 hex digits are random — chat shows runs by that prefix, so
 * two runs must not share it — and whose rest orders the runs this process made: 48 bits of Unix
 * milliseconds, a 12-bit counter within one millisecond (when it runs out the id borrows the next
 * millisecond), then random bits. `runOrder(id)` sorts by that rest, as rowid sorts SQLite's rows.
 */
export function timeOrderedId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 4, 6);
  bytes[10] = counter >> 4;
  bytes[11] = ((counter & 0xf) << 4) | (bytes[11]! & 0x0f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The part of a run id that orders it (see timeOrderedId), byte-wise. */
const runOrder = (id: SQLWrapper) => sql`substr(${id}, 10) collate "C"`;

/** A report row as a file of the port (pg gives bytea as a Buffer: copied out into a plain Uint8Array, as on SQLite). */
const toFile = (r: { fileName: string; contentType: string; content: Buffer }): ReportFile => ({
  fileName: r.fileName,
  contentType: r.contentType,
  content: new Uint8Array(r.content),
});

/** One athlete's runs and reports on PostgreSQL; `scope.clock` stamps creation, start and finish. */
export class PgRunRepository implements RunRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  async startRun(options: StartRunOptions = {}): Promise<RunRecord> {
    const { db, athleteId, clock } = this.scope;
    const id = timeOrderedId();
    const now = clock();
    const status = options.status ?? 'running';
    await db.insert(t.runs).values({
      id,
      athleteId,
      status,
      periodFrom: options.periodFrom ?? null,
      periodTo: options.periodTo ?? null,
      provider: options.provider ?? null,
      model: options.model ?? null,
      inputHash: options.inputHash ?? null,
      createdAt: now,
      startedAt: status === 'running' ? now : null,
    });
    return (await this.run(id))!;
  }

  async markRunning(runId: string): Promise<void> {
    await this.scope.db.update(t.runs).set({ status: 'running', startedAt: this.scope.clock() }).where(this.byId(runId));
  }

  async finishPhase(runId: string, phase: PhaseCompletion): Promise<void> {
    if (!(await this.exists(runId))) throw new Error(`no run ${runId} for this athlete`);
    const durationMs = Math.round(phase.durationMs);
    await this.scope.db
      .insert(t.runPhases)
      .values({
        runId,
        athleteId: this.scope.athleteId,
        phase: phase.phase,
        status: phase.status,
        startedAt: phase.startedAt,
        durationMs,
        inputTokens: phase.inputTokens ?? 0,
        outputTokens: phase.outputTokens ?? 0,
        note: phase.note ?? null,
      })
      .onConflictDoUpdate({
        target: [t.runPhases.runId, t.runPhases.phase],
        set: { status: phase.status, durationMs, note: phase.note ?? null },
      });
  }

  async finishRun(runId: string, result: RunCompletion): Promise<RunRecord> {
    await this.scope.db
      .update(t.runs)
      .set({
        status: result.status,
        degraded: result.degraded ?? false,
        inputTokens: result.inputTokens ?? 0,
        outputTokens: result.outputTokens ?? 0,
        costUsd: result.costUsd ?? 0,
        ...(result.provider ? { provider: result.provider } : {}),
        ...(result.model ? { model: result.model } : {}),
        errorCode: result.errorCode ?? null,
        errorMessage: result.errorMessage ?? null,
        finishedAt: this.scope.clock(),
      })
      .where(this.byId(runId));
    // Another athlete's run is not touched and reads as null, as on SQLite.
    return (await this.run(runId))!;
  }

  async markDelivered(runId: string): Promise<boolean> {
    const stamped = await this.scope.db
      .update(t.runs)
      .set({ deliveredAt: this.scope.clock() })
      .where(and(this.byId(runId), isNull(t.runs.deliveredAt)))
      .returning({ id: t.runs.id });
    return stamped.length > 0;
  }

  async run(runId: string): Promise<RunRecord | null> {
    return (await this.select(this.byId(runId)))[0] ?? null;
  }

  /** Every run, newest first. */
  async runs(): Promise<RunRecord[]> {
    return this.select(eq(t.runs.athleteId, this.scope.athleteId));
  }

  /** The newest run, optionally with a given status (e.g. the latest `done` for "resend the report"). */
  async latestRun(status?: RunStatus): Promise<RunRecord | null> {
    return (await this.select(inArray(t.runs.id, this.newest(status ? (r) => eq(r.status, status) : () => undefined))))[0] ?? null;
  }

  async latestReportedRun(): Promise<RunRecord | null> {
    return (await this.select(inArray(t.runs.id, this.newestReported())))[0] ?? null;
  }

  async saveReports(runId: string, files: ReportFile[]): Promise<void> {
    if (!(await this.exists(runId))) throw new Error(`no run ${runId} for this athlete`);
    const { db, athleteId } = this.scope;
    const now = this.scope.clock();
    // All files or none: a report is never left half saved.
    await db.transaction(async (tx) => {
      for (const file of files) {
        const content = Buffer.from(file.content);
        await tx
          .insert(t.reports)
          .values({ runId, athleteId, fileName: file.fileName, contentType: file.contentType, content, createdAt: now })
          .onConflictDoUpdate({
            target: [t.reports.runId, t.reports.fileName],
            set: { content, contentType: file.contentType, createdAt: now },
          });
      }
    });
  }

  async reports(runId: string): Promise<ReportFile[]> {
    return this.reportRows(eq(t.reports.runId, runId));
  }

  async reportFile(runId: string, fileName: string): Promise<ReportFile | null> {
    return (await this.reportRows(and(eq(t.reports.runId, runId), eq(t.reports.fileName, fileName))))[0] ?? null;
  }

  async latestReportedFile(fileName: string): Promise<ReportFile | null> {
    return (await this.reportRows(and(inArray(t.reports.runId, this.newestReported()), eq(t.reports.fileName, fileName))))[0] ?? null;
  }

  /**
   * Every report file of this athlete, with its run (the export). SQLite gives them in the order
   * they were first written; here oldest first, then by run and name, which is that order but for
   * files rewritten later.
   */
  async allReports(): Promise<(ReportFile & { runId: string })[]> {
    const rows = await this.scope.db
      .select()
      .from(t.reports)
      .where(eq(t.reports.athleteId, this.scope.athleteId))
      .orderBy(asc(t.reports.createdAt), runOrder(t.reports.runId), sql`${t.reports.fileName} collate "C"`);
    return rows.map((r) => ({ runId: r.runId, ...toFile(r) }));
  }

  private byId(runId: string): SQL | undefined {
    return and(eq(t.runs.id, runId), eq(t.runs.athleteId, this.scope.athleteId));
  }

  private async exists(runId: string): Promise<boolean> {
    const [row] = await this.scope.db.select({ id: t.runs.id }).from(t.runs).where(this.byId(runId)).limit(1);
    return row !== undefined;
  }

  /**
   * Runs with their phases in one query: newest first (ties in the order they were written, the
   * newest first: their ids are time-ordered), each run's phases in the order they started (ties in
   * the order they were recorded).
   */
  private async select(where: SQL | undefined): Promise<RunRecord[]> {
    const rows = await this.scope.db
      .select({ run: t.runs, phase: t.runPhases })
      .from(t.runs)
      .leftJoin(t.runPhases, and(eq(t.runPhases.runId, t.runs.id), eq(t.runPhases.athleteId, t.runs.athleteId)))
      .where(and(eq(t.runs.athleteId, this.scope.athleteId), where))
      .orderBy(
        desc(t.runs.createdAt),
        sql`${runOrder(t.runs.id)} desc`,
        asc(t.runPhases.startedAt),
        // xid has no order operator; its digits as a number do (a run's phases are written close together)
        sql`"run_phases"."xmin"::text::bigint`,
      );
    const runs = new Map<string, RunRecord>();
    for (const { run, phase } of rows) {
      const { athleteId: _a, ...rest } = run;
      const record = runs.get(run.id) ?? { ...rest, phases: [] };
      runs.set(run.id, record);
      if (phase) {
        const { runId: _r, athleteId: _b, ...p } = phase;
        record.phases.push(p);
      }
    }
    return [...runs.values()];
  }

  /** The id of the newest run meeting `condition` (a subquery: at most one row). */
  private newest(condition: (r: typeof newestRun) => SQL | undefined) {
    const r = newestRun;
    return this.scope.db
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.athleteId, this.scope.athleteId), condition(r)))
      .orderBy(desc(r.createdAt), sql`${runOrder(r.id)} desc`)
      .limit(1);
  }

  /** The newest finished run that has report files. */
  private newestReported() {
    return this.newest(
      (r) =>
        sql`${r.status} = 'done' and exists (select 1 from ${t.reports} where ${t.reports.runId} = ${r.id} and ${t.reports.athleteId} = ${r.athleteId})`,
    );
  }

  private async reportRows(where: SQL | undefined): Promise<ReportFile[]> {
    const rows = await this.scope.db
      .select()
      .from(t.reports)
      .where(and(where, eq(t.reports.athleteId, this.scope.athleteId)))
      // SQLite compares names by their bytes
      .orderBy(sql`${t.reports.fileName} collate "C"`);
    return rows.map(toFile);
  }
}

/**
 * At start-up: runs left queued or running by a previous process become `interrupted` (mirrors
 * `interruptUnfinishedRuns` of ../../repositories/runs.ts). One statement: two processes starting
 * at once each report a run at most once (the second re-reads a locked row and finds it no longer
 * unfinished). Returned by athlete then run, for a stable answer (UPDATE … RETURNING has no order).
 */
export async function interruptUnfinishedRunsPg(db: PgDb, clock: Clock): Promise<{ athleteId: string; runId: string }[]> {
  const rows = await db
    .update(t.runs)
    .set({
      status: 'interrupted',
      finishedAt: clock(),
      errorCode: 'interrupted',
      errorMessage: 'The service restarted while this run was in progress.',
    })
    .where(inArray(t.runs.status, ['queued', 'running']))
    .returning({ athleteId: t.runs.athleteId, runId: t.runs.id });
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => byBytes(a.athleteId, b.athleteId) || byBytes(a.runId, b.runId));
}
