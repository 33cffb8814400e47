/**
 * The command line's one error for what the user can fix or must look at (a bad profile, a missing
 * folder, an unwritable output folder): commands throw it, and src/cli.ts — the one exit path — prints
 * `domestique: <message>` on stderr and exits with its code; `failure` says what to print and
 * which code for anything a command throws.
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { isDatabaseBusy } from '../store/database.js';

/** Bad input: the command stopped before any work, nothing written (README: exit code 2). */
export const BAD_INPUT_EXIT_CODE = 2;
/** The database stayed locked by another process longer than the busy timeout (EX_TEMPFAIL: try again). */
export const DATABASE_BUSY_EXIT_CODE = 75;

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: number = BAD_INPUT_EXIT_CODE,
  ) {
    super(message);
  }
}

/** What the process says on stderr (null: commander already said it) and its exit code, for whatever a command threw. */
export function failure(error: unknown): { message: string | null; exitCode: number } {
  if (error instanceof CommanderError) return { message: null, exitCode: error.exitCode };
  if (error instanceof ConfigError) return { message: `${error.message}\n`, exitCode: BAD_INPUT_EXIT_CODE };
  // Another process (a parallel import, the bot) held the database longer than the busy timeout.
  if (isDatabaseBusy(error))
    return {
      message: 'domestique: The database is busy (another domestique process holds it); try again.\n',
      exitCode: DATABASE_BUSY_EXIT_CODE,
    };
  // an empty message: whoever failed (a child process) has said why already
  if (error instanceof UserError) return { message: error.message ? `domestique: ${error.message}\n` : null, exitCode: error.exitCode };
  return { message: `domestique: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`, exitCode: 1 };
}
