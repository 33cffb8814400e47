/**
 * Scheduled database backups for `npm start`, from the configuration: the bots reach the store's
 * backup through here, not src/store directly.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { scheduleBackups } from '../store/backup.js';
import type { ChatApp } from './chat-app.js';

/** Backs the app's database up into `BACKUP_DIR` (at once, then every interval); null when no folder is set. Returns the stop function. */
export function startBackups(config: Config, app: Pick<ChatApp, 'store'>, logger: Logger): (() => void) | null {
  if (!config.backup.dir) return null;
  if (app.store.kind === 'postgres') {
    logger.warn({ dir: config.backup.dir }, 'BACKUP_DIR is ignored: the store is PostgreSQL — back it up with pg_dump (see the README)');
    return null;
  }
  return scheduleBackups(app.store, {
    dir: config.backup.dir,
    intervalHours: config.backup.intervalHours,
    keep: config.backup.keep,
    clock: () => new Date(),
    onDone: (path) => logger.info({ path }, 'database backed up'),
    onError: (error) => logger.error({ err: error instanceof Error ? error : new Error(String(error)) }, 'database backup failed'),
  });
}
