/**
 * When a history is old: from this many days after the latest ride, the fact sheet warns, the
 * analysis dates its period rather than calling it "the last months", chat says fitness has faded
 * since, and a plan opens with a return block.
 */
export const STALE_DAYS = 28;
