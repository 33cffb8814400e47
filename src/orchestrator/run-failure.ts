/**
 * How a run fails: the error the callers of the orchestrator catch, with a code and a message for
 * the athlete, and the words for the store's own failures (a full disk, a locked database).
 */
import { redactedCause, type CauseOptions } from '../llm/provider.js';

/** A run that did not finish: `code` says why (`no-activities`, `cancelled`, `storage-full`, …); the cause is kept redacted. */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly runId: string,
    options: CauseOptions = {},
  ) {
    super(message, redactedCause(options));
  }
}

/** A full disk or a locked database, in words for the athlete; null for anything else. */
export function storageProblem(error: unknown): { code: string; message: string } | null {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL')
    return {
      code: 'storage-full',
      message: 'The server ran out of storage while saving your reports. Your rides and earlier reports are safe; please try again later.',
    };
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return {
      code: 'storage-busy',
      message: 'The database was busy and could not save your reports. Your rides are safe; please try again in a minute.',
    };
  return null;
}

/** The code and message a failed run is recorded with: cancelled, the run's own failure, the store's, or the error's message. */
export function failureOf(error: unknown, aborted: boolean): { code: string; message: string } {
  if (aborted) return { code: 'cancelled', message: 'The run was cancelled.' };
  const storage = storageProblem(error);
  const code = error instanceof RunFailure ? error.code : storage ? storage.code : 'internal';
  const message = storage ? storage.message : error instanceof Error ? error.message : String(error);
  return { code, message };
}
