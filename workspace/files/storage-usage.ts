import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { loadTenantSettings } from '../settings/tenant-settings';
import { AttachmentRepository } from './attachment-repository';
export { formatSize } from '../../core/i18n/format-size';

export interface StorageUsage {
  attachments: number;
  attachmentBytes: number;
  logoBytes: number;
  /** The database file's pages in use: its free pages (left by deleted rows, reused before the file grows) are not counted. */
  databaseBytes: number;
  totalBytes: number;
  /** The plan's storage limit (null: none). */
  quotaBytes: number | null;
}

export const MB = 1024 * 1024;

/**
 * Bytes the workspace stores, measured: attachments and logo summed from their tables (not by
 * walking the folder), and the database file's pages that hold data. Deleting content frees
 * pages without shrinking the file (SQLite fills them again before it grows it), so counting
 * every page would keep a workspace over its limit after it deleted what put it there.
 */
export function storageUsage(db: TenantDatabase, quotaBytes: number | null = null): StorageUsage {
  const { count, bytes } = new AttachmentRepository(db).totals();
  const logoBytes = loadTenantSettings(db, '').logo?.size ?? 0;
  const databaseBytes =
    db.get<{ bytes: number }>('select (page_count - freelist_count) * page_size as bytes from pragma_page_count(), pragma_freelist_count(), pragma_page_size()')
      ?.bytes ?? 0;
  return {
    attachments: count,
    attachmentBytes: bytes,
    logoBytes,
    databaseBytes,
    totalBytes: bytes + logoBytes + databaseBytes,
    quotaBytes,
  };
}
