import crypto from 'node:crypto';

/** 256 random bits, base64url: what the session cookie carries (before its signature). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function signatureOf(secret: crypto.KeyObject, token: string): string {
  return crypto.createHmac('sha256', secret).update(`session:${token}`).digest('base64url');
}

/** The secret as a key object, made once (an HMAC under it then skips re-reading the string). */
export function sessionKey(secret: string): crypto.KeyObject {
  return crypto.createSecretKey(Buffer.from(secret, 'utf8'));
}

/** A new session token and the cookie value carrying it: `<token>.<HMAC-SHA256(secret, token)>`. */
export function mintSessionToken(secret: crypto.KeyObject): { token: string; cookie: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { token, cookie: `${token}.${signatureOf(secret, token)}` };
}

/**
 * The token of a session cookie whose signature is ours, else undefined. The signature is
 * compared in constant time; a cookie of any other shape (an old express-session cookie, a
 * forged or truncated one) is simply not a session.
 */
export function verifySessionCookie(secret: crypto.KeyObject, cookie: unknown): string | undefined {
  if (typeof cookie !== 'string' || cookie.length !== 87 || cookie[43] !== '.') return undefined;
  const token = cookie.slice(0, 43);
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const given = Buffer.from(cookie.slice(44));
  const expected = Buffer.from(signatureOf(secret, token));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? token : undefined;
}

/**
 * The session's id in the `sessions` table: SHA-256 of the token. A copy of the database (a
 * backup, a leaked file) holds no cookie that would sign anyone in.
 */
export function sessionIdOf(token: string): string {
  return crypto.hash('sha256', token, 'hex');
}
