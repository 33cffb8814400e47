/**
 * Ticker processes racing on one database (tests/support/ticker-child.ts each): any number of them,
 * on a SQLite file or a postgres:// URL, each running the real reminder and/or check-in tickers on
 * a clock the test moves. Nothing here waits on time: every step waits for a line from a child.
 *
 *   const race = await startTickerProcesses({ location, names: ['a', 'b', 'c'] });
 *   const sent = await race.pass(at('2026-06-01T07:00:00Z')); // { a: { reminder: 12, checkin: 15 }, … }
 *   const delivered = race.deliveries(); // [{ kind, key, process }, …] in the order the "chat" got them
 *   await race.close();
 *
 * `raceTwoTickerProcesses` is the two-process race of one kind at a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

export type TickerKind = 'reminder' | 'checkin';

/** One message as the shared chat got it. */
export interface Delivery {
  kind: TickerKind;
  key: string;
  process: string;
}

/** What one process sent in a pass, by kind (the kinds it runs). */
export type PassResult = Partial<Record<TickerKind, number>>;

export interface TickerRaceOptions {
  /** A SQLite file or a postgres:// URL: each child opens `Store.open(location)`. */
  location: string;
  /** One process each, by name. */
  names: string[];
  /** The tickers each process runs (default both). */
  kinds?: TickerKind[];
  /** Messages a ticker claims at a time (default 10). */
  batchSize?: number;
  /** Processes whose tickers, in each pass, deliver this many messages and then hold the rest of their claims. */
  holdAfter?: Record<string, number>;
  /** Where the deliveries file goes (default: a temp folder, removed by `close`). */
  dir?: string;
}

export interface TickerRace {
  /** Sets every named process's clock to `at` (all of them by default) at once and waits for their passes. */
  pass(at: Date, names?: string[]): Promise<Record<string, PassResult>>;
  /** Starts a pass in the named processes without waiting for it (see `done`). */
  tick(at: Date, names: string[]): void;
  /** The results of the passes the named processes were last told to run. */
  done(names: string[]): Promise<Record<string, PassResult>>;
  /** The next line of a process matching `pattern` (after the lines already waited for). */
  waitFor(name: string, pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGKILLs a process and waits for it to be gone. */
  kill(name: string): Promise<void>;
  /** Every message delivered so far, in order. */
  deliveries(): Delivery[];
  /** Ends the processes (stdin closed; SIGKILL for any still running after that) and removes the temp folder. */
  close(): Promise<void>;
}

/** A child's stdout, line by line: `next` finds the first line matching after the last one found. */
class Lines {
  private readonly lines: string[] = [];
  private read = 0;
  private waiters: (() => void)[] = [];
  private ended: string | null = null;

  constructor(
    private readonly name: string,
    child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.wake();
    });
    child.once('close', (code, signal) => {
      this.ended = `exited (${signal ?? code})`;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async next(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      while (this.read < this.lines.length) {
        const match = pattern.exec(this.lines[this.read++]!);
        if (match) return match;
      }
      if (this.ended) throw new Error(`ticker process ${this.name} ${this.ended} before a line matching ${pattern}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }
}

/** Starts the processes and waits until each has opened the store and built its tickers. */
export async function startTickerProcesses(options: TickerRaceOptions): Promise<TickerRace> {
  const temp = options.dir ? null : mkdtempSync(join(tmpdir(), 'domestique-tickers-'));
  const out = join(options.dir || temp!, `deliveries-${process.pid}-${Date.now()}.txt`);
  writeFileSync(out, '');
  const kinds = (options.kinds ?? ['reminder', 'checkin']).join(',');
  const children = new Map<string, { child: ChildProcess; lines: Lines }>();
  for (const name of options.names) {
    const args = [
      out,
      name,
      kinds,
      String(options.batchSize ?? 10),
      ...(options.holdAfter?.[name] !== undefined ? [String(options.holdAfter[name])] : []),
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/ticker-child.ts', options.location, ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.set(name, { child, lines: new Lines(name, child) });
  }
  const of = (name: string) => {
    const found = children.get(name);
    if (!found) throw new Error(`no ticker process ${name}`);
    return found;
  };
  const busy = new Set<string>(); // told to run a pass whose end was not seen yet
  const race: TickerRace = {
    tick(at, names) {
      for (const name of names) busy.add(name);
      for (const name of names) of(name).child.stdin!.write(`tick ${at.toISOString()}\n`);
    },
    async done(names) {
      const results = await Promise.all(names.map((name) => of(name).lines.next(/^DONE (.*)$/)));
      for (const name of names) busy.delete(name);
      return Object.fromEntries(names.map((name, i) => [name, JSON.parse(results[i]![1]!) as PassResult]));
    },
    async pass(at, names = options.names) {
      race.tick(at, names);
      return race.done(names);
    },
    waitFor: (name, pattern) => of(name).lines.next(pattern),
    async kill(name) {
      const { child } = of(name);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
    deliveries: () =>
      readFileSync(out, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [kind, key, name] = line.split(' ') as [TickerKind, string, string];
          return { kind, key, process: name };
        }),
    async close() {
      await Promise.all(
        [...children.entries()].map(async ([name, { child }]) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise((resolve) => child.once('exit', resolve));
          // an idle child ends by itself at the end of its stdin; one still in a pass (holding a send) is killed
          if (busy.has(name)) child.kill('SIGKILL');
          else child.stdin!.end();
          await gone;
        }),
      );
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(options.names.map((name) => of(name).lines.next(/^READY$/)));
  } catch (error) {
    await Promise.all(options.names.map((name) => race.kill(name)));
    throw error;
  }
  return race;
}

/**
 * Two ticker processes on one database (a SQLite file or a postgres:// URL), started at once on
 * 2026-06-01T08:00Z with one ticker of `kind`: how many each sent, and every delivery as
 * `[key, process name]` in the order the shared "chat" got them. `dir` holds the deliveries file
 * (a temp folder when empty).
 */
export async function raceTwoTickerProcesses(
  location: string,
  dir: string,
  kind: 'reminder' | 'checkin',
): Promise<{ sent: [number, number]; delivered: [key: string, process: string][] }> {
  const race = await startTickerProcesses({ location, names: ['one', 'two'], kinds: [kind], ...(dir ? { dir } : {}) });
  try {
    const sent = await race.pass(new Date('2026-06-01T08:00:00Z'));
    const delivered = race.deliveries().map((d): [string, string] => [d.key, d.process]);
    return { sent: [sent.one![kind] ?? 0, sent.two![kind] ?? 0], delivered };
  } finally {
    await race.close();
  }
}
