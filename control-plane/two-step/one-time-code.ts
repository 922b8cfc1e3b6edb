import * as OTPAuth from 'otpauth';
import { renderSVG } from 'uqr';

/** What the authenticator app is told the account is (the issuer shown beside each code). */
const ISSUER = 'Tenantry';

/** A new TOTP key: 160 random bits (RFC 4226's recommended length), as the base32 text apps take. */
export function newTotpKey(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpOf(key: string, label = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, secret: OTPAuth.Secret.fromBase32(key) });
}

/** What the enrolment page shows: the otpauth:// address as a QR code (inline SVG), and the key as text grouped by four. */
export function enrolmentPicture(key: string, email: string): { svg: string; keyText: string } {
  return { svg: renderSVG(totpOf(key, email).toString(), { pixelSize: 4 }), keyText: key.replace(/(.{4})(?=.)/g, '$1 ') };
}

/** A code as people type it: digits, maybe with spaces. */
export const looksLikeCode = (text: string): boolean => /^\d{6}$/.test(text.replace(/\s/g, ''));

/**
 * The time step a code belongs to when it is right for the key now (this step, or one on either
 * side for a clock a little off), else undefined. The caller accepts each step once (replay).
 */
export function stepOfCode(key: string, code: string, now = Date.now()): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = totpOf(key);
  const delta = totp.validate({ token, timestamp: now, window: 1 });
  return delta === null ? undefined : totp.counter({ timestamp: now }) + delta;
}
