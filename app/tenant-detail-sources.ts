import type { ControlPlane } from '../control-plane/control-plane';
import { listBackups } from '../control-plane/backups/list-backups';
import type { BackupSummary, TenantDetailSources } from '../control-plane/pages/tenant-detail-page';

/** Backups shown on the tenant's console page; the rest are on its backups page. */
export const BACKUPS_ON_TENANT_PAGE = 5;

/**
 * The parts of the super admin's tenant page that other features provide: its newest backups,
 * read from BACKUP_DIR by the backups feature (a backup that cannot be restored says why).
 */
export function tenantDetailSources(platform: Pick<ControlPlane, 'config'>): TenantDetailSources {
  return {
    backupsOf: (tenantId) =>
      listBackups(platform, tenantId)
        .slice(0, BACKUPS_ON_TENANT_PAGE)
        .map((b): BackupSummary => ({
          id: b.id,
          createdAt: b.takenAt,
          bytes: b.bytes,
          kind: b.kind,
          note: b.verified ? `verified, ${b.fileCount} file(s)` : `cannot be restored: ${b.problem ?? 'not verified'}`,
        })),
  };
}
