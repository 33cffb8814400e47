import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm run cli -- ...` the way outside tools do: a child process, JSON on stdout. */
export async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return cliWithEnv({}, ...args);
}

export async function cliWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
}

/** Runs the CLI expecting failure; returns its exit code and output. */
export async function cliFails(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await cliWithEnv(env, ...args);
    throw new Error(`expected the command to fail, it printed: ${out.stdout.slice(0, 300)}`);
  } catch (e) {
    const failure = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw e;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
