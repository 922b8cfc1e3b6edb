import crypto from 'node:crypto';
import { AppError } from '../errors/app-errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRETS_KEY_BYTES = 32;

/** A value sealed with AES-256-GCM, with the id of the key that sealed it stored beside it. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/** The value was sealed with another key than the one configured (SECRETS_KEY changed or not yet rotated). */
export class SecretKeyMismatchError extends AppError {
  constructor(found: string, expected: string) {
    super(`This secret was encrypted with key ${found}, but the configured SECRETS_KEY is key ${expected}.`, 'secret_key_mismatch', 500, { found, expected });
  }
}

/** The ciphertext, IV, tag or context was changed after sealing: GCM authentication failed. */
export class SecretTamperedError extends AppError {
  constructor() {
    super('A stored secret failed its integrity check and cannot be read.', 'secret_tampered', 500);
  }
}

/**
 * A short public name for a key: tells which key sealed a value without storing the key.
 * A hash of a 256-bit random key reveals nothing usable about it.
 */
export function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update('tenantry secrets key id\0').update(key).digest('hex').slice(0, 16);
}

/** Parses a key given as 64 hex characters (SECRETS_KEY, NEW_SECRETS_KEY). */
export function parseSecretsKey(hex: string): Buffer | undefined {
  return /^[0-9a-f]{64}$/i.test(hex.trim()) ? Buffer.from(hex.trim(), 'hex') : undefined;
}

/**
 * Seals and opens secrets with one key. Each value gets a random 12-byte IV, and the
 * `context` (what the value is, e.g. its name) is authenticated too, so a sealed value
 * cannot be moved to another row and still open. The key sits in a private field: it is
 * never enumerable, so logging or serialising a SecretBox cannot print it.
 */
export class SecretBox {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRETS_KEY_BYTES) throw new Error(`A secrets key must be ${SECRETS_KEY_BYTES} bytes.`);
    this.#key = Buffer.from(key);
    this.keyId = keyIdOf(key);
  }

  seal(plaintext: string, context: string): SealedValue {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.keyId };
  }

  open(sealed: SealedValue, context: string): string {
    if (sealed.keyId !== this.keyId) throw new SecretKeyMismatchError(sealed.keyId, this.keyId);
    try {
      const decipher = crypto.createDecipheriv(ALGORITHM, this.#key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Never include the cause: it could carry parts of the input.
      throw new SecretTamperedError();
    }
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }
}
