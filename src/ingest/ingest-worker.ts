/**
 * The worker-thread side of `IngestPool`: reads one uploaded file (unpacking, decoding, the
 * FTP-independent metrics stored with each activity) and hands the result back, moving the
 * 1 Hz streams' buffers instead of copying them.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { precomputeStoredMetrics } from '../domain/metrics/stored-metrics.js';
import { err } from '../domain/result.js';
import { ingestError } from './ingest-error.js';
import { formatCount } from '../domain/numbers.js';
import { ingestFile, type IngestLimits } from './ingest.js';

/** Room left for an athlete's activities: `stored` of at most `max`, so `room` more. */
export interface ActivityLimit {
  room: number;
  stored: number;
  max: number;
}

export interface IngestTask {
  bytes: Uint8Array;
  fileName: string;
  limits: IngestLimits;
  /** More activities than `room` are refused here, instead of being copied to the main thread. */
  activityLimit: ActivityLimit | null;
}

export default async function ingestTask(task: IngestTask): Promise<unknown> {
  let result = await ingestFile(task.bytes, task.fileName, task.limits);
  const limit = task.activityLimit;
  if (result.ok && limit !== null && result.value.activities.length > limit.room) {
    const n = result.value.activities.length;
    const what = n === 1 ? 'one activity' : `${formatCount(n)} activities`;
    result = err(
      ingestError(
        task.fileName,
        'too-large',
        `${task.fileName} was refused: it holds ${what}; with the ${formatCount(limit.stored)} stored that is more than the ${formatCount(limit.max)} I keep per athlete. Nothing was stored. Send a shorter export (for example the last two years).`,
      ),
    );
  }
  const buffers = new Set<ArrayBuffer>();
  if (result.ok) {
    for (const activity of result.value.activities) {
      precomputeStoredMetrics(activity);
      if (!activity.streams) continue;
      for (const values of Object.values(activity.streams) as (ArrayBufferView | null)[]) {
        // only arrays that own their whole buffer: a view into a shared one is copied instead
        if (values && values.buffer instanceof ArrayBuffer && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength)
          buffers.add(values.buffer);
      }
    }
  }
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: result } as never);
}
