import crypto from 'node:crypto';

/**
 * Tokens look like `tnt_` + 43 base64url characters (256 random bits): the prefix lets a log
 * reader or a secret scanner recognise one, the rest makes guessing hopeless. Only the SHA-256 of
 * the whole token is stored (a fast hash suits a high-entropy secret); the prefix and the last
 * four characters name it in lists and logs.
 */
export const TOKEN_PREFIX = 'tnt_';
export const TOKEN_PATTERN = /^tnt_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): { token: string; hash: string; hint: string } {
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token), hint: hintOf(token) };
}

export function hashApiToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** `tnt_…Ab3x`: enough to tell tokens apart, never enough to use one. */
export function hintOf(token: string): string {
  return `${TOKEN_PREFIX}…${token.slice(-4)}`;
}

export function newTokenId(): string {
  return `k${crypto.randomBytes(12).toString('hex')}`;
}
