/**
 * Structured logging (pino) to stderr, so that stdout stays clean for command output such as
 * `inspect --json`. Secret-bearing keys are redacted wherever they appear.
 *
 * Errors are logged as objects under `err` (`logger.warn({ err: e }, '...')`): the `err`
 * serializer keeps their type, message, stack, code, status and cause chain — and nothing else,
 * since library errors carry request URLs, bodies and payloads that may hold secrets — and cuts
 * the configured secrets (`configSecrets` in config.ts) out of every text it keeps.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_KEYS = [
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'password',
  'secret',
  'botToken',
  // Telegram's webhook secret: setWebhook's parameter, and the variable that holds it.
  'secret_token',
  'secretToken',
  'TELEGRAM_WEBHOOK_SECRET',
];

export interface LoggerOptions {
  /** Values cut out of logged errors (tokens, API keys); null, undefined and '' are ignored. */
  secrets?: readonly (string | null | undefined)[];
}

/** An error as the `err` serializer logs it. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  status?: number;
  cause?: SerializedError | string;
}

/**
 * Replaces each secret (bare, URL-encoded, and a token's part after its colon) with
 * `[redacted]`, longest first; and a URL's `user:password@` with `[redacted]@`.
 */
export function secretScrubber(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    const afterColon = secret.includes(':') ? secret.slice(secret.indexOf(':') + 1) : '';
    forms.add(secret);
    for (const form of [encodeURIComponent(secret), afterColon, encodeURIComponent(afterColon)]) if (form.length >= 8) forms.add(form);
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) =>
    ordered.reduce((t, secret) => t.split(secret).join('[redacted]'), text).replace(/\/\/[^/\s@:]*:[^/\s@]*@/g, '//[redacted]@');
}

const MAX_CAUSE_DEPTH = 5;

/** The `err` serializer: see the module comment. Strings are scrubbed; other non-objects pass. */
export function errorSerializer(secrets: readonly (string | null | undefined)[] = []): (value: unknown) => unknown {
  const scrub = secretScrubber(secrets);
  const serialize = (value: unknown, seen: Set<object>): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (value === null || typeof value !== 'object') return value;
    seen.add(value);
    const source = value as Record<string, unknown>;
    const out: SerializedError = { type: typeOf(value), message: scrub(typeof source.message === 'string' ? source.message : '') };
    if (typeof source.stack === 'string') out.stack = scrub(source.stack);
    if (typeof source.code === 'string') out.code = scrub(source.code);
    else if (typeof source.code === 'number') out.code = source.code;
    if (typeof source.status === 'number') out.status = source.status;
    const cause = source.cause;
    if (cause !== undefined && cause !== null && !(typeof cause === 'object' && seen.has(cause)) && seen.size < MAX_CAUSE_DEPTH) {
      out.cause = typeof cause === 'object' ? (serialize(cause, seen) as SerializedError) : scrub(String(cause));
    }
    return out;
  };
  return (value) => serialize(value, new Set());
}

function typeOf(value: object): string {
  if (!(value instanceof Error)) {
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'Object';
  }
  const constructorName = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Error'
    ? constructorName
    : value.name || 'Error';
}

export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
  options: LoggerOptions = {},
): Logger {
  return pino(
    {
      level,
      base: { app: 'domestique' },
      serializers: { err: errorSerializer(options.secrets) },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: '[redacted]',
      },
    },
    destination,
  );
}
