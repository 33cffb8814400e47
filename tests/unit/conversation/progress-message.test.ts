/**
 * ProgressMessage: the analysis status message is posted once, then edited at most once per
 * interval (events within the window are coalesced into one edit showing the latest state), edits
 * go out one after the other, the final state is always sent, and a failing edit is reported
 * without stopping anything. Time is a fake clock moved by hand: no sleeps.
 */
import { describe, expect, it } from 'vitest';
import { PHASES, type PhaseName, type RunEvent } from '../../../src/orchestrator/events.js';
import type { ChatThread, MessageRef, Reply } from '../../../src/conversation/port.js';
import { ProgressMessage, type Timers } from '../../../src/conversation/progress-message.js';

/** A clock and timers moved by `advance`, firing what falls due in order. */
class FakeTimers implements Timers {
  private time = 1_000_000;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.due.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  get scheduled(): number[] {
    return [...this.due.values()].map((t) => t.at - this.time);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}

/** A chat that records its posts and edits; an edit can be made to fail or to wait for `release`. */
class FakeThread implements Pick<ChatThread, 'post' | 'edit'> {
  readonly posts: Reply[] = [];
  readonly edits: string[] = [];
  failNext = 0;
  hold = false;
  private readonly held: (() => void)[] = [];

  async post(reply: Reply): Promise<MessageRef> {
    this.posts.push(reply);
    return { id: 'status' };
  }

  async edit(_ref: MessageRef, reply: Reply): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('edit refused');
    }
    this.edits.push(reply.text);
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

const started = (phase: PhaseName): RunEvent => ({ type: 'phase-started', runId: 'run-1', phase, index: PHASES.indexOf(phase) });
const progress = (message: string): RunEvent => ({ type: 'phase-progress', runId: 'run-1', phase: 'data-preparation', message });
const done = (phase: PhaseName): RunEvent => ({ type: 'phase-done', runId: 'run-1', phase, status: 'done', seconds: 1 });

/** Lets queued promise callbacks run (the edit chain), without any time passing. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(intervalMs = 1000) {
  const timers = new FakeTimers();
  const thread = new FakeThread();
  const errors: unknown[] = [];
  const message = new ProgressMessage(thread as unknown as ChatThread, { intervalMs, timers, onEditError: (e) => errors.push(e) });
  return { timers, thread, errors, message };
}

describe('ProgressMessage', () => {
  it('posts the status of the run once, queued position included', async () => {
    const { thread, message } = setup();
    await message.post('abcdef0123456789', 2);
    expect(thread.posts).toHaveLength(1);
    expect(thread.posts[0]!.text).toMatch(/^Analysis abcdef01\nQueued — 2 ahead of you\./);
  });

  it('coalesces the events of one interval into one edit showing the latest state', async () => {
    const { timers, thread, message } = setup(1000);
    await message.post('run-1', 0);
    timers.advance(5000); // long after the last edit: the first one may go out at once
    message.update(started('data-preparation'));
    message.update(progress('12 of 40 rides'));
    message.update(progress('30 of 40 rides'));
    expect(timers.scheduled).toEqual([0]);
    timers.advance(0);
    await settle();
    expect(thread.edits).toHaveLength(1);
    expect(thread.edits[0]).toMatch(/— 30 of 40 rides/);

    // within the window after that edit: one edit, when the window ends
    message.update(done('data-preparation'));
    message.update(started('performance-analysis'));
    expect(timers.scheduled).toEqual([1000]);
    timers.advance(999);
    await settle();
    expect(thread.edits).toHaveLength(1);
    timers.advance(1);
    await settle();
    expect(thread.edits).toHaveLength(2);
    expect(thread.edits[1]).toMatch(/✓ .*\n… /);
  });

  it('waits only for what is left of the interval since the last edit', async () => {
    const { timers, message } = setup(1000);
    await message.post('run-1', 0);
    timers.advance(5000);
    message.update(started('data-preparation'));
    timers.advance(0);
    timers.advance(400);
    message.update(progress('half way'));
    expect(timers.scheduled).toEqual([600]);
  });

  it('always sends the final state at finish, before finish resolves, dropping the scheduled edit', async () => {
    const { timers, thread, message } = setup(1000);
    await message.post('run-1', 0);
    message.update(started('data-preparation'));
    message.update(done('data-preparation'));
    expect(timers.scheduled).toHaveLength(1);
    await message.finish();
    expect(timers.scheduled).toEqual([]);
    expect(thread.edits).toHaveLength(1);
    expect(thread.edits[0]).toMatch(/✓ /);
  });

  it('sends edits one after the other, each showing the state when its turn comes', async () => {
    const { timers, thread, message } = setup(1000);
    await message.post('run-1', 0);
    timers.advance(5000);
    thread.hold = true;
    message.update(started('data-preparation'));
    timers.advance(0);
    await settle(); // the first edit is sent and hangs
    message.update(progress('later'));
    timers.advance(1000); // the second waits for the first
    await settle();
    expect(thread.edits).toEqual([]);
    message.update(progress('latest'));
    const finished = message.finish();
    thread.hold = false;
    thread.release();
    await finished;
    expect(thread.edits).toHaveLength(3);
    // the first was made before the later events; those waiting show the state when their turn came
    expect(thread.edits[0]).not.toMatch(/later|latest/);
    expect(thread.edits.slice(1).every((text) => text.includes('— latest'))).toBe(true);
  });

  it('reports a failed edit and goes on with the next one', async () => {
    const { timers, thread, errors, message } = setup(1000);
    await message.post('run-1', 0);
    timers.advance(5000);
    thread.failNext = 1;
    message.update(started('data-preparation'));
    timers.advance(0);
    await settle();
    expect(errors).toHaveLength(1);
    expect(thread.edits).toEqual([]);
    message.update(done('data-preparation'));
    await message.finish();
    expect(thread.edits).toHaveLength(1);
    expect(thread.edits[0]).toMatch(/✓ /);
  });

  it('edits nothing before the message is posted; the post shows the events so far', async () => {
    const { timers, thread, message } = setup(1000);
    message.update(started('data-preparation'));
    timers.advance(0);
    await settle();
    expect(thread.edits).toEqual([]);
    await message.post('run-1', 0);
    expect(thread.posts[0]!.text).toMatch(/… /);
  });

  it('on cancel drops the edit waiting for its turn', async () => {
    const { timers, thread, message } = setup(1000);
    await message.post('run-1', 0);
    message.update(started('data-preparation'));
    message.cancel();
    timers.advance(10_000);
    await settle();
    expect(thread.edits).toEqual([]);
  });
});
