import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem } from '../../support/tenant-data';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { withTenantFile } from '../../support/tenant-file';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { cliFor } from '../../support/cli-runner';

const NEW = '0099-unique-titles';
/** Fails on a tenant holding two items with the same title (its unique index cannot be built). */
const MIGRATION = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => t.unique(['title'], { indexName: 'items_title_unique' }));
}
`;

describe('tenantry tenants migrate --rehearse and --canary', () => {
  let t: TestPlatform;
  let tenantry: ReturnType<typeof cliFor>;
  const slugs = ['acme', 'globex', 'initech', 'umbrella'];
  const before = new Map<string, { bytes: Buffer; mtime: number }>();

  beforeEach(async () => {
    const dir = migrationsFolderWith(NEW, MIGRATION);
    t = await createTestPlatform({}, { tenantMigrationsDir: dir });
    tenantry = cliFor(t.dataDir, { platformOptions: { tenantMigrationsDir: dir } });
    for (const slug of slugs) {
      const tenant = await makeTenant(t.platform, slug);
      await addItem(t, tenant, `${slug}: one`);
      withTenantFile(t, slug, (db) => {
        db.exec('drop index items_title_unique');
        db.prepare('delete from tenant_migrations where name = ?').run(NEW);
      });
      t.platform.tenants.setSchemaVersion(tenant.id, '0011-create-secrets');
    }
    // Two items titled alike: the new migration fails on globex.
    await addItem(t, t.platform.tenants.findBySlug('globex')!, 'globex: one');
    t.platform.router.closeAll();
    for (const slug of slugs) {
      const file = tenantPaths(t.dataDir, t.platform.tenants.findBySlug(slug)!.id).database;
      before.set(slug, { bytes: fs.readFileSync(file), mtime: fs.statSync(file).mtimeMs });
    }
  });
  afterEach(() => t.cleanup());

  const untouched = (slug: string) => {
    const file = tenantPaths(t.dataDir, t.platform.tenants.findBySlug(slug)!.id).database;
    return fs.readFileSync(file).equals(before.get(slug)!.bytes) && fs.statSync(file).mtimeMs === before.get(slug)!.mtime;
  };
  const hasIndex = (slug: string) =>
    withTenantFile(t, slug, (db) => Boolean(db.prepare("select 1 from sqlite_master where name = 'items_title_unique'").get()));
  const runs = () => t.platform.db.all('select * from fleet_runs');

  it('rehearses on snapshots: reports success, failure and time per tenant, and changes nothing live', async () => {
    const run = await tenantry(['tenants', 'migrate', '--rehearse', '--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ rehearsal: true, rehearsed: 3, failed: 1 });
    const bySlug = Object.fromEntries(report.tenants.map((x: { slug: string }) => [x.slug, x]));
    expect(bySlug.globex).toMatchObject({ outcome: 'failed', error: expect.stringContaining('UNIQUE constraint failed') });
    expect(bySlug.acme).toMatchObject({ outcome: 'rehearsed', from: '0011-create-secrets', to: NEW, migrations: [NEW], ms: expect.any(Number) });
    for (const slug of slugs) {
      expect(untouched(slug)).toBe(true);
      expect(t.platform.tenants.findBySlug(slug)?.schema_version).toBe('0011-create-secrets');
    }
    expect(runs()).toEqual([]);
  });

  it('rehearses on a random sample when asked, and prints a readable report', async () => {
    const run = await tenantry(['tenants', 'migrate', '--rehearse', '--sample', '2', '--concurrency', '2']);

    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^Rehearsal: \d would migrate, \d would fail \(2 tenants, [\d.]+s; slowest [\d.]+ ms\); nothing live was changed\.$/);
    for (const slug of slugs) expect(untouched(slug)).toBe(true);
  });

  it('stops at a failing canary and leaves the other tenants untouched', async () => {
    // Every tenant fails now, so whichever two are picked, the canary fails.
    for (const slug of ['acme', 'initech', 'umbrella']) {
      withTenantFile(t, slug, (db) => db.prepare("insert into items (title, body, created_at, updated_at) values (?, '', 0, 0)").run(`${slug}: one`));
    }

    const run = await tenantry(['tenants', 'migrate', '--canary', '2', '--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ failed: 2, skipped: 2, migrated: 0, stopped_by_canary: true });
    const skipped = report.tenants.filter((x: { outcome: string }) => x.outcome === 'skipped').map((x: { slug: string }) => x.slug);
    for (const slug of skipped)
      expect(withTenantFile(t, slug, (db) => db.prepare('select count(*) as n from tenant_migrations where name = ?').get(NEW))).toEqual({ n: 0 });
    const plain = await tenantry(['tenants', 'migrate', '--canary', '1']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('error: a canary failed: the run stopped and 3 tenant(s) were not touched.');
  });

  it('goes on with the rest when the canaries pass', async () => {
    // Without globex's duplicate every tenant passes, whichever is picked as the canary.
    withTenantFile(t, 'globex', (db) => db.prepare("delete from items where id = (select max(id) from items where title = 'globex: one')").run());

    const run = await tenantry(['tenants', 'migrate', '--canary', '1', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ migrated: 4, failed: 0, skipped: 0, stopped_by_canary: false });
    for (const slug of slugs) expect(hasIndex(slug)).toBe(true);
  });

  it('refuses options that do not go together (exit 2)', async () => {
    expect((await tenantry(['tenants', 'migrate', '--sample', '2'])).code).toBe(2);
    expect((await tenantry(['tenants', 'migrate', '--rehearse', '--canary', '1'])).code).toBe(2);
    expect((await tenantry(['tenants', 'migrate', '--canary', '0'])).code).toBe(2);
  });
});
