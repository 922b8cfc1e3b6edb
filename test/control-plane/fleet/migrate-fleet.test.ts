import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { withTenantFile } from '../../support/tenant-file';
import { migrateFleet } from '../../../control-plane/fleet/migrate-fleet';

const NEW_MIGRATION = '0099-record-thread';

/**
 * The real tenant migrations plus one that records which thread ran it, and that ends its
 * thread on a tenant holding a `crash_here` table.
 */
function migrationsFolder(): string {
  return migrationsFolderWith(
    NEW_MIGRATION,
    `import { threadId } from 'node:worker_threads';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('crash_here')) process.exit(3);
  await knex.schema.createTable('migrated_by', (t) => {
    t.integer('thread_id').notNullable();
  });
  await knex('migrated_by').insert({ thread_id: threadId });
}
`,
  );
}

describe('migrateFleet', () => {
  let t: TestPlatform;
  let migrationsDir: string;
  const slugs = ['acme', 'globex', 'initech', 'umbrella'];

  beforeEach(async () => {
    migrationsDir = migrationsFolder();
    t = await createTestPlatform({}, { tenantMigrationsDir: migrationsDir });
    for (const slug of slugs) await makeTenant(t.platform, slug);
    // Tenants are provisioned at the latest version: move them back one migration.
    for (const slug of slugs) {
      withFile(slug, (db) => {
        db.exec('drop table migrated_by');
        db.prepare('delete from tenant_migrations where name = ?').run(NEW_MIGRATION);
      });
      const tenant = t.platform.tenants.findBySlug(slug)!;
      await t.platform.tenants.update(tenant.id, { schema_version: '0011-create-secrets' });
    }
  });
  afterEach(async () => {
    await t.cleanup();
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  });

  const withFile = <T>(slug: string, fn: (db: BetterSqlite3.Database) => T): T => withTenantFile(t, slug, fn);
  /** The thread that migrated the tenant, or undefined when the migration did not land. */
  const threadOf = (slug: string) =>
    withFile(slug, (db) => {
      if (!db.prepare("select 1 from sqlite_master where name = 'migrated_by'").get()) return undefined;
      return (db.prepare('select thread_id from migrated_by').get() as { thread_id: number }).thread_id;
    });

  it('migrates on this thread at concurrency 1', async () => {
    const result = await migrateFleet(t.platform, { concurrency: 1 });

    expect(result.migrated).toBe(4);
    expect(slugs.map(threadOf)).toEqual([0, 0, 0, 0]);
  });

  it('at concurrency 2 migrates every tenant on two worker threads and records each version', async () => {
    const result = await migrateFleet(t.platform, { concurrency: 2 });

    expect(result).toMatchObject({ migrated: 4, failed: [] });
    const threads = slugs.map(threadOf);
    expect(threads.every((id) => typeof id === 'number' && id > 0)).toBe(true);
    expect(new Set(threads).size).toBe(2);
    for (const slug of slugs) expect(t.platform.tenants.findBySlug(slug)?.schema_version).toBe(NEW_MIGRATION);
  });

  it('fails only the batch whose worker thread died (its two tenants), and goes on with a new thread', async () => {
    withFile('globex', (db) => db.exec('create table crash_here (id integer)'));

    const result = await migrateFleet(t.platform, { concurrency: 2 });

    // Four tenants on two lanes go in batches of two: globex's batch fails with its worker, the other batch is recorded.
    expect(result.failed).toHaveLength(2);
    expect(result.failed).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'globex', error: 'migration worker stopped (exit code 3)' })]));
    expect(result.failed.every((o) => o.error === 'migration worker stopped (exit code 3)')).toBe(true);
    expect(result.migrated).toBe(2);
    for (const o of result.failed) expect(t.platform.tenants.findBySlug(o.slug)?.schema_version).toBe('0011-create-secrets');
    for (const o of result.outcomes.filter((x) => x.outcome === 'migrated')) expect(t.platform.tenants.findBySlug(o.slug)?.schema_version).toBe(NEW_MIGRATION);
    expect(threadOf('globex')).toBeUndefined();
  });

  it('refuses to start when the migration files change after the platform loaded them, changing nothing', async () => {
    fs.appendFileSync(path.join(migrationsDir, `${NEW_MIGRATION}.ts`), '\n// edited\n');

    await expect(migrateFleet(t.platform, { concurrency: 2 })).rejects.toThrow('the migration files changed while the fleet migration started; run it again');
    expect(t.platform.db.connection().prepare('select count(*) as n from fleet_runs').get()).toEqual({ n: 0 });
    expect(slugs.map(threadOf)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
