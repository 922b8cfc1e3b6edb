import type { SealedValue, SecretBox } from '../../core/crypto/secret-box';
import type { PlatformDatabase } from '../db/platform-database';

export interface TwoStepKeyRow {
  user_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_id: string;
  created_at: number;
  /** null: the enrolment waits for its first code. */
  enabled_at: number | null;
  /** The time step of the last code accepted: no code of this step or before is accepted again. */
  last_step: number;
}

export const sealedOf = (row: TwoStepKeyRow): SealedValue => ({ ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id });

/** The one context a user's key is sealed under: a sealed key moved to another user's row does not open. */
export const keyContext = (userId: string): string => `two-step:${userId}`;

/**
 * The control plane's two-step sign-in rows (platform migration 0046): each account's sealed TOTP
 * key and the hashes of its recovery codes. Every change that must not run twice (a time step
 * accepted, a recovery code spent) is one conditional statement: of two requests at once, one wins.
 */
export class TwoStepRepository {
  constructor(private readonly db: PlatformDatabase) {}

  keyOf(userId: string): TwoStepKeyRow | undefined {
    return this.db.get<TwoStepKeyRow>('select * from two_step_keys where user_id = ?', [userId]);
  }

  isOn(userId: string): boolean {
    return this.db.get('select 1 from two_step_keys where user_id = ? and enabled_at is not null', [userId]) !== undefined;
  }

  /** A new enrolment's key, waiting for its first code; one waiting before is replaced. Never replaces a key in use. */
  saveWaitingKey(userId: string, sealed: SealedValue, now = Date.now()): boolean {
    return (
      this.db.run(
        `insert into two_step_keys (user_id, ciphertext, iv, auth_tag, key_id, created_at, enabled_at, last_step)
         values (?, ?, ?, ?, ?, ?, null, 0)
         on conflict (user_id) do update set ciphertext = excluded.ciphertext, iv = excluded.iv, auth_tag = excluded.auth_tag,
           key_id = excluded.key_id, created_at = excluded.created_at, last_step = 0
         where two_step_keys.enabled_at is null`,
        [userId, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, now],
      ).changes === 1
    );
  }

  /** Turns the waiting key on, at the step of the code that proved it. */
  enable(userId: string, step: number, now = Date.now()): boolean {
    return this.db.run('update two_step_keys set enabled_at = ?, last_step = ? where user_id = ? and enabled_at is null', [now, step, userId]).changes === 1;
  }

  /** Accepts a code of `step` once: false when that step (or a later one) was accepted already. */
  acceptStep(userId: string, step: number): boolean {
    return this.db.run('update two_step_keys set last_step = ? where user_id = ? and last_step < ?', [step, userId, step]).changes === 1;
  }

  /** The recovery codes replaced by these hashes (the old ones stop working). */
  replaceRecoveryCodes(userId: string, hashes: string[], now = Date.now()): void {
    this.db.run('delete from two_step_recovery_codes where user_id = ?', [userId]);
    for (const hash of hashes) this.db.run('insert into two_step_recovery_codes (user_id, code_hash, created_at) values (?, ?, ?)', [userId, hash, now]);
  }

  /** Spends a recovery code: false when it is not one of the user's, or was used. */
  spendRecoveryCode(userId: string, hash: string, now = Date.now()): boolean {
    return (
      this.db.run('update two_step_recovery_codes set used_at = ? where user_id = ? and code_hash = ? and used_at is null', [now, userId, hash]).changes === 1
    );
  }

  unusedRecoveryCodes(userId: string): number {
    return this.db.get<{ n: number }>('select count(*) as n from two_step_recovery_codes where user_id = ? and used_at is null', [userId])?.n ?? 0;
  }

  /** Two-step sign-in off: the key and the recovery codes removed. True when there was a key in use. */
  remove(userId: string): boolean {
    const wasOn = this.isOn(userId);
    this.db.run('delete from two_step_recovery_codes where user_id = ?', [userId]);
    this.db.run('delete from two_step_keys where user_id = ?', [userId]);
    return wasOn;
  }

  /** Every key re-sealed from one secrets key to the next (SECRETS_KEY rotation); keys already under `to` are left. */
  reseal(from: SecretBox, to: SecretBox): { rotated: number; alreadyCurrent: number } {
    let rotated = 0;
    let alreadyCurrent = 0;
    for (const row of this.db.all<TwoStepKeyRow>('select * from two_step_keys')) {
      if (row.key_id === to.keyId) {
        alreadyCurrent++;
        continue;
      }
      const sealed = to.seal(from.open(sealedOf(row), keyContext(row.user_id)), keyContext(row.user_id));
      this.db.run('update two_step_keys set ciphertext = ?, iv = ?, auth_tag = ?, key_id = ? where user_id = ?', [
        sealed.ciphertext,
        sealed.iv,
        sealed.authTag,
        sealed.keyId,
        row.user_id,
      ]);
      rotated++;
    }
    return { rotated, alreadyCurrent };
  }
}
