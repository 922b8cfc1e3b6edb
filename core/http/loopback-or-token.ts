import crypto from 'node:crypto';
import type { Request } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A request from this machine itself: its socket comes from a loopback address and no proxy
 * forwarded it (a reverse proxy on the same host would make every visitor look local).
 */
export function isDirectLoopback(req: Request): boolean {
  const from = req.socket.remoteAddress ?? '';
  return LOOPBACK.has(from) && !req.headers['x-forwarded-for'] && !req.headers.forwarded && !req.headers['x-real-ip'];
}

/** `Authorization: Bearer <token>` matching the configured token, compared in constant time. */
export function bearerTokenMatches(req: Request, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)$/.exec(req.get('authorization') ?? '');
  if (!match) return false;
  // Digests have one length whatever was sent, so the comparison takes the same time for any guess.
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(match[1]), digest(token));
}
