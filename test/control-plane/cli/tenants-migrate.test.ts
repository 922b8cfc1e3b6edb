import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { withTenantFile } from '../../support/tenant-file';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { cliFor, type CliRun } from '../../support/cli-runner';

const NEW_MIGRATION = '0099-add-notes';

/** The real tenant migrations plus one new migration that creates `notes`. */
function migrationsWithNewOne(): string {
  return migrationsFolderWith(
    NEW_MIGRATION,
    `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
    t.text('body').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notes');
}
`,
  );
}

const hasNotesTable = (t: TestPlatform, slug: string) =>
  withTenantFile(t, slug, (db) => Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = 'notes'").get()));

/** The control plane's record of one fleet run: outcome per tenant slug. */
function recordedOutcomes(t: TestPlatform, runId: number): Record<string, { outcome: string; to_version: string | null; error: string | null }> {
  const rows = t.platform.db
    .connection()
    .prepare('select t.slug, r.outcome, r.to_version, r.error from fleet_run_tenants r join tenants t on t.id = r.tenant_id where r.run_id = ? order by t.slug')
    .all(runId) as Array<{ slug: string; outcome: string; to_version: string | null; error: string | null }>;
  return Object.fromEntries(rows.map(({ slug, ...rest }) => [slug, rest]));
}

const runIds = (t: TestPlatform) =>
  t.platform.db.connection().prepare('select id, status from fleet_runs order by id').all() as Array<{ id: number; status: string }>;
const versionOf = (t: TestPlatform, slug: string) => t.platform.tenants.findBySlug(slug)?.schema_version;
const linesOf = (run: CliRun) => run.stdout.trim().split('\n');

describe('tenantry tenants migrate', () => {
  let t: TestPlatform;
  let oldVersion: string | null;
  let migrationsDir: string;
  let tenantry: ReturnType<typeof cliFor>;

  beforeEach(async () => {
    t = await createTestPlatform();
    oldVersion = t.platform.tenantSource.latest;
    for (const slug of ['acme', 'globex', 'initech']) await makeTenant(t.platform, slug);
    migrationsDir = migrationsWithNewOne();
    tenantry = cliFor(t.dataDir, { platformOptions: { tenantMigrationsDir: migrationsDir } });
  });
  afterEach(async () => {
    await t.cleanup();
    fs.rmSync(migrationsDir, { recursive: true, force: true });
  });

  it.each([[[]], [['--rehearse']]])("refuses an empty --tenant (a script's unset variable) with %j instead of migrating the whole fleet", async (more) => {
    const run = await tenantry(['tenants', 'migrate', '--tenant', '', ...more]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --tenant must not be empty');
    expect(t.platform.tenants.list().map((x) => x.schema_version)).toEqual(t.platform.tenants.list().map(() => oldVersion));
  });

  it('continues past a broken tenant, migrates the others, records every outcome and exits 1; a second run resumes with the failed tenant only', async () => {
    // globex already has the table the new migration creates, so the migration fails there.
    withTenantFile(t, 'globex', (db) => db.exec('create table notes (id integer primary key)'));

    const first = await tenantry(['tenants', 'migrate']);

    expect(first.code).toBe(1);
    expect(linesOf(first)).toEqual([
      `migrated  acme     ${oldVersion} -> ${NEW_MIGRATION} (${NEW_MIGRATION})`,
      expect.stringMatching(new RegExp(`^failed    globex   still at ${oldVersion}: .*already exists`)),
      `migrated  initech  ${oldVersion} -> ${NEW_MIGRATION} (${NEW_MIGRATION})`,
      expect.stringMatching(/^2 migrated, 0 up to date, 1 failed in \d+\.\d\ds$/),
    ]);
    expect(first.stderr).toContain('error: 1 tenant(s) failed (fleet run 1): globex.');
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(versionOf(t, 'acme')).toBe(NEW_MIGRATION);
    expect(versionOf(t, 'initech')).toBe(NEW_MIGRATION);
    expect(versionOf(t, 'globex')).toBe(oldVersion);
    expect(hasNotesTable(t, 'acme')).toBe(true);
    expect(recordedOutcomes(t, 1)).toEqual({
      acme: { outcome: 'migrated', to_version: NEW_MIGRATION, error: null },
      globex: { outcome: 'failed', to_version: oldVersion, error: expect.stringContaining('already exists') },
      initech: { outcome: 'migrated', to_version: NEW_MIGRATION, error: null },
    });
    expect(runIds(t)).toEqual([{ id: 1, status: 'failed' }]);

    // Fixed by hand: the stray table goes; running again migrates globex and skips the rest.
    withTenantFile(t, 'globex', (db) => db.exec('drop table notes'));
    const second = await tenantry(['tenants', 'migrate', '--json']);

    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({ run_id: 2, latest: NEW_MIGRATION, migrated: 1, up_to_date: 2, failed: 0 });
    expect(report.tenants.filter((o: { outcome: string }) => o.outcome !== 'up_to_date')).toEqual([
      expect.objectContaining({ slug: 'globex', outcome: 'migrated', from: oldVersion, to: NEW_MIGRATION, migrations: [NEW_MIGRATION] }),
    ]);
    expect(versionOf(t, 'globex')).toBe(NEW_MIGRATION);
    expect(recordedOutcomes(t, 2)).toEqual({ globex: { outcome: 'migrated', to_version: NEW_MIGRATION, error: null } });
    expect(runIds(t)).toEqual([
      { id: 1, status: 'failed' },
      { id: 2, status: 'succeeded' },
    ]);
  });

  it('goes on when a tenant file is not a database at all', async () => {
    const globex = t.platform.tenants.findBySlug('globex')!;
    fs.writeFileSync(tenantPaths(t.dataDir, globex.id).database, Buffer.alloc(8192, 0x5a));
    const run = await tenantry(['tenants', 'migrate', '--concurrency', '3']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^failed\s+globex\s+still at .*damaged, not migrated: the file is not a database/m);
    expect(run.stdout).toContain('2 migrated, 0 up to date, 1 failed in');
    expect(t.platform.tenants.findBySlug('globex')).toMatchObject({ status: 'damaged', failure_reason: expect.stringContaining('not a database') });
  });

  it('with --dry-run lists the pending migrations of each tenant and changes nothing', async () => {
    const run = await tenantry(['tenants', 'migrate', '--dry-run']);
    expect(run.code).toBe(0);
    expect(linesOf(run)).toEqual([
      `pending   acme     ${NEW_MIGRATION}`,
      `pending   globex   ${NEW_MIGRATION}`,
      `pending   initech  ${NEW_MIGRATION}`,
      expect.stringMatching(new RegExp(`^Dry run: 3 pending, 0 up to date, 0 failed in \\d+\\.\\d\\ds \\(latest ${NEW_MIGRATION}\\); nothing was changed\\.$`)),
    ]);
    for (const slug of ['acme', 'globex', 'initech']) {
      expect(versionOf(t, slug)).toBe(oldVersion);
      expect(hasNotesTable(t, slug)).toBe(false);
    }
    expect(runIds(t)).toEqual([]);
  });

  it('migrates one tenant with --tenant', async () => {
    const run = await tenantry(['tenants', 'migrate', '--tenant', 'initech']);
    expect(run.code).toBe(0);
    expect(linesOf(run)[0]).toMatch(/^migrated\s+initech\s/);
    expect(versionOf(t, 'initech')).toBe(NEW_MIGRATION);
    expect(versionOf(t, 'acme')).toBe(oldVersion);
  });

  it('shows a progress bar on a terminal and plain progress lines elsewhere, both on stderr', async () => {
    const onTerminal = await tenantry(['tenants', 'migrate', '--dry-run'], { isTTY: { stderr: true } });
    expect(onTerminal.stderr).toMatch(/Checking \[.*\] \d\/3 tenants/);
    const inALog = await tenantry(['tenants', 'migrate', '--dry-run']);
    expect(inALog.stderr).toBe('progress: 3/3 tenants, 0 failed\n');
  });

  it.each([
    [['--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid. Use a whole number from 1 to 16."],
    [['--concurrency', 'lots'], "argument 'lots' is invalid"],
    [['--tenant', 'nobody'], 'error: No active or suspended tenant with slug "nobody".'],
  ])('refuses %j with exit code 2 and migrates nothing', async (args, message) => {
    const run = await tenantry(['tenants', 'migrate', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(versionOf(t, 'acme')).toBe(oldVersion);
    expect(runIds(t)).toEqual([]);
  });
});
