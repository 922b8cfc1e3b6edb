import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { runCliChild } from '../../support/child-process';
import { tenantMigrationSource } from '../../../tenant-runtime/tenant-migrator';
import { migrateFleet } from '../../../control-plane/fleet/migrate-fleet';
import { migrateOneTenant } from '../../../control-plane/fleet/migrate-one-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { createPlatform, type Platform } from '../../../app/create-platform';
import { loadConfig } from '../../../core/config/load-config';
import { createLogger } from '../../../core/logging/logger';

// One case runs the real CLI in a child process.
jest.setTimeout(60_000);

const REAL = tenantMigrationSource();
const NEW = REAL.latest!;
const PREVIOUS = REAL.names[REAL.names.length - 2];

/** The real tenant migrations without the newest: tenants made with it are one migration behind the real code. */
function migrationsOneBehind(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migrations-'));
  for (const migration of REAL.migrations.slice(0, -1)) fs.copyFileSync(migration.path!, path.join(dir, path.basename(migration.path!)));
  return dir;
}

interface MigratedRow {
  tenant_id: string;
  actor_user_id: string | null;
  before: string;
  after: string;
}

describe("a fleet migration in each workspace's audit trail", () => {
  let behind: TestPlatform;
  let t: { platform: Platform; dataDir: string };
  let oneBehind: string;
  let tenants: TenantRecord[];

  beforeEach(async () => {
    oneBehind = migrationsOneBehind();
    // Tenants made by the code before this release, then the platform of this release on the same folder.
    behind = await createTestPlatform({}, { tenantMigrationsDir: oneBehind });
    tenants = [await makeTenant(behind.platform, 'acme'), await makeTenant(behind.platform, 'globex')];
    behind.platform.router.closeAll();
    const platform = await createPlatform(loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: behind.dataDir }), { logger: createLogger('silent') });
    t = { platform, dataDir: behind.dataDir };
  });
  afterEach(async () => {
    t.platform.close();
    await behind.cleanup();
    fs.rmSync(oneBehind, { recursive: true, force: true });
  });

  const migratedRows = () =>
    t.platform.db.all<MigratedRow>("select tenant_id, actor_user_id, before, after from audit_events where action = 'tenant.migrated' order by tenant_id");

  it('records, for each workspace, the versions from and to, the migrations and the operator who ran it', async () => {
    const result = await migrateFleet(t.platform, { concurrency: 1, operator: CLI_OPERATOR });

    expect(result.migrated).toBe(2);
    const rows = migratedRows();
    expect(rows.map((r) => r.tenant_id).sort()).toEqual(tenants.map((x) => x.id).sort());
    for (const row of rows) {
      expect(row.actor_user_id).toBeNull();
      expect(JSON.parse(row.before)).toEqual({ schema_version: PREVIOUS });
      expect(JSON.parse(row.after)).toEqual({ schema_version: NEW, migrations: [NEW], by: 'operator' });
    }
  });

  it("names the system for the server's start-up run, and records nothing for a workspace already current", async () => {
    await migrateFleet(t.platform, { onlyBehind: true });
    await migrateFleet(t.platform, { tenantSlug: 'acme' });

    const rows = migratedRows();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(JSON.parse(row.after)).toMatchObject({ schema_version: NEW, by: 'system' });
  });

  it("records a migration whose version the control plane never heard of (cut off after the tenant's commit) on the next run", async () => {
    // The file is migrated, the process stops before the control plane records it.
    await migrateOneTenant(t.dataDir, tenants[0].id, t.platform.tenantSource);
    expect(t.platform.tenants.findById(tenants[0].id)?.schema_version).toBe(PREVIOUS);

    await migrateFleet(t.platform, { concurrency: 1, operator: CLI_OPERATOR });

    const acme = migratedRows().find((r) => r.tenant_id === tenants[0].id)!;
    expect(JSON.parse(acme.before)).toEqual({ schema_version: PREVIOUS });
    expect(JSON.parse(acme.after)).toEqual({ schema_version: NEW, migrations: [], by: 'operator' });
    expect(t.platform.tenants.findById(tenants[0].id)?.schema_version).toBe(NEW);
  });

  it("is recorded once when two runs migrate the fleet at the same time (the server's start-up and an operator's), each having found it behind", async () => {
    await Promise.all([migrateFleet(t.platform, { concurrency: 1 }), migrateFleet(t.platform, { concurrency: 1, operator: CLI_OPERATOR })]);

    const rows = migratedRows();
    expect(rows.map((r) => r.tenant_id).sort()).toEqual(tenants.map((x) => x.id).sort());
    for (const row of rows) {
      expect(JSON.parse(row.before)).toEqual({ schema_version: PREVIOUS });
      expect(JSON.parse(row.after)).toMatchObject({ schema_version: NEW, migrations: [NEW] });
    }
  });

  it('is recorded by the real `tenantry tenants migrate` in a process of its own', async () => {
    const run = await runCliChild(['tenants', 'migrate', '--concurrency', '1'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });

    expect(run.code).toBe(0);
    const rows = migratedRows();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(JSON.parse(row.after)).toMatchObject({ schema_version: NEW, by: 'operator' });
  });
});
