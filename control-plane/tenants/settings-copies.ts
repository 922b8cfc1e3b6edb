import { DEFAULT_LANGUAGE, isLanguage } from '../../core/i18n/languages';
import type { MigrationSource } from '../../core/db/migration-runner';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantRepository } from './tenant-repository';
import type { SettingsCopy } from './tenant-record';

function parsed(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * The two settings as the workspace's file keeps them, in one read: a name missing or blank reads
 * as none, a language missing or not offered as the default, as its pages read them.
 */
export function copiesInFile(db: TenantDatabase): SettingsCopy {
  const rows = db.all<{ key: string; value: string }>("select key, value from settings where key in ('display_name', 'language')");
  const value = (key: string) => {
    const row = rows.find((r) => r.key === key);
    return row ? parsed(row.value) : undefined;
  };
  const name = value('display_name');
  const language = value('language');
  return { displayName: typeof name === 'string' && name.trim() ? name : null, language: isLanguage(language) ? language : DEFAULT_LANGUAGE };
}

/**
 * copiesInFile of a tenant's live file at the code's version that no handle has open, in one open
 * closed after: a restore reads them from the file it put in place, before the tenant comes back.
 */
export function copiesOfTenantFile(dataDir: string, tenantId: string, source: MigrationSource): SettingsCopy {
  const db = openTenantFile(dataDir, tenantId, 'serve', { source });
  try {
    return copiesInFile(db);
  } finally {
    db.close();
  }
}

/**
 * Fills in the control plane's copies of a workspace's settings (`tenants.display_name` and
 * `tenants.language`) from its file, when the router has just opened it and they are not known
 * (`language` null): a tenant made before the copies were kept, a file just replaced by a restore,
 * or a settings change cut off between the two stores (the change forgets them before its commit).
 * A read or a write that fails (a full disk, a control plane held by another process) leaves
 * them unknown, read again on the next open: the open itself, which serves the member, goes on.
 * One settings read, only while they are unknown.
 */
export function fillSettingsCopies(tenants: TenantRepository, tenantId: string, db: TenantDatabase): void {
  try {
    tenants.keepSettingsCopies(tenantId, copiesInFile(db));
  } catch {
    // Unknown still: the next open tries again.
  }
}
