import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMigrationSource, migrateInOneTransaction } from '../../../core/db/migration-runner';
import { sqlBuilder } from '../../../core/db/sql-builder';
import { PLATFORM_MIGRATIONS_DIR, PlatformDatabase } from '../../../control-plane/db/platform-database';

/** Counted on the global object: the module may be loaded while this file's own imports run. */
type Counted = typeof globalThis & { umzugLoads?: number };
jest.mock('umzug', () => {
  (globalThis as Counted).umzugLoads = ((globalThis as Counted).umzugLoads ?? 0) + 1;
  return jest.requireActual('umzug');
});
const umzugLoads = () => (globalThis as Counted).umzugLoads ?? 0;

describe('migrateInOneTransaction loading the migration library', () => {
  let dataDir: string;
  let db: PlatformDatabase;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migration-loading-'));
    db = new PlatformDatabase(path.join(dataDir, 'platform.sqlite'));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const migrate = () => migrateInOneTransaction(sqlBuilder, loadMigrationSource(PLATFORM_MIGRATIONS_DIR), 'platform_migrations', db.connection());

  it('loads it only to apply pending migrations: not on import, nor for a file already at the latest version', async () => {
    const loadsBefore = umzugLoads();
    const first = await migrate();
    const loadsAfterFirst = umzugLoads();
    const second = await migrate();

    expect(loadsBefore).toBe(0);
    expect(first.applied.length).toBeGreaterThan(30);
    expect(loadsAfterFirst).toBe(1);
    expect(second).toEqual({ applied: [], version: first.version });
    expect(umzugLoads()).toBe(1);
  });
});
