import fs from 'node:fs';
import path from 'node:path';
import * as durableFiles from '../../../core/fs/durable-files';
import { TenantDamagedError } from '../../../core/errors/tenant-unavailable-errors';
import { migrateTenantBatch } from '../../../control-plane/fleet/migrate-one-tenant';
import { tenantMigrationSource } from '../../../tenant-runtime/tenant-migrator';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { openTenantFile } from '../../../tenant-runtime/open-tenant-file';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { templateTenant } from '../../support/template-tenant';
import BetterSqlite3 from 'better-sqlite3';
import { ownerOf, ownerStamp } from '../../../tenant-runtime/tenant-file-owner';

const NEW = '0099-notes';
const NOTES = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_notes', (t) => {
    t.increments('id');
  });
}
`;

describe('migrateTenantBatch', () => {
  const migrations = migrationsFolderWith(NEW, NOTES);
  const source = tenantMigrationSource(migrations);
  const ids = ['t00000000000000000000000a', 't00000000000000000000000b', 't00000000000000000000000c'];
  let dataDir: string;
  let remove: () => void;
  beforeEach(async () => {
    const first = await templateTenant(ids[0]);
    dataDir = first.dataDir;
    remove = first.remove;
    for (const id of ids.slice(1)) {
      fs.mkdirSync(tenantPaths(dataDir, id).dir, { recursive: true });
      fs.copyFileSync(first.file, tenantPaths(dataDir, id).database);
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    remove();
  });
  afterAll(() => fs.rmSync(migrations, { recursive: true, force: true }));

  const hasNotes = (id: string) => {
    const db = openTenantFile(dataDir, id, 'migrate');
    try {
      return db.get<{ n: number }>("select count(*) as n from sqlite_master where name = 'batch_notes'")?.n === 1;
    } finally {
      db.close();
    }
  };
  const mainFiles = () => ids.map((id) => fs.readFileSync(tenantPaths(dataDir, id).database));

  it('flushes every WAL of the batch together, once, before any main file is touched', async () => {
    const before = mainFiles();
    const flushes: Array<{ files: string[]; dirs: string[]; mainUnchanged: boolean }> = [];
    const real = durableFiles.flushTogether;
    jest.spyOn(durableFiles, 'flushTogether').mockImplementation(async (files, dirs = []) => {
      flushes.push({ files, dirs, mainUnchanged: mainFiles().every((file, i) => file.equals(before[i])) });
      await real(files, dirs);
    });

    const entries = await migrateTenantBatch(dataDir, ids, source);

    expect(entries.map((e) => e.ok && e.result)).toEqual(ids.map(() => ({ applied: [NEW], version: NEW })));
    expect(flushes).toEqual([
      {
        files: ids.map((id) => `${tenantPaths(dataDir, id).database}-wal`),
        dirs: ids.map((id) => path.dirname(tenantPaths(dataDir, id).database)),
        mainUnchanged: true,
      },
    ]);
    expect(ids.map(hasNotes)).toEqual([true, true, true]);
    expect(ids.map((id) => fs.existsSync(`${tenantPaths(dataDir, id).database}-wal`))).toEqual([false, false, false]);
  });

  it('names each tenant as the owner of a file that named none, in the migration that changes it', async () => {
    const owners = () =>
      ids.map((id) => {
        const db = new BetterSqlite3(tenantPaths(dataDir, id).database, { readonly: true });
        try {
          return ownerOf(db);
        } finally {
          db.close();
        }
      });
    expect(owners()).toEqual([0, 0, 0]);

    await migrateTenantBatch(dataDir, ids, source);

    expect(owners()).toEqual(ids.map(ownerStamp));
  });

  it('fails a damaged tenant alone and still migrates the rest of the batch', async () => {
    fs.writeFileSync(tenantPaths(dataDir, ids[1]).database, 'not a database at all');

    const entries = await migrateTenantBatch(dataDir, ids, source);

    expect(entries.map((e) => e.ok)).toEqual([true, false, true]);
    expect(entries[1].ok ? undefined : entries[1].error).toBeInstanceOf(TenantDamagedError);
    expect([hasNotes(ids[0]), hasNotes(ids[2])]).toEqual([true, true]);
  });

  it('fails the whole batch when the flush fails, recording nothing as durable', async () => {
    jest.spyOn(durableFiles, 'flushTogether').mockRejectedValue(new Error('EIO: flush failed'));

    const entries = await migrateTenantBatch(dataDir, ids, source);

    expect(entries.map((e) => (e.ok ? 'ok' : e.error.message))).toEqual(ids.map(() => 'EIO: flush failed'));
  });
});
