/**
 * The order in which the Discord bot works: one athlete's updates one after another (after each
 * has been acknowledged), acknowledgements before work, and the handlers in flight that a stop
 * waits for.
 */

export class UpdateQueue {
  private readonly inFlight = new Set<Promise<void>>();
  /** The tail of each athlete's chain of updates. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly deferrals = new Set<Promise<unknown>>();

  /** `onUnexpected`: what to do with an error a handler let through (its own catch point should have taken it). */
  constructor(private readonly onUnexpected: (error: unknown) => void) {}

  /** Runs `work` after the athlete's earlier updates; a failed one does not stop the chain. */
  inOrder(key: string, work: () => Promise<void>): Promise<void> {
    const run = (this.chains.get(key) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  /** Keeps a handler in flight until it settles, so that `drain` can wait for it. */
  track(handler: Promise<void>): void {
    const work = handler.catch(this.onUnexpected);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Waits for the handlers in flight, `timeoutMs` at most. */
  async drain(timeoutMs: number): Promise<void> {
    const pending = Promise.allSettled([...this.inFlight]);
    await Promise.race([pending, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Waits for an acknowledgement, counting it as in flight meanwhile. */
  async acknowledged<T>(deferral: Promise<T>): Promise<T> {
    this.deferrals.add(deferral);
    try {
      return await deferral;
    } finally {
      this.deferrals.delete(deferral);
    }
  }

  /**
   * Acknowledgements go before work. An analysis holds the event loop while it computes, so work
   * started while other interactions of a burst still wait for their deferral would make those
   * miss Discord's deadline: a handler first lets the deferrals in flight finish (a few rounds at
   * most, so that a steady stream of interactions cannot starve it).
   */
  async afterPendingDeferrals(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      // Frames that arrived meanwhile get their turn to start deferring.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.deferrals.size === 0) return;
      await Promise.allSettled([...this.deferrals]);
    }
  }
}
