import type { Config } from '../core/config/load-config';
import { openPlatformDb, migratePlatform, type PlatformDb } from '../control-plane/db/open-platform-db';
import type { MigrationSource } from '../core/db/migration-runner';
import { createLogger, type Logger } from '../core/logging/logger';
import { TenantRepository } from '../control-plane/tenants/tenant-repository';
import { UserRepository } from '../control-plane/users/user-repository';
import { MembershipRepository } from '../control-plane/memberships/membership-repository';
import { RoleRepository } from '../control-plane/roles/role-repository';
import { AuditLog } from '../control-plane/audit/audit-log';
import { AccessCache } from '../control-plane/tenants/access-cache';
import { createMailer, type Mailer } from '../core/mail/mailer';
import { ConnectionRouter } from '../tenant-runtime/connection-router';
import { openTenantDatabase } from '../tenant-runtime/open-tenant-file';
import { tenantMigrationSource } from '../tenant-runtime/tenant-migrator';

/**
 * Everything a request, a CLI command or a background job needs, built once and passed
 * explicitly (no module-level state).
 */
export interface Platform {
  config: Config;
  db: PlatformDb;
  logger: Logger;
  tenantSource: MigrationSource;
  tenants: TenantRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  roles: RoleRepository;
  audit: AuditLog;
  access: AccessCache;
  router: ConnectionRouter;
  mailer: Mailer;
  close(): Promise<void>;
}

export interface PlatformOptions {
  logger?: Logger;
  /** Tests point this at a folder of extra or broken tenant migrations. */
  tenantMigrationsDir?: string;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await openPlatformDb(config.dataDir);
  await migratePlatform(db);
  const tenants = new TenantRepository(db);
  const memberships = new MembershipRepository(db);
  const roles = new RoleRepository(db);
  await roles.syncPredefined();
  const tenantSource = tenantMigrationSource(options.tenantMigrationsDir);
  const router = new ConnectionRouter({
    cap: config.tenantCacheSize,
    open: (tenantId) => openTenantDatabase(config.dataDir, tenantId, tenantSource),
  });
  const access = new AccessCache(db, tenants, memberships, 1000, () => {
    // Another process changed the control plane: close handles of tenants no longer active.
    for (const tenant of tenants.listNotActiveSync()) router.closeTenant(tenant.id);
  });
  return {
    config,
    db,
    logger,
    tenantSource,
    tenants,
    users: new UserRepository(db),
    memberships,
    roles,
    audit: new AuditLog(db),
    access,
    router,
    mailer: createMailer(config, logger),
    async close() {
      router.closeAll();
      await db.close();
    },
  };
}
