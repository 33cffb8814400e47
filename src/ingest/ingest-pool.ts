/**
 * Uploaded files are read in worker threads (piscina), never on the event loop: decoding a
 * large FIT file or an export of thousands of rides takes seconds of CPU, during which every
 * other athlete's replies would wait. Each file gets a time budget and a heap budget; a file
 * that exceeds either is stopped (its worker is terminated and replaced) and refused with a
 * clear message, and the process carries on.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { err, type Result } from '../domain/result.js';
import { formatBytes, ingestError, type IngestError } from './ingest-error.js';
import type { ActivityLimit, IngestTask } from './ingest-worker.js';
import { DEFAULT_INGEST_LIMITS, type IngestBatch, type IngestLimits } from './ingest.js';

export interface IngestPoolOptions {
  /** Worker threads (default: the cores less one, at least 2, at most 4). */
  threads?: number | null;
  /** Time one file may take; larger files get one more second per MB. */
  timeoutMs?: number;
  /** Heap one worker may use (V8's old generation), MB. */
  memoryMb?: number;
}

export type IngestResult = Result<IngestBatch, IngestError>;

const WORKER = new URL(`./ingest-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export class IngestPool {
  private readonly pool: Piscina;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;

  constructor(options: IngestPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.memoryMb = options.memoryMb ?? 512;
    const threads = options.threads ?? Math.min(4, Math.max(2, availableParallelism() - 1));
    // Under tsx the workers inherit its loader; elsewhere (the test runner) they are given it.
    const hasTsLoader = process.execArgv.some((a) => a.includes('tsx'));
    this.pool = new Piscina({
      filename: WORKER.href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32 },
      ...(WORKER.pathname.endsWith('.ts') && !hasTsLoader ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {}),
    });
  }

  /** Reads one uploaded file; a file over its time or memory budget is refused, never thrown. */
  async ingest(
    bytes: Uint8Array,
    fileName: string,
    limits: IngestLimits = DEFAULT_INGEST_LIMITS,
    options: { activityLimit?: ActivityLimit; timeoutMs?: number } = {},
  ): Promise<IngestResult> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs + Math.round(bytes.length / (1024 * 1024)) * 1000;
    const task: IngestTask = { bytes, fileName, limits, activityLimit: options.activityLimit ?? null };
    try {
      return (await this.pool.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as IngestResult;
    } catch (e) {
      const code = (e as { code?: string }).code;
      const name = (e as { name?: string }).name;
      if (name === 'AbortError' || name === 'TimeoutError') {
        return err(
          ingestError(
            fileName,
            'too-slow',
            `${fileName} was not read: it took longer than ${Math.max(1, Math.ceil(timeoutMs / 1000))} s, the most one file may take. Nothing was stored. If it is a large export, send it in smaller parts (for example one zip per year).`,
          ),
        );
      }
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return err(
          ingestError(
            fileName,
            'too-large',
            `${fileName} was refused: reading it needed more than ${formatBytes(this.memoryMb * 1024 * 1024)} of memory, the most one file may use. Nothing was stored. Send it in smaller parts (for example one zip per year).`,
          ),
        );
      }
      throw e;
    }
  }

  /** Stops the workers (at shutdown). */
  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}

let shared: IngestPool | null = null;

/**
 * The process's pool, made on first use with that caller's budgets (the entry points pass the
 * configured ones first); its idle workers end after 30 s, `closeIngestPool` ends them now.
 */
export function ingestPool(options: IngestPoolOptions = {}): IngestPool {
  shared ??= new IngestPool(options);
  return shared;
}

export async function closeIngestPool(): Promise<void> {
  const old = shared;
  shared = null;
  await old?.close();
}
