/**
 * Two ticker processes on one database file (tests/support/ticker-child.ts), started at once: how
 * many each sent, and every delivery as `[key, process name]` in the order the shared "chat" got them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The first match of `pattern` on the child's stdout; fails when the child exits first. */
function line(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = pattern.exec(buffer);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before ${pattern}`)));
  });
}

export async function raceTwoTickerProcesses(
  dbPath: string,
  dir: string,
  kind: 'reminder' | 'checkin',
): Promise<{ sent: [number, number]; delivered: [key: string, process: string][] }> {
  const out = join(dir, `delivered-${kind}.txt`);
  writeFileSync(out, '');
  const children = ['one', 'two'].map((name) =>
    spawn(process.execPath, ['--import', 'tsx', 'tests/support/ticker-child.ts', dbPath, out, name, kind], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  await Promise.all(children.map((c) => line(c, /READY/)));
  const done = children.map((c) => line(c, /DONE \d+/));
  for (const c of children) c.stdin!.end('go\n'); // both start at once
  const [one, two] = (await Promise.all(done)).map((d) => Number(d.split(' ')[1]));
  const delivered = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(' ') as [string, string]);
  return { sent: [one!, two!], delivered };
}
