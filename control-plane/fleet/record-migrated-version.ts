import type { ControlPlane } from '../control-plane';
import type { Operator } from '../lifecycle/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantMigration } from './migrate-one-tenant';

/**
 * Records a tenant's migration, once durable in its file: its new version in the control plane
 * and, when that version moved, `tenant.migrated` in the workspace's audit trail (from which
 * version to which, the migrations applied, and by whom: the operator, or the system at start-up),
 * in one control-plane transaction: no version recorded without its record, no record twice. A
 * process killed after the tenant's commit and before this leaves the old version recorded; the
 * next run finds the file current and records both then, from that version (the file's own
 * history names the migrations; the record's list is empty then).
 */
export function recordMigratedVersion(
  platform: Pick<ControlPlane, 'db' | 'tenants' | 'audit'>,
  tenant: Pick<TenantRecord, 'id' | 'schema_version'>,
  result: TenantMigration,
  operator: Operator | undefined,
): void {
  platform.db.write(() => {
    platform.tenants.setSchemaVersion(tenant.id, result.version);
    if (result.version === tenant.schema_version) return;
    platform.audit.record({
      tenantId: tenant.id,
      actorUserId: operator?.userId ?? null,
      ip: operator?.ip ?? null,
      userAgent: operator?.userAgent ?? null,
      action: 'tenant.migrated',
      targetType: 'tenant',
      targetId: tenant.id,
      before: { schema_version: tenant.schema_version },
      after: { schema_version: result.version, migrations: result.applied, by: operator ? 'operator' : 'system' },
    });
  });
}
