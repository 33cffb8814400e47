/**
 * "Try the model, else the offline coach": a provider or loop failure hands over to the stand-in
 * with the reason; a cancellation and any other error go on up.
 */
import { describe, expect, it } from 'vitest';
import { LlmError } from '../../../src/llm/provider.js';
import { withOfflineFallback, type ModelFailure } from '../../../src/orchestrator/offline-fallback.js';
import { LoopError } from '../../../src/orchestrator/tool-loop.js';

const fail = (error: unknown) => () => Promise.reject(error);

describe('withOfflineFallback', () => {
  it("is the model's answer when it answers", async () => {
    let calls = 0;
    const answer = await withOfflineFallback(
      async () => 'model',
      () => {
        calls += 1;
        return 'offline';
      },
    );
    expect(answer).toBe('model');
    expect(calls).toBe(0);
  });

  it('hands a provider failure or a loop failure to the stand-in, with the reason', async () => {
    const seen: ModelFailure[] = [];
    const standIn = (failure: ModelFailure) => {
      seen.push(failure);
      return 'offline';
    };
    expect(await withOfflineFallback(fail(new LlmError('overloaded', 'busy', 529)), standIn)).toBe('offline');
    expect(await withOfflineFallback(fail(new LoopError('too-many-steps', 'loops')), standIn)).toBe('offline');
    expect(seen.map((f) => f.code)).toEqual(['overloaded', 'too-many-steps']);
  });

  it('lets other errors and cancellations through', async () => {
    const standIn = () => 'offline';
    await expect(withOfflineFallback(fail(new TypeError('bug')), standIn)).rejects.toThrow('bug');
    const controller = new AbortController();
    controller.abort();
    await expect(withOfflineFallback(fail(new LlmError('aborted', 'cancelled')), standIn, controller.signal)).rejects.toThrow('cancelled');
  });

  it("passes on the stand-in's own failure", async () => {
    await expect(
      withOfflineFallback(fail(new LlmError('unavailable', 'down')), () => Promise.reject(new Error('offline failed too'))),
    ).rejects.toThrow('offline failed too');
  });
});
