import crypto from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

/** Letters and digits nobody reads one for another (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** One recovery code: 10 characters of 31 (about 50 random bits), shown as two groups of five. */
function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** A code as typed, reduced to what counts: case, spaces and dashes do not. */
export function normalisedRecoveryCode(text: string): string {
  return text.toLowerCase().replace(/[\s-]/g, '');
}

/** Random codes are hashed as reset links are (SHA-256): a copy of the database holds no usable code. */
export function hashRecoveryCode(text: string): string {
  return crypto.hash('sha256', `two-step-recovery:${normalisedRecoveryCode(text)}`, 'hex');
}

/** A new set of recovery codes, and the hashes to store. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}
