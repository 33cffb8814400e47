/**
 * "Try the model, else the offline coach": one rule for the analysis phases and for questions in
 * chat. A provider failure (LlmError) or a conversation that went wrong (LoopError) hands over to
 * the offline stand-in; a cancellation and any other error (a bug, the store) go on up.
 */
import { LlmError } from '../llm/provider.js';
import { LoopError } from './tool-loop.js';

/** Why the model's attempt was given up. */
export type ModelFailure = LlmError | LoopError;

export async function withOfflineFallback<T>(
  attempt: () => Promise<T>,
  fallback: (failure: ModelFailure) => Promise<T> | T,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (signal?.aborted) throw error;
    if (!(error instanceof LlmError) && !(error instanceof LoopError)) throw error;
    return fallback(error);
  }
}
