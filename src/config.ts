/**
 * The one place that reads the environment. Parsed once at start-up with zod and passed down;
 * nothing else reads `process.env`. Secrets never appear in error messages: a bad value is
 * reported by variable name only.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest/ingest.js';

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_PATH: z.string().min(1).default('data/domestique.db'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL: postgres://user:password@host:port/database')
    .optional(),
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  LLM_PROVIDER: z.enum(['offline', 'anthropic', 'ollama']).default('offline'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-5'),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  OLLAMA_HOST: z.string().url().default('http://127.0.0.1:11434'),
  OLLAMA_MODEL: z.string().min(1).default('llama3.1'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  RUN_TOKEN_BUDGET: z.coerce.number().int().min(1000).max(1_000_000).default(30_000),
  RUN_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  ANALYSIS_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  QUESTIONS_PER_DAY: z.coerce.number().int().min(0).max(1000).default(20),
  UPLOAD_FILES_PER_DAY: z.coerce.number().int().min(1).default(200),
  UPLOAD_MB_PER_DAY: z.coerce.number().int().min(1).default(1024),
  ANALYSES_PER_DAY: z.coerce.number().int().min(1).default(5),
  MAX_ACTIVITIES_PER_ATHLETE: z.coerce.number().int().min(1).default(25_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  PROMPTS_DIR: z.string().min(1).optional(),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  TELEGRAM_MAX_DOWNLOAD_MB: z.coerce.number().min(1).max(2000).default(20),
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
  // Telegram's own rule for secret_token; never echoed (the message names the variable only).
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1 to 256 characters, each a letter, a digit, _ or - (openssl rand -hex 32 makes one)')
    .optional(),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d+$/, 'must be the numeric application id').optional(),
  DISCORD_API_BASE: z.string().url().optional(),
  DOMESTIQUE_MAX_UPLOAD_BYTES: bytes(512 * 1024 * 1024),
  DOMESTIQUE_MAX_UNPACKED_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxUnpackedBytes),
  DOMESTIQUE_MAX_ARCHIVE_ENTRIES: bytes(DEFAULT_INGEST_LIMITS.maxArchiveEntries),
  DOMESTIQUE_MAX_COMPRESSION_RATIO: bytes(DEFAULT_INGEST_LIMITS.maxCompressionRatio),
  INGEST_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  INGEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  INGEST_MEMORY_MB: z.coerce.number().int().min(64).max(16_384).default(512),
  SECRETS_KEY: z.string().min(16, 'must be at least 16 characters (openssl rand -base64 32 makes one)').optional(),
  PUBLIC_URL: z.string().url().optional(),
  SYNC_BACKFILL_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  INTERVALS_API_BASE: z.string().url().default('https://intervals.icu'),
  INTERVALS_POLL_MINUTES: z.coerce.number().min(0.005).max(1440).default(10),
  INTERVALS_WEBHOOK_SECRET: z.string().min(8).optional(),
  STRAVA_API_BASE: z.string().url().default('https://www.strava.com'),
  STRAVA_CLIENT_ID: z.string().regex(/^\d+$/, 'must be the numeric client id').optional(),
  STRAVA_CLIENT_SECRET: z.string().min(1).optional(),
  STRAVA_WEBHOOK_VERIFY_TOKEN: z.string().min(8).optional(),
});

/** What one variable alone cannot say: the webhook's secret and port, and HTTPS where Telegram requires it. */
const checkedSchema = schema.superRefine((c, context) => {
  const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (!c.TELEGRAM_WEBHOOK_URL) return;
  if (!c.TELEGRAM_WEBHOOK_SECRET)
    problem(
      'TELEGRAM_WEBHOOK_SECRET',
      'required with TELEGRAM_WEBHOOK_URL: Telegram sends it with every update (openssl rand -hex 32 makes one)',
    );
  if (c.METRICS_PORT === undefined)
    problem('METRICS_PORT', 'required with TELEGRAM_WEBHOOK_URL: the port of the HTTP server that the webhook URL reaches');
  // api.telegram.org delivers only to HTTPS; a local Bot API server (TELEGRAM_API_ROOT) also to plain HTTP.
  if (!c.TELEGRAM_API_ROOT && !c.TELEGRAM_WEBHOOK_URL.startsWith('https://'))
    problem('TELEGRAM_WEBHOOK_URL', 'must start with https:// (Telegram delivers webhooks over HTTPS only)');
});

export interface Config {
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** The SQLite file shared by the CLI and the bots. */
  databasePath: string;
  /** `DATABASE_URL`: a PostgreSQL database, used instead of the SQLite file when set; null when unset. May hold a password. */
  databaseUrl: string | null;
  /** Where the store is: DATABASE_URL when set, else the SQLite file DATABASE_PATH (what the bots and the CLI open). */
  storeLocation: string;
  /** How long a write waits for another process holding the database (parallel imports, the bot). */
  databaseBusyTimeoutMs: number;
  llm: {
    provider: 'offline' | 'anthropic' | 'ollama';
    /** Never logged or shown; empty when unset. */
    anthropicApiKey: string;
    anthropicModel: string;
    anthropicBaseUrl: string | null;
    ollamaHost: string;
    ollamaModel: string;
    timeoutMs: number;
  };
  runs: { tokenBudget: number; concurrency: number; promptsDir: string | null; questionsPerDay: number };
  /** The Chromium that renders the chat picture; without one, reports go out without it. */
  chromiumPath: string;
  /**
   * Telegram bot: token from @BotFather (secret), the Bot API root (default Telegram's), and the
   * webhook that replaces long polling when set.
   */
  telegram: { token: string | null; apiRoot: string | null; maxDownloadBytes: number; webhook: TelegramWebhookConfig | null };
  /** Per-athlete quotas, with a clear message when one is reached. */
  limits: { uploadFilesPerDay: number; uploadBytesPerDay: number; analysesPerDay: number; maxActivities: number };
  /** /healthz and /metrics (Prometheus) on this port; off when unset. */
  metricsPort: number | null;
  /** Online backups of the database into this folder every `intervalHours`, keeping the newest `keep`. */
  backup: { dir: string | null; intervalHours: number; keep: number };
  /** Discord bot: token (secret), application id, and the REST base (default Discord's). */
  discord: { token: string | null; applicationId: string | null; apiBase: string | null };
  ingest: IngestLimits;
  /** Files are read in worker threads: how many, and the time and heap one file may take. */
  ingestPool: { threads: number | null; timeoutMs: number; memoryMb: number };
  /** intervals.icu and Strava: what athletes connect, and how the bot reaches the services. */
  sync: SyncConfig;
  /**
   * The job queue between the ingress and the worker processes (`--role`): an analysis job still
   * running after `analysisExpireSeconds` counts as dead (its worker was killed) and is retried on another worker.
   */
  jobs: { analysisExpireSeconds: number };
}

/** Telegram pushes updates to `url` (served on METRICS_PORT at its path) with `secret` in a header. */
export interface TelegramWebhookConfig {
  url: string;
  /** Secret: checked on every request, never logged. */
  secret: string;
}

export interface SyncConfig {
  /** Encrypts athletes' API keys and tokens at rest (AES-GCM); without it nothing can be connected. Secret. */
  secretsKey: string | null;
  /** Where the HTTP server (METRICS_PORT) is reachable from outside: the Strava OAuth callback and webhooks. */
  publicUrl: string | null;
  /** Months of history fetched when a service is connected (the athlete may ask for fewer or more). */
  backfillMonths: number;
  intervals: { apiBase: string; pollMinutes: number; webhookSecret: string | null };
  strava: { apiBase: string; clientId: string | null; clientSecret: string | null; webhookVerifyToken: string | null };
}

/** The secrets in a configuration that must never reach a log line (the logger's `secrets`). */
export function configSecrets(
  // (the webhook is optional here: callers that build a configuration by hand may leave it out)
  config: Pick<Config, 'discord' | 'llm'> &
    Partial<Pick<Config, 'databaseUrl'>> & {
      telegram: Omit<Config['telegram'], 'webhook'> & Partial<Pick<Config['telegram'], 'webhook'>>;
    } & Partial<Pick<Config, 'sync'>>,
): string[] {
  const sync = config.sync;
  return [
    config.databaseUrl ? passwordOf(config.databaseUrl) : null,
    config.telegram.token,
    config.telegram.webhook?.secret,
    config.discord.token,
    config.llm.anthropicApiKey,
    sync?.secretsKey,
    sync?.strava.clientSecret,
    sync?.strava.webhookVerifyToken,
    sync?.intervals.webhookSecret,
  ].filter((s): s is string => !!s);
}

/** The password of a database URL, if it has one (the rest of the URL may be logged). */
function passwordOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `loadConfig()` for an entry point: a bad configuration is printed and the process exits 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** Parses an environment (default: `process.env`, after loading `.env` if present). */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  // Empty strings mean "not set", as in a copied .env.example.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — fix these variables in .env or the environment:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    logLevel: c.LOG_LEVEL,
    databasePath: c.DATABASE_PATH,
    databaseUrl: c.DATABASE_URL ?? null,
    storeLocation: c.DATABASE_URL ?? c.DATABASE_PATH,
    databaseBusyTimeoutMs: c.DATABASE_BUSY_TIMEOUT_MS,
    llm: {
      provider: c.LLM_PROVIDER,
      anthropicApiKey: c.ANTHROPIC_API_KEY ?? '',
      anthropicModel: c.ANTHROPIC_MODEL,
      anthropicBaseUrl: c.ANTHROPIC_BASE_URL ?? null,
      ollamaHost: c.OLLAMA_HOST,
      ollamaModel: c.OLLAMA_MODEL,
      timeoutMs: c.LLM_TIMEOUT_MS,
    },
    runs: {
      tokenBudget: c.RUN_TOKEN_BUDGET,
      concurrency: c.RUN_CONCURRENCY,
      promptsDir: c.PROMPTS_DIR ?? null,
      questionsPerDay: c.QUESTIONS_PER_DAY,
    },
    chromiumPath: c.PUPPETEER_EXECUTABLE_PATH,
    limits: {
      uploadFilesPerDay: c.UPLOAD_FILES_PER_DAY,
      uploadBytesPerDay: c.UPLOAD_MB_PER_DAY * 1024 * 1024,
      analysesPerDay: c.ANALYSES_PER_DAY,
      maxActivities: c.MAX_ACTIVITIES_PER_ATHLETE,
    },
    metricsPort: c.METRICS_PORT ?? null,
    backup: { dir: c.BACKUP_DIR ?? null, intervalHours: c.BACKUP_INTERVAL_HOURS, keep: c.BACKUP_KEEP },
    telegram: {
      token: c.TELEGRAM_BOT_TOKEN ?? null,
      apiRoot: c.TELEGRAM_API_ROOT ?? null,
      maxDownloadBytes: Math.round(c.TELEGRAM_MAX_DOWNLOAD_MB * 1024 * 1024),
      webhook:
        c.TELEGRAM_WEBHOOK_URL && c.TELEGRAM_WEBHOOK_SECRET ? { url: c.TELEGRAM_WEBHOOK_URL, secret: c.TELEGRAM_WEBHOOK_SECRET } : null,
    },
    discord: { token: c.DISCORD_TOKEN ?? null, applicationId: c.DISCORD_APPLICATION_ID ?? null, apiBase: c.DISCORD_API_BASE ?? null },
    ingest: {
      ...DEFAULT_INGEST_LIMITS,
      maxFileBytes: c.DOMESTIQUE_MAX_UPLOAD_BYTES,
      maxUnpackedBytes: c.DOMESTIQUE_MAX_UNPACKED_BYTES,
      maxArchiveEntries: c.DOMESTIQUE_MAX_ARCHIVE_ENTRIES,
      maxCompressionRatio: c.DOMESTIQUE_MAX_COMPRESSION_RATIO,
    },
    jobs: { analysisExpireSeconds: c.ANALYSIS_JOB_EXPIRE_SECONDS },
    ingestPool: { threads: c.INGEST_THREADS ?? null, timeoutMs: c.INGEST_TIMEOUT_SECONDS * 1000, memoryMb: c.INGEST_MEMORY_MB },
    sync: {
      secretsKey: c.SECRETS_KEY ?? null,
      publicUrl: c.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      backfillMonths: c.SYNC_BACKFILL_MONTHS,
      intervals: {
        apiBase: c.INTERVALS_API_BASE.replace(/\/+$/, ''),
        pollMinutes: c.INTERVALS_POLL_MINUTES,
        webhookSecret: c.INTERVALS_WEBHOOK_SECRET ?? null,
      },
      strava: {
        apiBase: c.STRAVA_API_BASE.replace(/\/+$/, ''),
        clientId: c.STRAVA_CLIENT_ID ?? null,
        clientSecret: c.STRAVA_CLIENT_SECRET ?? null,
        webhookVerifyToken: c.STRAVA_WEBHOOK_VERIFY_TOKEN ?? null,
      },
    },
  };
}

function readEnvironment(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
