import crypto from 'node:crypto';

/** Tenant ids come from the server's random source only, never from user input. */
export function generateTenantId(): string {
  return 't' + crypto.randomBytes(12).toString('hex');
}
