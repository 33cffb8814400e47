/**
 * The parent side of tests/support/upload-probe.ts: runs the probe in a child process with a hard
 * kill timeout, samples the child's peak RSS from /proc while it runs (so a child killed by the
 * timeout or by running out of memory still has a figure), and reads the one JSON line the probe
 * writes at exit. Never rejects: a child that died is an outcome with its signal and exit code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PROBE = 'tests/support/upload-probe.ts';

export type ProbeMode = 'inspect' | 'chat';

/** What the probe writes at exit (one JSON line). */
export interface ProbeResult {
  mode: ProbeMode;
  input: string;
  /** The process's exit code as the `exit` event saw it. */
  exitCode: number;
  /** Wall time of the work measured: the CLI run (inspect), athlete A's upload until its reply (chat). */
  wallMs: number;
  /** process.resourceUsage().maxRSS at exit, KB: the peak of the whole process, worker threads included. */
  maxRssKb: number;
  /** Error codes reported: from the JSON report (inspect), or found in A's reply (chat). */
  codes: string[];
  /** Activities read (inspect) or newly stored (chat). */
  activities: number | null;
  /** Set when the probe itself failed (its setup, or the code under test threw). */
  probeError: string | null;
  inspect?: {
    errors: { code: string; count: number; first: string }[];
    /** Bytes the CLI printed on stdout. */
    stdoutBytes: number;
    /** Why stdout was not one JSON document, if it was not. */
    parseError: string | null;
  };
  chat?: {
    /** A's reply (the last message) and everything A was sent during the upload. */
    replyText: string;
    replies: string[];
    /** Codes named in the reply as written (`too-large`, `[bad-row]`), and those its wording implies. */
    literalCodes: string[];
    inferredCodes: string[];
    /** The upload threw out of Conversation.handle (a crash the athlete never hears of). */
    crash: string | null;
    status: { count: number; maxMs: number; p95Ms: number; failures: number; lastText: string };
    digestBefore: string;
    digestAfter: string;
    /** Tables whose rows changed (tables named usage* are left out of the digest). */
    changedTables: string[];
    activitiesBefore: number;
    activitiesAfter: number;
  };
}

export interface ProbeOutcome {
  mode: ProbeMode;
  input: string;
  /** The probe's result, or null when the child died before writing it. */
  result: ProbeResult | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the hard timeout. */
  timedOut: boolean;
  /** Wall time of the child as the parent saw it (start-up included). */
  childMs: number;
  /** Peak RSS (VmHWM) sampled from /proc while the child ran, KB; null where /proc is missing. */
  sampledPeakRssKb: number | null;
  stderrTail: string;
}

const running = new Set<ChildProcess>();

/** Kills every probe child still running (their process groups), e.g. after a test timed out. */
export function killRunningProbes(): void {
  for (const child of running) killGroup(child);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function readPeakRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Runs `upload-probe.ts <mode> <input>` in a child process; `workDir` receives its result file,
 * the chat's temp database and, for inspect, the CLI's stdout. The child is killed (SIGKILL, its whole process group)
 * after `killAfterMs`.
 */
export function runProbe(
  mode: ProbeMode,
  input: string,
  workDir: string,
  options: { killAfterMs?: number; env?: Record<string, string> } = {},
): Promise<ProbeOutcome> {
  const killAfterMs = options.killAfterMs ?? 90_000;
  const tag = `${mode}-${basename(input)}`;
  const outFile = join(workDir, `${tag}.result.json`);
  const stdoutFile = join(workDir, `${tag}.stdout`);
  const args = [
    '--import',
    'tsx',
    PROBE,
    mode,
    input,
    '--out',
    outFile,
    '--tmp',
    workDir,
    ...(mode === 'inspect' ? ['--stdout', stdoutFile] : []),
  ];
  const stdoutFd = mode === 'inspect' ? openSync(stdoutFile, 'w') : null;
  const started = performance.now();
  return new Promise<ProbeOutcome>((done) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
      stdio: ['ignore', stdoutFd ?? 'ignore', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    let peak: number | null = null;
    const sample = () => {
      if (child.pid === undefined) return;
      const v = readPeakRss(child.pid);
      if (v !== null) peak = Math.max(peak ?? 0, v);
    };
    const sampler = setInterval(sample, 200);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, killAfterMs);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      clearInterval(sampler);
      clearTimeout(killer);
      running.delete(child);
      if (stdoutFd !== null) closeSync(stdoutFd);
      let result: ProbeResult | null = null;
      if (existsSync(outFile)) {
        try {
          result = JSON.parse(readFileSync(outFile, 'utf8')) as ProbeResult;
        } catch {
          result = null;
        }
      }
      done({
        mode,
        input: basename(input),
        result,
        exitCode,
        signal,
        timedOut,
        childMs: Math.round(performance.now() - started),
        sampledPeakRssKb: peak,
        stderrTail: stderr.trim(),
      });
    };
    child.on('error', (e) => {
      stderr += `\nspawn failed: ${e.message}`;
      finish(null, null);
    });
    child.on('exit', (code, signal) => {
      sample();
      finish(code, signal);
    });
  });
}

/** One line on how a probe ended, for assertion messages. */
export function describeOutcome(o: ProbeOutcome): string {
  const how = o.timedOut ? `killed after the hard timeout (${o.childMs} ms)` : o.signal ? `died of ${o.signal}` : `exited ${o.exitCode}`;
  const rss = o.result
    ? `${Math.round(o.result.maxRssKb / 1024)} MB maxRSS`
    : o.sampledPeakRssKb !== null
      ? `≥ ${Math.round(o.sampledPeakRssKb / 1024)} MB RSS sampled`
      : 'RSS unknown';
  const codes = o.result ? `codes [${o.result.codes.join(', ')}]` : 'no result written';
  const wall = o.result ? `${(o.result.wallMs / 1000).toFixed(1)} s` : `${(o.childMs / 1000).toFixed(1)} s in all`;
  const problem = o.result?.probeError ?? o.result?.chat?.crash ?? null;
  const tail = !o.result || problem ? `; stderr: ${o.stderrTail.slice(-600) || '(none)'}` : '';
  return `${o.mode} ${o.input}: ${how}, ${wall}, ${rss}, ${codes}${problem ? `; error: ${problem}` : ''}${tail}`;
}

/** A fixed number of tasks at a time, started in the order they were queued. */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= concurrency) return;
    const start = queue.shift();
    if (start) start();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolveTask, rejectTask) => {
      queue.push(() => {
        active += 1;
        task()
          .then(resolveTask, rejectTask)
          .finally(() => {
            active -= 1;
            next();
          });
      });
      next();
    });
}
