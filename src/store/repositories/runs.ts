/**
 * One athlete's analysis runs: started, phases recorded, finished; their report files; the newest
 * finished run with reports (what `/plan`, `/report` and questions read), found in one query.
 * Also the start-up repair of runs a previous process left unfinished.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../database.js';
import type { Blocking, RunRepository } from '../ports.js';
import type { Clock, PhaseCompletion, ReportFile, RunRecord, RunCompletion, RunStatus, StartRunOptions } from '../records.js';
import * as t from '../schema.js';
import type { AthleteScope } from './scope.js';

/** The runs table again, under another name, for "the newest run that …" subqueries. */
const newestRun = alias(t.runs, 'newest');

export class SqliteRunRepository implements Blocking<RunRepository> {
  constructor(private readonly scope: AthleteScope) {}

  startRun(options: StartRunOptions = {}): RunRecord {
    const { db, athleteId, clock } = this.scope;
    const id = randomUUID();
    const now = clock();
    const status = options.status ?? 'running';
    db.insert(t.runs)
      .values({
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
      })
      .run();
    return this.run(id)!;
  }

  markRunning(runId: string): void {
    this.scope.db.update(t.runs).set({ status: 'running', startedAt: this.scope.clock() }).where(this.byId(runId)).run();
  }

  finishPhase(runId: string, phase: PhaseCompletion): void {
    if (!this.exists(runId)) throw new Error(`no run ${runId} for this athlete`);
    const durationMs = Math.round(phase.durationMs);
    this.scope.db
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
      })
      .run();
  }

  finishRun(runId: string, result: RunCompletion): RunRecord {
    this.scope.db
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
      .where(this.byId(runId))
      .run();
    return this.run(runId)!;
  }

  markDelivered(runId: string): boolean {
    const stamped = this.scope.db
      .update(t.runs)
      .set({ deliveredAt: this.scope.clock() })
      .where(and(this.byId(runId), isNull(t.runs.deliveredAt)))
      .run();
    return stamped.changes > 0;
  }

  run(runId: string): RunRecord | null {
    return this.select(this.byId(runId))[0] ?? null;
  }

  /** Every run, newest first. */
  runs(): RunRecord[] {
    return this.select(eq(t.runs.athleteId, this.scope.athleteId));
  }

  /** The newest run, optionally with a given status (e.g. the latest `done` for "resend the report"). */
  latestRun(status?: RunStatus): RunRecord | null {
    return this.select(inArray(t.runs.id, this.newest(status ? (r) => eq(r.status, status) : () => undefined)))[0] ?? null;
  }

  latestReportedRun(): RunRecord | null {
    return this.select(inArray(t.runs.id, this.newestReported()))[0] ?? null;
  }

  saveReports(runId: string, files: ReportFile[]): void {
    if (!this.exists(runId)) throw new Error(`no run ${runId} for this athlete`);
    const { db, athleteId } = this.scope;
    const now = this.scope.clock();
    db.transaction((tx) => {
      for (const file of files) {
        const content = Buffer.from(file.content);
        tx.insert(t.reports)
          .values({ runId, athleteId, fileName: file.fileName, contentType: file.contentType, content, createdAt: now })
          .onConflictDoUpdate({
            target: [t.reports.runId, t.reports.fileName],
            set: { content, contentType: file.contentType, createdAt: now },
          })
          .run();
      }
    });
  }

  reports(runId: string): ReportFile[] {
    return this.reportRows(eq(t.reports.runId, runId));
  }

  reportFile(runId: string, fileName: string): ReportFile | null {
    return this.reportRows(and(eq(t.reports.runId, runId), eq(t.reports.fileName, fileName)))[0] ?? null;
  }

  latestReportedFile(fileName: string): ReportFile | null {
    return this.reportRows(and(inArray(t.reports.runId, this.newestReported()), eq(t.reports.fileName, fileName)))[0] ?? null;
  }

  /** Every report file of this athlete, with its run (the export). */
  allReports(): (ReportFile & { runId: string })[] {
    return this.scope.db
      .select()
      .from(t.reports)
      .where(eq(t.reports.athleteId, this.scope.athleteId))
      .all()
      .map((r) => ({ runId: r.runId, fileName: r.fileName, contentType: r.contentType, content: new Uint8Array(r.content) }));
  }

  private byId(runId: string): SQL | undefined {
    return and(eq(t.runs.id, runId), eq(t.runs.athleteId, this.scope.athleteId));
  }

  private exists(runId: string): boolean {
    return this.scope.db.select({ id: t.runs.id }).from(t.runs).where(this.byId(runId)).get() !== undefined;
  }

  /**
   * Runs with their phases in one query: newest first (ties in the order they were written, the
   * newest first, as the runs_athlete_created index gives them), each run's phases in the order
   * they started.
   */
  private select(where: SQL | undefined): RunRecord[] {
    const rows = this.scope.db
      .select({ run: t.runs, phase: t.runPhases })
      .from(t.runs)
      .leftJoin(t.runPhases, and(eq(t.runPhases.runId, t.runs.id), eq(t.runPhases.athleteId, t.runs.athleteId)))
      .where(and(eq(t.runs.athleteId, this.scope.athleteId), where))
      .orderBy(desc(t.runs.createdAt), sql`"runs"."rowid" desc`, asc(t.runPhases.startedAt), sql`"run_phases"."rowid"`)
      .all();
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
      .orderBy(desc(r.createdAt), sql`"newest"."rowid" desc`)
      .limit(1);
  }

  /**
   * The newest finished run that has report files. (`+` keeps SQLite on the reports' primary key,
   * run id first, rather than its athlete index.)
   */
  private newestReported() {
    return this.newest(
      (r) =>
        sql`${r.status} = 'done' and exists (select 1 from ${t.reports} where ${t.reports.runId} = ${r.id} and +${t.reports.athleteId} = ${r.athleteId})`,
    );
  }

  private reportRows(where: SQL | undefined): ReportFile[] {
    return this.scope.db
      .select()
      .from(t.reports)
      .where(and(where, eq(t.reports.athleteId, this.scope.athleteId)))
      .orderBy(asc(t.reports.fileName))
      .all()
      .map((r) => ({ fileName: r.fileName, contentType: r.contentType, content: new Uint8Array(r.content) }));
  }
}

/** At start-up: runs left queued or running by a previous process become `interrupted`. */
export function interruptUnfinishedRuns(db: Db, clock: Clock): { athleteId: string; runId: string }[] {
  return db
    .update(t.runs)
    .set({
      status: 'interrupted',
      finishedAt: clock(),
      errorCode: 'interrupted',
      errorMessage: 'The service restarted while this run was in progress.',
    })
    .where(inArray(t.runs.status, ['queued', 'running']))
    .returning({ athleteId: t.runs.athleteId, runId: t.runs.id })
    .all();
}
