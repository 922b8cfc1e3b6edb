import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { makeTenant } from '../support/factories';
import { inTenant, makeItem } from '../support/content';
import { undoNewestRealMigration } from '../support/migrations-folder';
import { migrateTenantConnection, tenantMigrationSource } from '../../tenant-runtime/tenant-migrator';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { ItemRepository } from '../../workspace/items/item-repository';

describe('tenant migration 0025 (item status counts)', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('starts the counts from the items a workspace already holds, and keeps them from then on', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    await makeItem(t.platform, tenant, { status: 'published' });
    t.platform.router.closeTenant(tenant.id);
    const file = tenantPaths(t.dataDir, tenant.id).database;
    expect((await undoNewestRealMigration(file)).undone).toBe('0025-item-status-counts');
    // Items written while the file was behind: nothing counted them.
    const db = new BetterSqlite3(file);
    try {
      const insert = db.prepare("insert into items (title, status, created_at, updated_at) values ('Old', ?, 0, 0)");
      for (const status of ['draft', 'draft', 'in_review']) insert.run(status);
      await migrateTenantConnection(db, tenantMigrationSource(), tenant.id);
    } finally {
      db.close();
    }
    expect(await inTenant(t.platform, tenant, (tdb) => new ItemRepository(tdb).countByStatus())).toEqual({ published: 1, draft: 2, in_review: 1 });
    await makeItem(t.platform, tenant, { status: 'in_review' });
    expect(await inTenant(t.platform, tenant, (tdb) => new ItemRepository(tdb).countByStatus())).toEqual({ published: 1, draft: 2, in_review: 2 });
  });

  it('leaves its three triggers on the items table of a workspace at the latest version', async () => {
    // A later migration that has knex rebuild the items table (some column changes copy it) drops
    // its triggers without a word; the counts would then drift silently.
    const tenant = await makeTenant(t.platform, 'latest');
    const triggers = await inTenant(t.platform, tenant, (tdb) =>
      tdb.connection().prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'items' order by name").pluck().all(),
    );

    expect(triggers).toEqual(expect.arrayContaining(['items_counted_on_delete', 'items_counted_on_insert', 'items_counted_on_status']));
  });
});
