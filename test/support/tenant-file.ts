import BetterSqlite3 from 'better-sqlite3';
import type { TestPlatform } from './test-platform';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/** Runs fn on a connection of its own to the tenant's file (as an operator's tool would), then closes it. */
export function withTenantFile<T>(t: TestPlatform, slug: string, fn: (db: BetterSqlite3.Database) => T): T {
  const tenant = t.platform.tenants.findBySlug(slug);
  if (!tenant) throw new Error(`no tenant ${slug}`);
  const db = new BetterSqlite3(tenantPaths(t.dataDir, tenant.id).database);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
