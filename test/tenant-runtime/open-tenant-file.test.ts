import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { expectedStamp, tenantMigrationSource } from '../../tenant-runtime/tenant-migrator';
import { TenantBehindError, TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import { migrationsFolderWith, newestRealMigration } from '../support/migrations-folder';
import { templateTenant } from '../support/template-tenant';
import { writeOwner } from '../../tenant-runtime/tenant-file-owner';

const LATER = '0099-later-change';
const LATER_SOURCE = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('later_things', (t) => t.increments('id'));
}
`;

describe("openTenantFile(..., 'serve')", () => {
  const source = tenantMigrationSource();
  let tenant: Awaited<ReturnType<typeof templateTenant>>;
  beforeEach(async () => {
    tenant = await templateTenant();
  });
  afterEach(() => tenant.remove());

  const edit = (fn: (db: BetterSqlite3.Database) => void) => {
    const db = new BetterSqlite3(tenant.file);
    try {
      fn(db);
    } finally {
      db.close();
    }
  };
  const serve = (migrations = source) => openTenantFile(tenant.dataDir, tenant.tenantId, 'serve', { source: migrations });

  it('serves a file stamped with the code migrations in WAL mode, with NORMAL sync, foreign keys and a 5 s busy timeout', () => {
    const db = serve();
    try {
      const raw = db.connection();
      expect(raw.pragma('user_version', { simple: true })).toBe(expectedStamp(source));
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(1);
      expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it("refuses another tenant's file as damaged, naming why, in the router's open and the fleet's", () => {
    edit((db) => writeOwner(db, 't00000000000000000000000b'));

    for (const open of [() => serve(), () => openTenantFile(tenant.dataDir, tenant.tenantId, 'migrate')]) {
      let refusal: unknown;
      try {
        open().close();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(TenantDamagedError);
      expect((refusal as TenantDamagedError).reason).toMatch(/^the database file belongs to another workspace/);
    }
  });

  it('takes the stamp and the owner of a file nobody holds open from the header its check read, asking SQLite for neither', () => {
    const pragma = jest.spyOn(BetterSqlite3.prototype, 'pragma');
    try {
      serve().close();
      expect(pragma.mock.calls.map(([text]) => text)).not.toContainEqual(expect.stringMatching(/user_version|application_id/));
    } finally {
      pragma.mockRestore();
    }
  });

  it("reads a current file's schema without running a statement on it: the request's own statement is the first to read", () => {
    const probe = new BetterSqlite3(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<'get' | 'all' | 'run' | 'iterate', () => unknown>;
    probe.close();
    const runs = (['get', 'all', 'run', 'iterate'] as const).map((method) => jest.spyOn(statement, method));
    try {
      serve().close();
      expect(runs.map((run) => run.mock.calls.length)).toEqual([0, 0, 0, 0]);
    } finally {
      for (const run of runs) run.mockRestore();
    }
  });

  it('reports a stamped file whose schema is unreadable past its first page as damaged, when it is opened', () => {
    // Page 1 is the root of sqlite_master; the schema outgrows it, so it is an interior page whose right-most child holds part of it.
    const head = Buffer.alloc(112);
    const fd = fs.openSync(tenant.file, 'r+');
    try {
      fs.readSync(fd, head, 0, head.length, 0);
      expect(head[100]).toBe(0x05);
      const pageSize = head.readUInt16BE(16);
      const child = head.readUInt32BE(108);
      fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (child - 1) * pageSize);
    } finally {
      fs.closeSync(fd);
    }

    expect(() => serve().close()).toThrow(TenantDamagedError);
  });

  it("refuses another tenant's file while another connection holds it open (its header is then asked of SQLite, the WAL may be newer)", () => {
    edit((db) => writeOwner(db, 't00000000000000000000000b'));
    const holder = new BetterSqlite3(tenant.file);
    try {
      holder.prepare('select count(*) from items').get();
      expect(fs.existsSync(`${tenant.file}-wal`)).toBe(true);
      let refusal: unknown;
      try {
        serve().close();
      } catch (error) {
        refusal = error;
      }
      expect((refusal as TenantDamagedError).reason).toMatch(/^the database file belongs to another workspace/);
    } finally {
      holder.close();
    }
  });

  it('serves a file that names its own tenant, and one that names no owner (made before owners were written)', () => {
    serve().close();
    edit((db) => writeOwner(db, tenant.tenantId));
    serve().close();
  });

  it('serves a file made before stamps when its recorded migrations are the code migrations', () => {
    edit((db) => db.pragma('user_version = 0'));

    const db = serve();

    expect(db.get<{ n: number }>('select count(*) as n from items')).toEqual({ n: 0 });
    db.close();
  });

  it('refuses an unstamped file that lacks a migration between two it has, naming its version', () => {
    edit((db) => {
      db.pragma('user_version = 0');
      db.prepare('delete from tenant_migrations where name = ?').run(source.names[1]);
    });

    let refusal: unknown;
    try {
      serve().close();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TenantBehindError);
    expect((refusal as TenantBehindError).reason).toBe(
      `its database is at ${newestRealMigration()} and the code expects ${newestRealMigration()}: run "tenantry tenants migrate"`,
    );
  });

  it('refuses a file stamped by code that had one migration fewer', () => {
    const later = tenantMigrationSource(migrationsFolderWith(LATER, LATER_SOURCE));

    const refusal = (() => {
      try {
        serve(later).close();
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(TenantBehindError);
    expect((refusal as TenantBehindError).reason).toContain(`its database is at ${newestRealMigration()} and the code expects ${LATER}`);
    fs.rmSync(later.dir, { recursive: true, force: true });
  });

  it('reports a file that is not there as damaged, and writes nothing beside it', () => {
    fs.rmSync(tenant.file);

    const refusal = (() => {
      try {
        serve().close();
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(TenantDamagedError);
    expect((refusal as TenantDamagedError).reason).toBe('the database file is missing');
    expect(fs.readdirSync(path.dirname(tenant.file))).toEqual([]);
  });

  it.each([
    ['truncated', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
    ['garbage', (file: string) => fs.writeFileSync(file, Buffer.alloc(16384, 0x5a))],
  ])('reports a %s file with a -wal and -shm left beside it (read by SQLite, not by us) as damaged', (_name, harm) => {
    harm(tenant.file);
    fs.writeFileSync(`${tenant.file}-wal`, '');
    fs.writeFileSync(`${tenant.file}-shm`, '');

    expect(() => serve().close()).toThrow(TenantDamagedError);
  });

  it('reports a stamped file that SQLite cannot read as damaged, not as behind', () => {
    const size = fs.statSync(tenant.file).size;
    const garbage = Buffer.alloc(size - 100, 0x5a);
    const fd = fs.openSync(tenant.file, 'r+');
    fs.writeSync(fd, garbage, 0, garbage.length, 100);
    fs.closeSync(fd);

    expect(() => serve().close()).toThrow(TenantDamagedError);
  });
});
