import { TenantDamagedError } from '../../core/errors/app-errors';
import type { MigrationSource } from '../../core/db/migration-runner';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { TenantHealth } from './tenant-health';

/**
 * How the connection router opens a tenant on a cache miss: from the archive for an archived
 * tenant (only maintenance such as a key rotation opens those), from the live tree otherwise.
 * A damaged file is reported (the tenant is marked damaged, once) before the refusal goes on.
 */
export function routerOpener(
  dataDir: string,
  source: MigrationSource,
  tenants: TenantRepository,
  health: TenantHealth,
  /** Run on a live tenant's file once opened, before any request uses it (carrying over a former setting). */
  afterOpen: (tenantId: string, db: TenantDatabase) => void = () => {},
): (tenantId: string) => TenantDatabase {
  return (tenantId) => {
    const location = tenants.statusOf(tenantId) === 'archived' ? 'archive' : 'live';
    try {
      const db = openTenantFile(dataDir, tenantId, 'serve', { source, location });
      if (location === 'live') afterOpen(tenantId, db);
      return db;
    } catch (error) {
      if (error instanceof TenantDamagedError && location === 'live') health.reportDamaged(tenantId, error.reason, 'the connection router');
      throw error;
    }
  };
}
