/** The secret box: what is sealed opens only with the same key and context, unaltered, and shows nothing of the secret. */
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '../../../src/sync/secret-box.js';

const KEY = 'a-secrets-key-of-at-least-sixteen-characters';
const SECRET = 'intervals-api-key-3f9a8c7e1d2b';
const CONTEXT = 'athlete-1:intervals';

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('SecretBox', () => {
  const box = SecretBox.fromKey(KEY);

  it('opens what it sealed, in the v1 text format', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(box.open(sealed, CONTEXT)).toBe(SECRET);
    // a box made again from the same key (a restart) opens it too
    expect(SecretBox.fromKey(KEY).open(sealed, CONTEXT)).toBe(SECRET);
    // unicode and empty text round-trip
    expect(box.open(box.seal('clé ✓', CONTEXT), CONTEXT)).toBe('clé ✓');
    expect(box.open(box.seal('', CONTEXT), CONTEXT)).toBe('');
  });

  it('does not open with another key, and the error holds no secret', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    const error = thrown(() => SecretBox.fromKey(`${KEY}-other`).open(sealed, CONTEXT));
    expect(error).toBeInstanceOf(SecretBoxError);
    const text = `${(error as Error).message} ${(error as Error).stack ?? ''}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(sealed.slice(3));
  });

  it('does not open in another context: a value moved to another athlete or service', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(() => box.open(sealed, 'athlete-2:intervals')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, 'athlete-1:strava')).toThrow(SecretBoxError);
  });

  it('does not open when any byte was altered, or the text is not a sealed value', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 12, 28, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at] = tampered[at]! ^ 0x01;
      expect(() => box.open(`v1:${tampered.toString('base64url')}`, CONTEXT), `byte ${at}`).toThrow(SecretBoxError);
    }
    expect(() => box.open(`v1:${bytes.subarray(0, bytes.length - 1).toString('base64url')}`, CONTEXT)).toThrow(SecretBoxError);
    expect(() => box.open(`v2:${sealed.slice(3)}`, CONTEXT)).toThrow(SecretBoxError);
    expect(() => box.open('v1:short', CONTEXT)).toThrow(SecretBoxError);
    expect(() => box.open(SECRET, CONTEXT)).toThrow(SecretBoxError);
  });

  it('seals the same text differently each time (a fresh IV)', () => {
    const a = box.seal(SECRET, CONTEXT);
    const b = box.seal(SECRET, CONTEXT);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64url').subarray(0, 12)).not.toEqual(Buffer.from(b.slice(3), 'base64url').subarray(0, 12));
  });

  it('the sealed text shows nothing of the plain text', () => {
    const sealed = box.seal(SECRET, CONTEXT);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain(SECRET);
    expect(sealed).not.toContain(CONTEXT);
  });

  it('refuses an empty key', () => {
    expect(() => SecretBox.fromKey('')).toThrow(SecretBoxError);
  });
});
