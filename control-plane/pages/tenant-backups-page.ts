import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { BackupStateRepository, backupFailureOf, pruneFailureOf } from '../backups/backup-state';
import { listBackups } from '../backups/list-backups';
import { nextScheduledBackup } from '../backups/backup-scheduler';
import { serverTimeZone } from '../../core/time/zone-names';

/** What /admin/tenants/:slug/backups shows: the tenant, its backups (newest first) and its last backup attempt. */
export function loadTenantBackupsPage(platform: ControlPlane, slug: string, notice?: string) {
  const tenant = platform.tenants.findBySlug(slug);
  if (!tenant) throw new NotFoundError();
  const state = new BackupStateRepository(platform.db).find(tenant.id);
  return {
    title: `Backups of ${tenant.name}`,
    tenant,
    backups: listBackups(platform, tenant.id),
    state,
    /** Why the last backup attempt failed. */
    backupError: backupFailureOf(state),
    /** The last backup was kept, but removing older ones by retention after it failed: why. */
    pruneError: pruneFailureOf(state),
    schedule: platform.config.backupSchedule ?? null,
    scheduleZone: serverTimeZone(),
    nextBackup: nextScheduledBackup(platform.config.backupSchedule),
    notice,
    values: {},
    errors: {},
  };
}
