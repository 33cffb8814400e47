/**
 * The one place that reads the environment. Parsed once at start-up with zod and passed down;
 * nothing else reads `process.env`. Secrets never appear in error messages: a bad value is
 * reported by variable name only.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_PATH: z.string().min(1).default('data/domestique.db'),
  DOMESTIQUE_MAX_UPLOAD_BYTES: bytes(512 * 1024 * 1024),
  DOMESTIQUE_MAX_UNPACKED_BYTES: bytes(2 * 1024 * 1024 * 1024),
  DOMESTIQUE_MAX_ARCHIVE_ENTRIES: bytes(50_000),
  DOMESTIQUE_MAX_COMPRESSION_RATIO: bytes(100),
});

export interface Config {
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** The SQLite file shared by the CLI and the bots. */
  databasePath: string;
  ingest: {
    maxFileBytes: number;
    maxUnpackedBytes: number;
    maxArchiveEntries: number;
    maxCompressionRatio: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (default: `process.env`, after loading `.env` if present). */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  // Empty strings mean "not set", as in a copied .env.example.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — fix these variables in .env or the environment:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    logLevel: c.LOG_LEVEL,
    databasePath: c.DATABASE_PATH,
    ingest: {
      maxFileBytes: c.DOMESTIQUE_MAX_UPLOAD_BYTES,
      maxUnpackedBytes: c.DOMESTIQUE_MAX_UNPACKED_BYTES,
      maxArchiveEntries: c.DOMESTIQUE_MAX_ARCHIVE_ENTRIES,
      maxCompressionRatio: c.DOMESTIQUE_MAX_COMPRESSION_RATIO,
    },
  };
}

function readEnvironment(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
