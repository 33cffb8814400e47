import { describe, expect, it } from 'vitest';
import { AthleteBusyError, RunQueue } from '../../../src/orchestrator/run-queue.js';

const deferred = () => {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
};

describe('run queue', () => {
  it('runs at most `concurrency` at once, in order', async () => {
    const queue = new RunQueue(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const runs = gates.map((g, i) =>
      queue.enqueue(`r${i}`, `a${i}`, async () => {
        started.push(`r${i}`);
        return g.promise;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['r0', 'r1']);
    expect(queue.size).toEqual({ running: 2, waiting: 1 });
    expect(queue.position('r2')).toBe(1);
    gates[0]!.resolve('done0');
    expect(await runs[0]!.result).toBe('done0');
    for (let i = 0; i < 5 && started.length < 3; i++) await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['r0', 'r1', 'r2']);
    gates[1]!.resolve('1');
    gates[2]!.resolve('2');
    expect(await Promise.all(runs.map((r) => r.result))).toEqual(['done0', '1', '2']);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('allows one active run per athlete and frees the slot when it ends', async () => {
    const queue = new RunQueue(4);
    const gate = deferred();
    const first = queue.enqueue('r1', 'anna', () => gate.promise);
    expect(() => queue.enqueue('r2', 'anna', async () => 'x')).toThrow(AthleteBusyError);
    expect(queue.activeRun('anna')).toBe('r1');
    gate.resolve('ok');
    await first.result;
    await new Promise((r) => setImmediate(r));
    expect(queue.activeRun('anna')).toBeNull();
    expect(await queue.enqueue('r3', 'anna', async () => 'again').result).toBe('again');
  });

  it('cancels a waiting run without starting it, and aborts a running one', async () => {
    const queue = new RunQueue(1);
    const gate = deferred();
    let sawAbort = false;
    let runningStarted = false;
    const running = queue.enqueue(
      'r1',
      'a',
      (signal) =>
        new Promise((resolve, reject) => {
          runningStarted = true;
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          });
          void gate.promise.then(resolve);
        }),
    );
    let started = false;
    const waiting = queue.enqueue('r2', 'b', async () => {
      started = true;
      return 'x';
    });
    waiting.cancel();
    await expect(waiting.result).rejects.toMatchObject({ name: 'AbortError' });
    for (let i = 0; i < 5 && !runningStarted; i++) await new Promise((r) => setImmediate(r));
    running.cancel();
    await expect(running.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(sawAbort).toBe(true);
    expect(started).toBe(false);
    expect(queue.activeRun('b')).toBeNull();
  });
});
