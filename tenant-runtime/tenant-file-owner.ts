import crypto from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Which tenant a tenant file belongs to, kept in its header (`application_id`, 4 bytes at offset
 * 68; `user_version` holds the migrations' stamp): a digest of the tenant's id, written when the
 * file is sealed in its temp folder (provisioning, a clone, an import) and carried by every copy
 * SQLite makes of it (a backup's VACUUM INTO, an export). docs/decisions/049.
 *
 * A file that names another tenant (one copied into the wrong folder, or another tenant's backup
 * restored here) is refused instead of being served to this tenant's members. A file with no
 * owner (0: made before owners were written) is accepted and given one at its next migration.
 */
export function ownerStamp(tenantId: string): number {
  return crypto.createHash('sha256').update(tenantId).digest().readUInt32BE(0) >>> 1 || 1;
}

/** Where SQLite's header keeps the owner, and its size. */
const OWNER_OFFSET = 68;
export const OWNER_HEADER_LENGTH = OWNER_OFFSET + 4;

/** The owner a file's first bytes name (0 for none); the file must hold no WAL, whose page 1 would be newer. */
export function ownerInHeader(head: Buffer): number {
  return head.length < OWNER_HEADER_LENGTH ? 0 : head.readInt32BE(OWNER_OFFSET);
}

/** The owner an open file names (0 for none). */
export function ownerOf(db: BetterSqlite3.Database): number {
  return db.pragma('application_id', { simple: true }) as number;
}

/** Whether a file naming `owner` is another tenant's (one naming none is not known to be). */
export function ownedByAnother(owner: number, tenantId: string): boolean {
  return owner !== 0 && owner !== ownerStamp(tenantId);
}

/** Why an open file is not this tenant's, or undefined when it is (or names no owner). */
export function ownerProblem(owner: number, tenantId: string): string | undefined {
  if (!ownedByAnother(owner, tenantId)) return undefined;
  return "the database file belongs to another workspace (its header names another owner): put back this workspace's own file, or restore one of its backups";
}

/** Names the tenant in the file's header; inside the caller's transaction when there is one. */
export function writeOwner(db: BetterSqlite3.Database, tenantId: string): void {
  db.pragma(`application_id = ${ownerStamp(tenantId)}`);
}
