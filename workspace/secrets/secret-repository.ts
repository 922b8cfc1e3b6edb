import type { SecretBox, SealedValue } from '../../core/crypto/secret-box';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { maskSecret } from './mask-secret';

/** What a list shows: never the value, only its masked hint. */
export interface SecretSummary {
  name: string;
  hint: string;
  key_id: string;
  updated_at: number;
}

interface SealedRow {
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_id: string;
}

/** The sealed value is bound to its name: a value copied to another row does not open. */
export function secretContext(name: string): string {
  return `tenant-secret:${name}`;
}

function sealedOf(row: SealedRow): SealedValue {
  return { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id };
}

/** A tenant's secrets, in its own file. Plaintext exists only inside save() and reveal(). */
export class SecretRepository {
  constructor(private readonly db: TenantDatabase) {}

  list(): SecretSummary[] {
    return this.db.all<SecretSummary>('select name, hint, key_id, updated_at from secrets order by name');
  }

  /** One secret as the list shows it. */
  find(name: string): SecretSummary | undefined {
    return this.db.get<SecretSummary>('select name, hint, key_id, updated_at from secrets where name = ?', [name]);
  }

  count(): number {
    return this.db.get<{ n: number }>('select count(*) as n from secrets')?.n ?? 0;
  }

  /**
   * Adds or replaces; answers whether a secret of that name existed, and whether anything changed:
   * the value it already holds, saved again (the same form sent twice), writes nothing.
   */
  save(box: SecretBox, name: string, value: string, actorId: string | null): { replaced: boolean; changed: boolean } {
    const sealed = box.seal(value, secretContext(name));
    const now = Date.now();
    return this.db.write(() => {
      const current = this.db.get<SealedRow>('select name, ciphertext, iv, auth_tag, key_id from secrets where name = ?', [name]);
      if (current && current.key_id === box.keyId && box.open(sealedOf(current), secretContext(name)) === value) return { replaced: true, changed: false };
      this.db.run(
        `insert into secrets (name, ciphertext, iv, auth_tag, key_id, hint, updated_by, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict(name) do update set ciphertext = excluded.ciphertext, iv = excluded.iv, auth_tag = excluded.auth_tag,
           key_id = excluded.key_id, hint = excluded.hint, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [name, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, maskSecret(value), actorId, now, now],
      );
      return { replaced: current !== undefined, changed: true };
    });
  }

  delete(name: string): boolean {
    return this.db.write(() => this.db.run('delete from secrets where name = ?', [name]).changes === 1);
  }

  /** The plaintext, for the code that calls the client's tools; never for a page or a log. */
  reveal(box: SecretBox, name: string): string | undefined {
    const row = this.db.get<SealedRow>('select name, ciphertext, iv, auth_tag, key_id from secrets where name = ?', [name]);
    return row ? box.open(sealedOf(row), secretContext(row.name)) : undefined;
  }

  /**
   * Re-seals every value under `to`, in one transaction: any value that does not open with
   * `from` (or is not already under `to`) aborts the whole tenant, leaving it as it was.
   */
  reseal(from: SecretBox, to: SecretBox): { rotated: number; alreadyCurrent: number } {
    return this.db.write(() => {
      const rows = this.db.all<SealedRow>('select name, ciphertext, iv, auth_tag, key_id from secrets order by name');
      let rotated = 0;
      for (const row of rows) {
        if (row.key_id === to.keyId) continue;
        const sealed = to.seal(from.open(sealedOf(row), secretContext(row.name)), secretContext(row.name));
        this.db.run('update secrets set ciphertext = ?, iv = ?, auth_tag = ?, key_id = ? where name = ?', [
          sealed.ciphertext,
          sealed.iv,
          sealed.authTag,
          sealed.keyId,
          row.name,
        ]);
        rotated++;
      }
      return { rotated, alreadyCurrent: rows.length - rotated };
    });
  }
}
