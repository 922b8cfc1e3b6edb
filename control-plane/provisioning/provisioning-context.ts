import type BetterSqlite3 from 'better-sqlite3';
import type { MigrationSource } from '../../core/db/migration-runner';
import type { TenantRepository } from '../tenants/tenant-repository';

export interface ProvisioningContext {
  dataDir: string;
  tenantId: string;
  tenantName: string;
  source: MigrationSource;
  tenants: TenantRepository;
  /** Copy the pre-migrated template when it matches the migrations (the fast path). */
  useTemplate: boolean;
  /** data/tenants/.provisioning/<id>/: renamed to data/tenants/<id>/ at the end. */
  tempDir: string;
  tempFile: string;
  finalDir: string;
  /** Open while the steps build the file. */
  db?: BetterSqlite3.Database;
  schemaVersion?: string | null;
  usedTemplate?: boolean;
  /** Set after the atomic rename, so a later failure also removes the promoted directory. */
  promoted?: boolean;
}

export interface ProvisioningStep {
  name: string;
  run(ctx: ProvisioningContext): Promise<void> | void;
}
