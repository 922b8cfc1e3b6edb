import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import { pausePoint } from '../../core/process/pause-point';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { completeArchive, completeRestore } from './complete-operations';
import { byOperator, type Operator } from './operator';
import { withTenantLock } from './tenant-lock';
import { fileStepJustDone } from './repeated-step';
import { findTenantTransition } from './tenant-transitions';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { recordedTenantMigrations } from '../../tenant-runtime/tenant-migrator';
import { namesOf } from '../transfer/verify-imported-database';

/**
 * Brings an archived tenant back as it was: its folder renamed back into the live tree, then
 * the status it had before (a suspension with its reason and end date included). The restore
 * is recorded as pending first, so a crash half-way is finished by the next start. An archive
 * made by a newer version of Tenantry (its database records migrations this code does not have,
 * as after a downgrade) is refused and stays archived, as a backup or an import that new is:
 * this code would serve a schema it does not know.
 */
export async function restoreTenant(platform: ControlPlane, tenantId: string, operator: Operator): Promise<TenantRecord> {
  const { dataDir } = platform.config;
  const repeated = await fileStepJustDone(platform, tenantId, 'restore', operator);
  if (repeated) return repeated;
  return withTenantLock(dataDir, tenantId, async () => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('No such tenant.');
    if (!findTenantTransition('restore', tenant.status))
      throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; it cannot be restored.`);
    // An archive whose move was cut off is finished first, so there is one folder to bring back.
    if (tenant.pending_operation === 'archive') await completeArchive(platform, tenantId);
    const unknown = migrationsUnknownToTheCode(platform, tenantId);
    if (unknown.length)
      throw new ConflictError(
        `Tenant ${tenant.slug} was archived by a newer version of Tenantry: its database records migrations this version does not have (${namesOf(unknown)}). Upgrade first; it stays archived.`,
        { tenantId },
      );
    platform.db.write(() => platform.tenants.update(tenantId, { pending_operation: 'restore' }));
    pausePoint('restore:marked');
    return completeRestore(platform, tenantId, byOperator(operator));
  });
}

/**
 * The migrations the archived file records that the code does not have. A file that cannot be
 * read names none: it comes back as it is and the router refuses it, as before (completeRestore).
 */
function migrationsUnknownToTheCode(platform: ControlPlane, tenantId: string): string[] {
  let db;
  try {
    db = openTenantFile(platform.config.dataDir, tenantId, 'migrate', { location: 'archive' });
  } catch (error) {
    if (error instanceof TenantDamagedError) return [];
    throw error;
  }
  try {
    const known = new Set(platform.tenantSource.names);
    return recordedTenantMigrations(db.connection()).filter((name) => !known.has(name));
  } finally {
    db.close();
  }
}
