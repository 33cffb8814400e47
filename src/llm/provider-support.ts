/**
 * What the network adapters of the model port (anthropic/, ollama/) share: one call's abort
 * signals, the network code behind a failure, and how a timeout is written in their messages.
 */

/** The caller's signal combined with the whole call's deadline (which also bounds retry waits). */
export function callSignals(userSignal: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal; deadline: AbortSignal } {
  const deadline = AbortSignal.timeout(timeoutMs);
  return { signal: userSignal ? AbortSignal.any([userSignal, deadline]) : deadline, deadline };
}

/** The first `code` (ECONNREFUSED, ENOTFOUND, ECONNRESET, UND_ERR_SOCKET, …) in an error's cause chain. */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** "800 ms", "2.5 s", "120 s". */
export function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
