/**
 * LlmError keeps the error underneath as its cause (ES2022), as the logger would serialise it:
 * type, message, stack, code and status, with the given secrets and URL passwords cut out and
 * the request's fields (headers, bodies) left behind.
 */
import { describe, expect, it } from 'vitest';
import { LlmError, redactedCause } from '../../../src/llm/provider.js';

const KEY = 'sk-ant-api03-THIS-IS-A-SECRET-0123456789';

function sdkError(): Error {
  return Object.assign(new Error(`401 {"error":"invalid x-api-key: ${KEY}"} at https://user:hunter22@proxy.example/v1`), {
    name: 'AuthenticationError',
    status: 401,
    code: 'invalid_api_key',
    headers: { 'x-api-key': KEY, authorization: `Bearer ${KEY}` },
    request: { body: `{"key":"${KEY}"}` },
    cause: new Error(`socket said ${KEY}`),
  });
}

describe('LlmError cause', () => {
  it('survives, with what a log needs', () => {
    const error = new LlmError('auth', 'Anthropic refused the API key.', 401, { cause: sdkError(), secrets: [KEY] });
    expect(error.message).toBe('Anthropic refused the API key.');
    expect(error.code).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.cause).toMatchObject({
      type: 'AuthenticationError',
      message: '401 {"error":"invalid x-api-key: [redacted]"} at https://[redacted]@proxy.example/v1',
      code: 'invalid_api_key',
      status: 401,
      cause: { type: 'Error', message: 'socket said [redacted]' },
    });
    expect(typeof (error.cause as { stack?: unknown }).stack).toBe('string');
  });

  it('holds no secret, anywhere in it', () => {
    const error = new LlmError('auth', 'Anthropic refused the API key.', 401, { cause: sdkError(), secrets: [KEY] });
    const kept = JSON.stringify(error.cause);
    expect(kept).not.toContain(KEY);
    expect(kept).not.toContain('hunter22');
    expect(kept).not.toContain('headers');
    expect(kept).not.toContain('request');
  });

  it('is absent when there is none, and a thrown string is kept scrubbed', () => {
    expect(new LlmError('timeout', 'Timed out.').cause).toBeUndefined();
    expect(new LlmError('unknown', 'Failed.', undefined, { cause: `key ${KEY}`, secrets: [KEY] }).cause).toBe('key [redacted]');
    expect(redactedCause({})).toBeUndefined();
  });
});
