/**
 * The `--db` option of the CLI commands that open the store. Its default is named, not printed: a
 * DATABASE_URL may hold a password, and `--help` would otherwise show it.
 */
import { Option } from 'commander';
import type { Config } from '../config.js';

/** `--db <file or url>`, defaulting to DATABASE_URL, else DATABASE_PATH. */
export function dbOption(config: Pick<Config, 'storeLocation'>): Option {
  return new Option('--db <file or url>', 'the SQLite file, or a postgres:// URL').default(
    config.storeLocation,
    'DATABASE_URL, else DATABASE_PATH',
  );
}
