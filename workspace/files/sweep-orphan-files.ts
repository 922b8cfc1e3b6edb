import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { loadTenantSettings } from '../settings/tenant-settings';
import { AttachmentRepository } from './attachment-repository';
import type { TenantFileStore } from './tenant-file-store';

/** Long enough for any upload in flight to have written its row. */
const MIN_AGE_MS = 10 * 60 * 1000;

/**
 * Deleting an item removes its attachment rows (ON DELETE CASCADE) but cannot remove files;
 * this removes files that no attachment and no logo refers to. Run after file changes.
 */
export async function sweepOrphanFiles(db: TenantDatabase, store: TenantFileStore, minAgeMs = MIN_AGE_MS): Promise<number> {
  const referenced = new Set(new AttachmentRepository(db).storedNames());
  const logo = loadTenantSettings(db, '').logo;
  if (logo) referenced.add(logo.file);
  return store.sweep(referenced, minAgeMs);
}
