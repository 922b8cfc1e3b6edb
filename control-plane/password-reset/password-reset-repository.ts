import type { PlatformDatabase } from '../db/platform-database';

export interface PasswordResetRecord {
  id: number;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Password reset links, by the SHA-256 of their token; a link is spent once used or replaced. */
export class PasswordResetRepository {
  constructor(private readonly db: PlatformDatabase) {}

  findByTokenHash(hash: string): PasswordResetRecord | undefined {
    return this.db.get<PasswordResetRecord>('select * from password_resets where token_hash = ?', [hash]);
  }

  insert(row: Pick<PasswordResetRecord, 'user_id' | 'token_hash' | 'created_at' | 'expires_at'>): number {
    return Number(
      this.db.run('insert into password_resets (user_id, token_hash, created_at, expires_at) values (?, ?, ?, ?)', [
        row.user_id,
        row.token_hash,
        row.created_at,
        row.expires_at,
      ]).lastInsertRowid,
    );
  }

  /** Spends every unused link of the user (a newer link replaces them; a reset spends them all). */
  spendAllOfUser(userId: string): number {
    return this.db.run('update password_resets set used_at = ? where user_id = ? and used_at is null', [Date.now(), userId]).changes;
  }

  /** Spends one link if it is still unused and unexpired; false otherwise (replay, race, expiry). */
  spend(id: number, now = Date.now()): boolean {
    return this.db.run('update password_resets set used_at = ? where id = ? and used_at is null and expires_at > ?', [now, id, now]).changes === 1;
  }

  /** Links gone for good (expired or used more than a day ago) are removed. */
  prune(now = Date.now()): number {
    return this.db.run('delete from password_resets where expires_at < ? or used_at < ?', [now - 24 * 3600_000, now - 24 * 3600_000]).changes;
  }
}
