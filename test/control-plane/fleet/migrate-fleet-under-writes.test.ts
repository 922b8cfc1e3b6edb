import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { withTenantFile } from '../../support/tenant-file';
import { startChild } from '../../support/child-process';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { migrateFleet } from '../../../control-plane/fleet/migrate-fleet';

const NEW_MIGRATION = '0099-items-gain-a-priority';
const WRITER = path.resolve(__dirname, '../../support/children/tenant-writer.js');

/**
 * A migration that alters the very table the other process writes to, after reading first and
 * pausing (a data migration that computes before it writes): the other process has every chance
 * to commit in between.
 */
const MIGRATION = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex('items').count({ n: '*' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await knex.schema.alterTable('items', (t) => {
    t.integer('priority').notNullable().defaultTo(0);
    t.index(['priority']);
  });
  await knex.schema.createTable('item_priorities', (t) => {
    t.integer('level').primary();
  });
}
`;

describe('a fleet migration while another process writes to the same tenants', () => {
  let t: TestPlatform;
  const slugs = Array.from({ length: 8 }, (_, i) => `busy-${i}`);

  beforeEach(async () => {
    t = await createTestPlatform({}, { tenantMigrationsDir: migrationsFolderWith(NEW_MIGRATION, MIGRATION) });
    for (const slug of slugs) {
      const tenant = await makeTenant(t.platform, slug);
      // Provisioned at the latest version: move each back one migration.
      withTenantFile(t, slug, (db) => {
        db.exec('drop table item_priorities; drop index items_priority_index; alter table items drop column priority');
        db.prepare('delete from tenant_migrations where name = ?').run(NEW_MIGRATION);
      });
      t.platform.tenants.setSchemaVersion(tenant.id, '0011-create-secrets');
    }
  });
  afterEach(() => t.cleanup());

  it.each([1, 2])('at concurrency %i fails no tenant and loses no write', async (concurrency) => {
    const files = slugs.map((slug) => tenantPaths(t.dataDir, t.platform.tenants.findBySlug(slug)!.id).database);
    const writer = startChild(WRITER, [JSON.stringify(files)]);
    await writer.message((m) => m === 'writing');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const result = await migrateFleet(t.platform, { concurrency });

    writer.process.send('stop');
    const report = await writer.message<{ written: number[]; errors: string[] }>((m) => typeof m === 'object');
    await writer.exited;
    expect(result.failed).toEqual([]);
    expect(result.migrated).toBe(slugs.length);
    expect(report.errors).toEqual([]);
    const rows = slugs.map((slug) =>
      withTenantFile(t, slug, (db) => (db.prepare("select count(*) as n from items where title like 'live-write-%'").get() as { n: number }).n),
    );
    expect(rows).toEqual(report.written);
    expect(report.written.every((n) => n > 0)).toBe(true);
    for (const slug of slugs) expect(t.platform.tenants.findBySlug(slug)?.schema_version).toBe(NEW_MIGRATION);
  });
});
