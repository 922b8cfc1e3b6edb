import fs from 'node:fs';
import { TenantBehindError } from '../core/errors/tenant-unavailable-errors';

/**
 * What `stat` says of a tenant file and of its `-wal`: which file it is, its size and when it was
 * last written or changed. Any write to either (a migration's commit grows the WAL, its close
 * checkpoints into the main file and removes the WAL), a file swapped in (a restore, an import:
 * another inode) or removed gives another value. Undefined when the main file cannot be stat'ed
 * (the open then says why).
 */
export function fileSignature(database: string): string | undefined {
  const main = statOf(database);
  return main === undefined ? undefined : `${main}|${statOf(`${database}-wal`) ?? '-'}`;
}

function statOf(file: string): string | undefined {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * The tenants found behind the code (TenantBehindError) by the router's open, each with its
 * file's signature (taken only after such a refusal: a miss of any other tenant pays for no
 * `stat`). While a tenant waits for its migration, every request to it misses the router's cache (nothing is cached for a refusal); without this, each
 * one opened the file again and ran its quick check (290 ms on a 200,000-item workspace), which
 * made a flood of requests to a big waiting workspace a cheap way to keep a core busy. Now the
 * refusal is given again from two `stat`s as long as neither the file nor its WAL has changed.
 *
 * What the check found stays true while the file stays the same: the file is sound and behind,
 * so the refusal is the same. A file that changes in any way is checked again in full on its
 * next request (the migration ran, it was restored, it was damaged), and so is every tenant when
 * any tenant changes in this process or the control plane changes in another (`forget`). A damaged
 * file is never remembered, and the fleet migration checks every file itself before migrating it.
 */
export class BehindTenantFiles {
  private readonly behind = new Map<string, { signature: string; reason: string }>();

  /** Whether a refusal of the tenant is remembered (then its file is stat'ed to see if it still holds). */
  has(tenantId: string): boolean {
    return this.behind.has(tenantId);
  }

  /** The refusal found before, when the file is as it was then. */
  refusal(tenantId: string, signature: string | undefined): TenantBehindError | undefined {
    const known = this.behind.get(tenantId);
    if (!known) return undefined;
    if (signature !== undefined && known.signature === signature) return new TenantBehindError(known.reason, { tenantId });
    this.behind.delete(tenantId);
    return undefined;
  }

  /**
   * The tenant's open found it behind; `signature` is taken just after. A migration that committed
   * in between would leave a refusal standing for a file already migrated, but a migration
   * records its version in the control plane, a change that makes every tenant be forgotten
   * (within a second when another process made it): the next request opens the file again.
   */
  remember(tenantId: string, signature: string | undefined, error: TenantBehindError): void {
    if (signature === undefined) return;
    this.behind.set(tenantId, { signature, reason: error.reason });
  }

  /** Every tenant's file is checked again on its next open. */
  forget(): void {
    this.behind.clear();
  }
}
