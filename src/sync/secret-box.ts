/**
 * Encrypts the athletes' API keys and tokens before they reach the database, so that a leaked
 * database file reveals nothing without SECRETS_KEY. AES-256-GCM with a key derived from
 * SECRETS_KEY (HKDF-SHA-256), a fresh random IV per value, and a context (`<athleteId>:<service>`)
 * bound in as additional authenticated data: a sealed value copied to another athlete's row, or
 * another service's, does not open.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The text format's version: a new algorithm gets `v2:` and old values still open. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Fixed: the key must come out the same on every start, and differ from any other use of SECRETS_KEY. */
const SALT = 'domestique/secret-box/salt/v1';
const INFO = 'domestique secret box: aes-256-gcm key v1';

/** A sealed value that does not open: another key, another context, or altered. Never holds a secret. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/** Seals and opens short secrets with one key derived from SECRETS_KEY. */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The box for this SECRETS_KEY (any text; the configuration asks for at least 16 characters). */
  static fromKey(secretsKey: string): SecretBox {
    if (secretsKey.length === 0) throw new SecretBoxError('The secrets key is empty.');
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secretsKey, 'utf8'), SALT, INFO, KEY_BYTES));
    return new SecretBox(key);
  }

  /** `v1:<base64url(iv | tag | ciphertext)>`; `context` must be given again to open it. */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** The plain text of a sealed value; throws SecretBoxError when it does not open. */
  open(sealed: string, context: string): string {
    const prefix = `${VERSION}:`;
    if (!sealed.startsWith(prefix)) throw new SecretBoxError('The sealed value is not in a format this version reads.');
    const bytes = Buffer.from(sealed.slice(prefix.length), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('The sealed value is too short.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // (node's message says nothing secret either, but ours says what to do)
      throw new SecretBoxError(
        'A stored secret could not be decrypted: SECRETS_KEY changed, or the value was altered or belongs to another connection.',
      );
    }
  }
}
