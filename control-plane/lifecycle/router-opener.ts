import { TenantBehindError, TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import type { MigrationSource } from '../../core/db/migration-runner';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { BehindTenantFiles, fileSignature } from '../../tenant-runtime/behind-tenant-files';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { TenantHealth } from './tenant-health';
import { fillSettingsCopies } from '../tenants/settings-copies';

/**
 * How the connection router opens a tenant on a cache miss: from the archive for an archived
 * tenant (only maintenance such as a key rotation opens those), from the live tree otherwise.
 * A damaged file is reported (the tenant is marked damaged, once) before the refusal goes on.
 * A live file found behind the code is refused again without being opened while it stays the same
 * (`behind`: tenant-runtime/behind-tenant-files.ts). A live file whose settings the control plane
 * does not know has its display name and language copied there (settings-copies.ts), for the
 * switcher, the console and mails, and for the pages shown while it cannot be opened.
 */
export function routerOpener(
  dataDir: string,
  source: MigrationSource,
  tenants: TenantRepository,
  health: TenantHealth,
  /** Run on a live tenant's file once opened, before any request uses it (carrying over a former setting). */
  afterOpen: (tenantId: string, db: TenantDatabase) => void = () => {},
  behind: BehindTenantFiles = new BehindTenantFiles(),
): (tenantId: string) => TenantDatabase {
  return (tenantId) => {
    const facts = tenants.openingFacts(tenantId);
    const location = facts?.status === 'archived' ? 'archive' : 'live';
    // Only a tenant found behind before pays for the `stat`s: every other miss goes straight to its open.
    const refusal = location === 'live' && behind.has(tenantId) ? behind.refusal(tenantId, fileSignature(tenantPaths(dataDir, tenantId).database)) : undefined;
    if (refusal) throw refusal;
    try {
      const db = openTenantFile(dataDir, tenantId, 'serve', { source, location });
      if (location === 'live') {
        afterOpen(tenantId, db);
        if (facts && facts.language === null) fillSettingsCopies(tenants, tenantId, db);
      }
      return db;
    } catch (error) {
      if (error instanceof TenantBehindError && location === 'live') behind.remember(tenantId, fileSignature(tenantPaths(dataDir, tenantId).database), error);
      if (error instanceof TenantDamagedError && location === 'live') health.reportDamaged(tenantId, error.reason, 'the connection router');
      throw error;
    }
  };
}
