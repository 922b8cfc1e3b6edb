import type { MigrationSource } from '../../core/db/migration-runner';
import type { Language } from '../../core/i18n/languages';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { loadTenantSettings } from './tenant-settings';

/**
 * Reads a suspended workspace's language from its own file, for the page that tells its members
 * so: opened as the router would open it, read with one query and closed, without the router,
 * which keeps no handle of a workspace that is not active. A file that cannot be opened (damaged,
 * behind the code, moved meanwhile) answers undefined: the page falls back to the browser's.
 * What is read (not a failure) is kept until any tenant changes (a suspended workspace's settings cannot change;
 * its resumption is a tenant change), so its members' page views do not open its file each time.
 */
export function closedWorkspaceLanguage(
  dataDir: string,
  source: MigrationSource,
  changes: { onTenantChange(listener: () => void): void },
): (tenantId: string) => Language | undefined {
  const read = new Map<string, Language | undefined>();
  changes.onTenantChange(() => read.clear());
  return (tenantId) => {
    if (read.has(tenantId)) return read.get(tenantId);
    let db: TenantDatabase | undefined;
    try {
      db = openTenantFile(dataDir, tenantId, 'serve', { source });
      const { language } = loadTenantSettings(db, '');
      read.set(tenantId, language);
      return language;
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
  };
}
