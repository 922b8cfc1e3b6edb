import type { MigrationSource } from '../../core/db/migration-runner';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { PlatformDatabase } from '../db/platform-database';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { SettingsCopy, TenantRecord } from '../tenants/tenant-record';

export interface ProvisioningContext {
  dataDir: string;
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  source: MigrationSource;
  db: PlatformDatabase;
  tenants: TenantRepository;
  /** Rows written in the transaction that marks the tenant active. */
  activate?: (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>) => void;
  /** Copy the pre-migrated template when it matches the migrations (the fast path). */
  useTemplate: boolean;
  /** data/tenants/.provisioning/<id>/: renamed to data/tenants/<id>/ at the end. */
  tempDir: string;
  tempFile: string;
  finalDir: string;
  /** The new file, open while the steps build it. */
  file?: TenantDatabase;
  schemaVersion?: string | null;
  /** Its display name and language as its file holds them, read before the file is sealed: copied to its row when it becomes active. */
  settingsCopies?: SettingsCopy;
  usedTemplate?: boolean;
  /** Set after the atomic rename, so a later failure also removes the promoted directory. */
  promoted?: boolean;
}

export interface ProvisioningStep {
  name: string;
  run(ctx: ProvisioningContext): Promise<void> | void;
}
