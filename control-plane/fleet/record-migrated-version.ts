import type { ControlPlane } from '../control-plane';
import type { Operator } from '../lifecycle/operator';
import type { TenantMigration } from './migrate-one-tenant';

/**
 * Records a tenant's migration, once durable in its file: its new version in the control plane
 * and, when that version moved, `tenant.migrated` in the workspace's audit trail (from which
 * version to which, the migrations applied, and by whom: the operator, or the system at start-up),
 * in one control-plane transaction: no version recorded without its record, no record twice. A
 * process killed after the tenant's commit and before this leaves the old version recorded; the
 * next run finds the file current and records both then, from that version (the file's own
 * history names the migrations; the record's list is empty then).
 *
 * The version it moved from is the one the control plane records, read inside this write: two runs
 * at once (the server's start-up and `tenantry tenants migrate`, each having read the tenant
 * behind) record the migration once, the second finding it recorded. A restore names its own
 * (`from`: the version of the backup whose data it migrated).
 */
export function recordMigratedVersion(
  platform: Pick<ControlPlane, 'db' | 'tenants' | 'audit'>,
  tenantId: string,
  result: TenantMigration,
  operator: Operator | undefined,
  from?: { schemaVersion: string | null },
): void {
  platform.db.write(() => {
    const before = from ? from.schemaVersion : (platform.tenants.findById(tenantId)?.schema_version ?? null);
    platform.tenants.setSchemaVersion(tenantId, result.version);
    if (result.version === before) return;
    platform.audit.record({
      tenantId,
      actorUserId: operator?.userId ?? null,
      ip: operator?.ip ?? null,
      userAgent: operator?.userAgent ?? null,
      apiTokenId: operator?.apiTokenId ?? null,
      action: 'tenant.migrated',
      targetType: 'tenant',
      targetId: tenantId,
      before: { schema_version: before },
      after: { schema_version: result.version, migrations: result.applied, by: operator ? 'operator' : 'system' },
    });
  });
}
