/**
 * Scheduled online backups: better-sqlite3's backup API copies the live database page by page
 * (writers carry on), into a timestamped file; the newest `keep` are kept.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from './store.js';

const PREFIX = 'domestique-';

export async function backupNow(store: Store, dir: string, keep: number, now: Date): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${PREFIX}${now.toISOString().replace(/[:.]/g, '-')}.db`);
  await store.backup(path);
  const old = (await readdir(dir))
    .filter((f) => f.startsWith(PREFIX) && f.endsWith('.db'))
    .sort()
    .reverse()
    .slice(keep);
  for (const f of old) await rm(join(dir, f), { force: true });
  return path;
}

/** A backup at start (so a fresh deploy or an upgrade has one at once), then every `intervalHours`. */
export function scheduleBackups(
  store: Store,
  options: {
    dir: string;
    intervalHours: number;
    keep: number;
    clock: () => Date;
    onDone?: (path: string) => void;
    onError?: (error: unknown) => void;
  },
): () => void {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= backupNow(store, options.dir, options.keep, options.clock())
      .then(options.onDone, options.onError)
      .finally(() => (running = null));
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, options.intervalHours * 3_600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
