/**
 * Structured logging (pino) to stderr, so that stdout stays clean for command output such as
 * `inspect --json`. Secret-bearing keys are redacted wherever they appear.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_KEYS = ['token', 'apiKey', 'api_key', 'authorization', 'password', 'secret', 'botToken'];

export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'domestique' },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        censor: '[redacted]',
      },
    },
    destination,
  );
}
