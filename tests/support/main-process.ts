/**
 * `npm start`'s entry (bots/main.ts) as a child process under tsx: in a folder of the test's own
 * (so no .env is read), with exactly the environment given, stderr (the JSON logs) collected.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli.js';

const MAIN = resolve(ROOT, 'bots/main.ts');
const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** A running bots/main.ts. */
export interface MainProcess {
  exit: Promise<number | null>;
  stderr: () => string;
  kill(signal: NodeJS.Signals): void;
}

/** Runs bots/main.ts with `args` in `cwd` with exactly this environment (and PATH). */
export function startMain(cwd: string, env: Record<string, string>, args: string[] = []): MainProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  child.stdout.on('data', () => undefined);
  return {
    exit: new Promise((r) => child.on('exit', (code) => r(code))),
    stderr: () => err,
    kill: (signal) => child.kill(signal),
  };
}
