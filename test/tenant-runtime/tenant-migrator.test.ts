import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expectedStamp, migrateTenantConnection, migrationStamp, recordedTenantMigrations, tenantMigrationSource } from '../../tenant-runtime/tenant-migrator';
import { migrationsFolderWith } from '../support/migrations-folder';

describe('the migration stamp', () => {
  it('is a positive 31-bit number that depends on the set of names, not their order', () => {
    const stamp = migrationStamp(['0001-a', '0002-b', '0003-c']);

    expect(stamp).toBeGreaterThan(0);
    expect(stamp).toBeLessThan(2 ** 31);
    expect(migrationStamp(['0003-c', '0001-a', '0002-b'])).toBe(stamp);
    expect(migrationStamp(['0001-a', '0003-c'])).not.toBe(stamp);
    expect(migrationStamp(['0001-a', '0002-b', '0003-c', '0004-d'])).not.toBe(stamp);
  });

  describe('migrateTenantConnection', () => {
    let dir: string;
    let db: BetterSqlite3.Database;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-stamp-'));
      db = new BetterSqlite3(path.join(dir, 'tenant.sqlite'));
    });
    afterEach(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('stamps the file with the set it records, in the same transaction', async () => {
      const source = tenantMigrationSource();

      await migrateTenantConnection(db, source);

      expect(db.pragma('user_version', { simple: true })).toBe(migrationStamp(recordedTenantMigrations(db)));
      expect(db.pragma('user_version', { simple: true })).toBe(expectedStamp(source));
    });

    it('leaves the previous stamp when a migration fails', async () => {
      await migrateTenantConnection(db, tenantMigrationSource());
      const before = db.pragma('user_version', { simple: true });
      const broken = tenantMigrationSource(
        migrationsFolderWith('0099-broken', `export async function up(): Promise<void> {\n  throw new Error('broken on purpose');\n}\n`),
      );

      await expect(migrateTenantConnection(db, broken)).rejects.toThrow('broken on purpose');

      expect(db.pragma('user_version', { simple: true })).toBe(before);
      expect(recordedTenantMigrations(db)).not.toContain('0099-broken');
      fs.rmSync(broken.dir, { recursive: true, force: true });
    });
  });
});
