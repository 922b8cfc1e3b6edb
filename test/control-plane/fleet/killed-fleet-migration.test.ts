import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { CLI_ENTRY, killCliAt, runCliChild, startChild } from '../../support/child-process';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { migrationStamp, recordedTenantMigrations, tenantMigrationSource } from '../../../tenant-runtime/tenant-migrator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { FLUSH_BATCH } from '../../../control-plane/fleet/migrate-one-tenant';
import { ownerOf, ownerStamp } from '../../../tenant-runtime/tenant-file-owner';

// Each case runs the real CLI in child processes (start-up, kill, repair): on a loaded 2-core
// machine that takes longer than the default 20 s.
jest.setTimeout(60_000);

const TENANTS = 200;
const KILLS = 3;
/** Worker threads of the killed runs, and the most tenants one of them can record before its kill. */
const LANES = 2;
const RUN_MOST = 2 * LANES * FLUSH_BATCH;
const REAL = tenantMigrationSource();
const NEW = REAL.latest!;

/** The real tenant migrations without the newest: tenants made with it are one migration behind the real CLI. */
function migrationsOneBehind(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migrations-'));
  for (const migration of REAL.migrations.slice(0, -1)) fs.copyFileSync(migration.path!, path.join(dir, path.basename(migration.path!)));
  return dir;
}

interface FileState {
  integrity: string;
  migrations: string[];
  stamp: number;
}

/** What an operator would find in a tenant's file after the crash (opened read-write, so SQLite recovers its WAL). */
function fileState(dataDir: string, tenantId: string): FileState {
  const db = new BetterSqlite3(tenantPaths(dataDir, tenantId).database, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    return { integrity, migrations: recordedTenantMigrations(db), stamp: db.pragma('user_version', { simple: true }) as number };
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The real `tenantry tenants migrate` in a child process (two worker threads), SIGKILLed
 * at random moments of a run over 200 tenants: every file must be whole and at the old or the new
 * version, the control plane must never record a version its file does not have, and a rerun must
 * finish the job.
 */
describe('a fleet migration killed at random moments', () => {
  let t: TestPlatform;
  let oneBehind: string;
  let tenants: TenantRecord[];
  const old = REAL.names.slice(0, -1);

  beforeAll(async () => {
    oneBehind = migrationsOneBehind();
    t = await createTestPlatform({}, { tenantMigrationsDir: oneBehind });
    tenants = [];
    for (let i = 0; i < TENANTS; i++) tenants.push(await makeTenant(t.platform, `killed-${String(i).padStart(3, '0')}`));
    t.platform.router.closeAll();
  }, 60_000);
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(oneBehind, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
  const recorded = (tenant: TenantRecord) =>
    t.platform.db.get<{ schema_version: string | null }>('select schema_version from tenants where id = ?', [tenant.id])?.schema_version;
  /** Tenants the run numbered `runId` has recorded so far. */
  const doneIn = (runId: number) => t.platform.db.get<{ n: number }>('select count(*) as n from fleet_run_tenants where run_id = ?', [runId])?.n ?? 0;
  const runCount = () => t.platform.db.get<{ n: number }>('select count(*) as n from fleet_runs')?.n ?? 0;

  const expectWholeAtOldOrNew = () => {
    for (const tenant of tenants) {
      const state = fileState(t.dataDir, tenant.id);
      expect({ slug: tenant.slug, integrity: state.integrity }).toEqual({ slug: tenant.slug, integrity: 'ok' });
      expect([old, REAL.names]).toContainEqual(state.migrations);
      expect(state.stamp).toBe(migrationStamp(state.migrations));
      // The control plane never runs ahead of the file.
      const version = recorded(tenant);
      expect([old[old.length - 1], NEW]).toContain(version);
      if (version === NEW) expect({ slug: tenant.slug, migrations: state.migrations }).toEqual({ slug: tenant.slug, migrations: REAL.names });
    }
  };

  it('leaves every file whole at the old or the new version, and a rerun completes', async () => {
    let interrupted = 0;
    const migrated = () => tenants.filter((tenant) => recorded(tenant) === NEW).length;
    for (let kill = 0; kill < KILLS; kill++) {
      // Killed only while more than a run's most is left (each lane's first batch, done before
      // the kill's moment is drawn, and at most one more in that moment), so the rerun still
      // finds work.
      if (TENANTS - migrated() <= RUN_MOST) break;
      const runsBefore = runCount();
      const child = startChild(CLI_ENTRY, ['tenants', 'migrate', '--concurrency', String(LANES)], env());
      let ended = false;
      void child.exited.then(() => (ended = true));
      // The run has started once its record exists and a first tenant is done; then a random moment.
      while (!ended && (runCount() === runsBefore || doneIn(runsBefore + 1) === 0)) await sleep(5);
      await sleep(Math.random() * 40);
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      if (signal === 'SIGKILL') interrupted++;

      expectWholeAtOldOrNew();
    }
    const migratedBeforeRerun = migrated();

    const rerun = await runCliChild(['tenants', 'migrate'], env());

    expect(interrupted).toBeGreaterThan(0);
    expect(migratedBeforeRerun).toBeLessThan(TENANTS);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/progress: 200\/200 tenants, 0 failed\n$/);
    for (const tenant of tenants) {
      expect(fileState(t.dataDir, tenant.id)).toEqual({ integrity: 'ok', migrations: REAL.names, stamp: migrationStamp(REAL.names) });
      expect(recorded(tenant)).toBe(NEW);
    }
  }, 120_000);
});

/** The same, SIGKILLed at each named step of one tenant's migration (core/process/pause-point.ts), on one lane. */
describe('a fleet migration killed at each step of a tenant', () => {
  let t: TestPlatform;
  let oneBehind: string;
  let tenants: TenantRecord[];
  const old = REAL.names.slice(0, -1);

  beforeEach(async () => {
    oneBehind = migrationsOneBehind();
    t = await createTestPlatform({}, { tenantMigrationsDir: oneBehind });
    tenants = [await makeTenant(t.platform, 'acme'), await makeTenant(t.platform, 'globex')];
    t.platform.router.closeAll();
    // acme's file names no owner (made before owners were written): its migration names it.
    const acme = new BetterSqlite3(tenantPaths(t.dataDir, tenants[0].id).database);
    acme.pragma('application_id = 0');
    acme.close();
  });
  const ownerIn = (tenant: TenantRecord) => {
    const db = new BetterSqlite3(tenantPaths(t.dataDir, tenant.id).database, { fileMustExist: true });
    try {
      return ownerOf(db);
    } finally {
      db.close();
    }
  };
  afterEach(async () => {
    await t.cleanup();
    fs.rmSync(oneBehind, { recursive: true, force: true });
  });

  it.each(['migrate:committed', 'migrate:durable'])(
    'killed at %s: the files of the batch are whole, no version is recorded, and a rerun records them',
    async (step) => {
      const env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' };

      await killCliAt(step, ['tenants', 'migrate', '--concurrency', '1'], env);

      // One lane takes both tenants as one batch: both committed into their WALs, neither recorded.
      for (const tenant of tenants)
        expect(fileState(t.dataDir, tenant.id)).toEqual({ integrity: 'ok', migrations: REAL.names, stamp: migrationStamp(REAL.names) });
      expect(tenants.map((tenant) => t.platform.tenants.findById(tenant.id)?.schema_version)).toEqual([old[old.length - 1], old[old.length - 1]]);
      // The owner was written in the transaction of the migration: both there, or neither.
      expect(tenants.map(ownerIn)).toEqual(tenants.map((tenant) => ownerStamp(tenant.id)));

      expect((await runCliChild(['tenants', 'migrate', '--concurrency', '1'], env)).code).toBe(0);
      expect(tenants.map((tenant) => t.platform.tenants.findById(tenant.id)?.schema_version)).toEqual([NEW, NEW]);
    },
  );
});
