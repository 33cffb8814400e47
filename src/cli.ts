/**
 * The command line: `npm run cli -- <command>`. The commands are in src/app/cli-commands.ts; this
 * is the one exit path: whatever a command throws becomes one message on stderr and an exit code.
 */
import { Command } from 'commander';
import { registerCommands } from './app/cli-commands.js';
import { failure } from './app/user-error.js';
import { configSecrets, loadConfig } from './config.js';
import { closeIngestPool, ingestPool } from './ingest/ingest-pool.js';
import { createLogger } from './logger.js';

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  const program = new Command('domestique')
    .description('A cycling coach that lives in chat — command line.')
    .showHelpAfterError()
    // commander's own errors (it has printed them) are thrown to the exit path below instead of exiting
    .exitOverride();
  registerCommands(program, { config, log });
  ingestPool(config.ingestPool);
  try {
    await program.parseAsync(argv);
  } finally {
    // the worker threads that read files would keep the process alive
    await closeIngestPool();
  }
}

main(process.argv).catch((error: unknown) => {
  const { message, exitCode } = failure(error);
  if (message !== null) process.stderr.write(message);
  process.exit(exitCode);
});
