import fs from 'node:fs';
import path from 'node:path';
import * as durableFiles from '../../core/fs/durable-files';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { tenantMigrationSource } from '../../tenant-runtime/tenant-migrator';
import { migrateWalFirst } from '../../tenant-runtime/wal-first-migration';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { migrationsFolderWith } from '../support/migrations-folder';
import { templateTenant } from '../support/template-tenant';

const NEW = '0099-bulky-change';
/** About 6 MB of rows: far past the 1,000 pages after which SQLite would checkpoint on its own. */
const BULKY = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bulky', (t) => {
    t.increments('id');
    t.text('payload').notNullable();
  });
  await knex.raw("with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) insert into bulky (payload) select printf('%.4000c', 'x') from n");
}
`;

describe('migrateWalFirst', () => {
  const migrations = migrationsFolderWith(NEW, BULKY);
  const source = tenantMigrationSource(migrations);
  let tenant: Awaited<ReturnType<typeof templateTenant>>;
  let db: TenantDatabase;
  beforeEach(async () => {
    tenant = await templateTenant();
    db = openTenantFile(tenant.dataDir, tenant.tenantId, 'migrate');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    db.close();
    tenant.remove();
  });
  afterAll(() => fs.rmSync(migrations, { recursive: true, force: true }));

  const mainFile = () => fs.readFileSync(tenant.file);
  const hasBulky = () => {
    const check = openTenantFile(tenant.dataDir, tenant.tenantId, 'migrate');
    try {
      return check.get<{ n: number }>('select count(*) as n from bulky')?.n;
    } finally {
      check.close();
    }
  };

  it('flushes the WAL and its folder while the main file is still untouched', async () => {
    const before = mainFile();
    const flushed: Array<{ files: string[]; dirs: string[]; mainUnchanged: boolean }> = [];
    jest
      .spyOn(durableFiles, 'flushTogether')
      .mockImplementation(async (files, dirs = []) => void flushed.push({ files, dirs, mainUnchanged: mainFile().equals(before) }));

    const result = await migrateWalFirst(db, source);

    expect(result).toEqual({ applied: [NEW], version: NEW });
    expect(flushed).toEqual([{ files: [`${tenant.file}-wal`], dirs: [path.dirname(tenant.file)], mainUnchanged: true }]);
  });

  it('leaves the main file to the checkpoint at close, which folds the WAL in and removes it', async () => {
    const before = mainFile();

    await migrateWalFirst(db, source);

    expect(mainFile().equals(before)).toBe(true);
    expect(fs.statSync(`${tenant.file}-wal`).size).toBeGreaterThan(1000 * 4096);
    db.close();
    expect(fs.existsSync(`${tenant.file}-wal`)).toBe(false);
    expect(hasBulky()).toBe(1500);
  });

  it('puts the connection back to NORMAL sync and automatic checkpoints', async () => {
    await migrateWalFirst(db, source);

    expect(db.connection().pragma('synchronous', { simple: true })).toBe(1);
    expect(db.connection().pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('puts the connection back when a migration fails, and the file keeps its previous version', async () => {
    const broken = tenantMigrationSource(
      migrationsFolderWith('0099-broken', `export async function up(): Promise<void> {\n  throw new Error('broken on purpose');\n}\n`),
    );

    await expect(migrateWalFirst(db, broken)).rejects.toThrow('broken on purpose');

    expect(db.connection().pragma('synchronous', { simple: true })).toBe(1);
    expect(db.connection().pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.get<{ n: number }>("select count(*) as n from tenant_migrations where name = '0099-broken'")).toEqual({ n: 0 });
    fs.rmSync(broken.dir, { recursive: true, force: true });
  });

  it('flushes nothing when nothing was pending', async () => {
    await migrateWalFirst(db, source);
    db.close();
    db = openTenantFile(tenant.dataDir, tenant.tenantId, 'migrate');
    const flush = jest.spyOn(durableFiles, 'flushTogether');

    const result = await migrateWalFirst(db, source);

    expect(result).toEqual({ applied: [], version: NEW });
    expect(flush).not.toHaveBeenCalled();
  });
});
