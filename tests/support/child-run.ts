/**
 * A test's child process (`node --import tsx <script> <args>` from the repository root), read line
 * by line: killed with SIGKILL the moment `kill(line)` says so, or left to end by itself.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ChildRun {
  lines: string[];
  /** True when `kill` stopped it; else it ended by itself with `code`. */
  killed: boolean;
  code: number | null;
  stderr: string;
}

export function runChild(script: string, args: readonly string[], kill: (line: string) => boolean = () => false): Promise<ChildRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (kill(line)) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => resolvePromise({ lines, killed: signal === 'SIGKILL', code, stderr }));
  });
}
