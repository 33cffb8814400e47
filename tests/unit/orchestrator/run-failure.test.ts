/**
 * How a run fails: the store's own failures in words for the athlete, the code and message a
 * failed run is recorded with, and the cause a RunFailure keeps (redacted).
 */
import { describe, expect, it } from 'vitest';
import { LlmError } from '../../../src/llm/provider.js';
import { failureOf, RunFailure, storageProblem } from '../../../src/orchestrator/run-failure.js';

const sqliteError = (code: string) => Object.assign(new Error(`${code}: database or disk is full`), { code });

describe('storageProblem', () => {
  it('words a full disk', () => {
    const problem = storageProblem(sqliteError('SQLITE_FULL'));
    expect(problem?.code).toBe('storage-full');
    expect(problem?.message).toMatch(/ran out of storage.*Your rides and earlier reports are safe/);
  });

  it('words a busy or locked database alike', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED']) {
      const problem = storageProblem(sqliteError(code));
      expect(problem?.code).toBe('storage-busy');
      expect(problem?.message).toMatch(/database was busy.*try again in a minute/);
    }
  });

  it('is null for any other error, coded or not', () => {
    expect(storageProblem(sqliteError('SQLITE_CORRUPT'))).toBeNull();
    expect(storageProblem(new Error('boom'))).toBeNull();
    expect(storageProblem({ code: 42 })).toBeNull();
    expect(storageProblem('a string')).toBeNull();
  });
});

describe('failureOf', () => {
  it('says cancelled whatever the error when the run was aborted', () => {
    expect(failureOf(sqliteError('SQLITE_FULL'), true)).toEqual({ code: 'cancelled', message: 'The run was cancelled.' });
  });

  it("keeps a RunFailure's code, words the store's failures, and calls anything else internal", () => {
    expect(failureOf(new RunFailure('no-activities', 'No rides.', 'r1'), false)).toEqual({ code: 'no-activities', message: 'No rides.' });
    expect(failureOf(sqliteError('SQLITE_BUSY'), false).code).toBe('storage-busy');
    expect(failureOf(new TypeError('x is undefined'), false)).toEqual({ code: 'internal', message: 'x is undefined' });
    expect(failureOf('thrown text', false)).toEqual({ code: 'internal', message: 'thrown text' });
  });
});

describe('RunFailure', () => {
  it('keeps its cause, without request fields or the secrets it is told of', () => {
    const key = 'sk-ant-api03-SECRET-KEY-0123456789';
    const llm = new LlmError('auth', 'The provider refused the key.', 401, {
      cause: Object.assign(new Error(`401 invalid x-api-key ${key}`), { status: 401, headers: { 'x-api-key': key } }),
      secrets: [key],
    });
    const failure = new RunFailure('offline-coach-failed', 'The offline coach failed.', 'r1', { cause: llm });
    expect(failure.cause).toMatchObject({ type: 'LlmError', message: 'The provider refused the key.', status: 401 });
    const inner = (failure.cause as { cause?: unknown }).cause;
    expect(inner).toMatchObject({ type: 'Error', message: '401 invalid x-api-key [redacted]', status: 401 });
    expect(JSON.stringify(failure.cause)).not.toContain(key);
    expect(JSON.stringify(failure.cause)).not.toContain('headers');
  });

  it('has no cause when given none', () => {
    expect(new RunFailure('cancelled', 'The run was cancelled.', 'r1').cause).toBeUndefined();
    expect('cause' in new RunFailure('cancelled', 'The run was cancelled.', 'r1')).toBe(false);
  });
});
