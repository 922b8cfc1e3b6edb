import crypto from 'node:crypto';

/**
 * The account page names a session by an HMAC of its id, never by the id itself: a session
 * id is a bearer credential, and pages, forms and audit rows must not carry one.
 */
export function sessionRef(secret: string, sid: string): string {
  return crypto.createHmac('sha256', secret).update(`session-ref:${sid}`).digest('hex').slice(0, 32);
}
