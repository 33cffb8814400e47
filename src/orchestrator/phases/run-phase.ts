/**
 * The frame around each phase: a yield to the event loop, the cancellation check, the timing, the
 * phase's record in the store and in the run, and the started/done events.
 */
import type { PhaseName } from '../events.js';
import type { RunContext } from '../run-context.js';
import type { PhaseRecord } from '../run-result.js';

/** What a phase's body gives back: its product and its record (the frame adds name and time). */
export interface PhaseOutcome<T> {
  value: T;
  record: Omit<PhaseRecord, 'name' | 'seconds'>;
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;

export async function runPhase<T>(ctx: RunContext, name: PhaseName, index: number, body: () => Promise<PhaseOutcome<T>>): Promise<T> {
  const { runId } = ctx;
  // Between phases, let the bots answer whoever is waiting (the engine's work is synchronous).
  await new Promise((resolve) => setImmediate(resolve));
  ctx.request.signal?.throwIfAborted();
  ctx.emit({ type: 'phase-started', runId, phase: name, index });
  const started = performance.now();
  const startedAt = ctx.deps.clock();
  const { value, record } = await body();
  const full: PhaseRecord = { name, seconds: seconds(performance.now() - started), ...record };
  ctx.phases.push(full);
  await ctx.athlete.finishPhase(runId, {
    phase: name,
    status: full.status === 'degraded' ? 'degraded' : full.status === 'failed' ? 'failed' : 'done',
    startedAt,
    durationMs: full.seconds * 1000,
    inputTokens: full.inputTokens,
    outputTokens: full.outputTokens,
    ...(full.note ? { note: full.note } : {}),
  });
  ctx.emit({
    type: 'phase-done',
    runId,
    phase: name,
    status: full.status === 'failed' ? 'degraded' : full.status,
    seconds: full.seconds,
    ...(full.note ? { note: full.note } : {}),
  });
  return value;
}

/** A phase that did not run (the plan when it was not asked for): recorded and announced, not timed. */
export function skipPhase(ctx: RunContext, name: PhaseName): void {
  ctx.phases.push({ name, status: 'skipped', seconds: 0, inputTokens: 0, outputTokens: 0, provider: 'none' });
  ctx.emit({ type: 'phase-done', runId: ctx.runId, phase: name, status: 'skipped', seconds: 0 });
}

/** The record of a phase the engine did alone. */
export function engineRecord(note?: string): PhaseOutcome<never>['record'] {
  return { status: 'done', inputTokens: 0, outputTokens: 0, provider: 'engine', ...(note !== undefined ? { note } : {}) };
}
